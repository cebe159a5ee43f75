// The core worker's entry: core-pool.ts starts it with new Worker(new URL('./core-worker.ts', import.meta.url)).
import type { FromCoreWorker } from './core-messages.ts';
import { isToCoreWorker } from './core-messages.ts';
import { createDomainReuse } from '../core/index.ts';
import { runCoreTask } from './core-tasks.ts';
import { openKeptCoreResults } from './kept-core-store.ts';
import { createLargeTextReader, postWithLargeTexts } from './large-text.ts';

// The DOM lib types `self` as a Window; in a worker it is a DedicatedWorkerGlobalScope.
const scope = self as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
};

// Long texts (a large file) come and go in pieces: see large-text.ts.
const read = createLargeTextReader();
// The domains this worker has read: a folder opened again, or the next chunk, reads each once.
const domains = createDomainReuse();

// A folder opened again is decoded and its verdicts found kept, not checked again.
const kept = openKeptCoreResults();
const post = (message: FromCoreWorker, transfer?: Transferable[]) =>
  postWithLargeTexts((m, t) => scope.postMessage(m, t), message, transfer);

scope.addEventListener('message', (event) => {
  const request = read(event.data);
  if (!isToCoreWorker(request)) return;
  const { task } = request;
  (task.kind === 'open' && kept
    ? kept.open(task.files, task.rules, domains)
    : runCoreTask(task, domains)
  ).then(
    (result) =>
      // A zip or an order is handed over, not copied.
      post(
        { id: request.id, ok: true, result },
        ArrayBuffer.isView(result) ? [result.buffer as ArrayBuffer] : [],
      ),
    (e: unknown) => post({ id: request.id, ok: false, message: (e as Error).message ?? String(e) }),
  );
});
