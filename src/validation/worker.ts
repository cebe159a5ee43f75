// The worker entry: worker-client.ts starts it with new Worker(new URL('./worker.ts', import.meta.url)).
import { loadBrowserEngine } from './browser-engine.ts';
import { createLargeTextReader } from '../workers/index.ts';
import { createWorkerHost } from './worker-host.ts';
import { openVerdictStore } from './verdict-store.ts';
import type { FromWorker } from './worker-messages.ts';
import { isToWorker } from './worker-messages.ts';

// The DOM lib types `self` as a Window; in a worker it is a DedicatedWorkerGlobalScope.
const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
};

const handle = createWorkerHost(loadBrowserEngine, openVerdictStore);
// A large file's text comes in pieces (see the worker pool): joined here before it is validated.
const read = createLargeTextReader();

scope.addEventListener('message', (event) => {
  // xmllint-browser.mjs listens too, for messages tagged 'xmllint-wasm'; ours never are.
  const message = read(event.data);
  if (!isToWorker(message)) return;
  void handle(message).then((reply) => {
    if (reply) scope.postMessage(reply);
  });
});
