// The worker entry: worker-client.ts starts it with new Worker(new URL('./worker.ts', import.meta.url)).
import type { ReadOutcome } from '../core/index.ts';
import { createDomainReuse, openFile } from '../core/index.ts';
import { loadBrowserEngine } from './browser-engine.ts';
import {
  createLargeTextReader,
  openKeptCoreResults,
  PIECE_CHARS,
  postWithLargeTexts,
} from '../workers/index.ts';
import { createWorkerHost } from './worker-host.ts';
import { openVerdictStore } from './verdict-store.ts';
import type { FromWorker } from './worker-messages.ts';
import { isToWorker } from './worker-messages.ts';

// The DOM lib types `self` as a Window; in a worker it is a DedicatedWorkerGlobalScope.
const scope = self as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
};

// A bundle's files are opened here as a core worker opens them, libvirt's verdicts kept alike.
const domains = createDomainReuse();
const kept = openKeptCoreResults();
const handle = createWorkerHost(loadBrowserEngine, openVerdictStore, (files, rules) =>
  kept
    ? kept.open(files, rules, domains)
    : Promise.resolve(files.map((f) => openFile(f, rules, domains))),
);
// A large file's text comes in pieces (see the worker pool): joined here before it is validated.
const read = createLargeTextReader();
// An open's long texts go back the same way, so the page never copies megabytes at once; verdicts,
// and an open without any (a bundle's small files), are posted as they are, not walked through.
const post = (message: FromWorker) =>
  message.type === 'opened' && message.outcomes.some(holdsLongText)
    ? postWithLargeTexts((m, t) => scope.postMessage(m, t), message)
    : scope.postMessage(message);

function holdsLongText(outcome: ReadOutcome): boolean {
  return (
    'text' in outcome &&
    (outcome.text.length > PIECE_CHARS || (outcome.original?.libvirtText.length ?? 0) > PIECE_CHARS)
  );
}

scope.addEventListener('message', (event) => {
  // xmllint-browser.mjs listens too, for messages tagged 'xmllint-wasm'; ours never are.
  const message = read(event.data);
  if (!isToWorker(message)) return;
  void handle(message).then((reply) => {
    if (reply) post(reply);
  });
});
