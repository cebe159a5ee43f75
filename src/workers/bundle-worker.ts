// The bundle worker's entry: bundle-reader.ts starts one per archive and ends it when done or cancelled.
import { unpackBundle } from '../core/index.ts';
import type { FromBundleWorker } from './bundle-messages.ts';
import { isToBundleWorker } from './bundle-messages.ts';
import { PROGRESS_EVERY_MS, transferList } from './bundle-messages.ts';

// The DOM lib types `self` as a Window; in a worker it is a DedicatedWorkerGlobalScope.
const scope = self as unknown as {
  postMessage(message: FromBundleWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
};

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (!isToBundleWorker(request)) return;
  let toldAt = 0;
  void unpackBundle(request.file.stream(), request.kind, {
    ...request.limits,
    name: request.name,
    // Each entry's buffer is handed over, not copied: the page never copies the bytes again.
    onBatch: (batch) => scope.postMessage({ type: 'batch', batch }, transferList(batch)),
    onProgress: (progress) => {
      const now = performance.now();
      if (now - toldAt < PROGRESS_EVERY_MS) return;
      toldAt = now;
      scope.postMessage({ type: 'progress', progress });
    },
  }).then((outcome) => scope.postMessage({ type: 'done', outcome }));
});
