// The bundle worker's entry: bundle-reader.ts starts one per archive and ends it when done or cancelled.
import type { FromBundleWorker } from './bundle-messages.ts';
import { isToBundleWorker, serveBundleRequest } from './bundle-messages.ts';

// The DOM lib types `self` as a Window; in a worker it is a DedicatedWorkerGlobalScope.
const scope = self as unknown as {
  postMessage(message: FromBundleWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
};

scope.addEventListener('message', (event) => {
  if (isToBundleWorker(event.data)) {
    void serveBundleRequest(event.data, (message, transfer) =>
      scope.postMessage(message, transfer),
    );
  }
});
