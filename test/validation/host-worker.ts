import type { WorkerLike } from '../../src/validation/index.ts';
import { loadNodeEngine } from '../../src/validation/node-engine.ts';
import { createWorkerHost } from '../../src/validation/worker-host.ts';
import type { ToWorker } from '../../src/validation/worker-messages.ts';

type Listener = (event: Event) => void;

/**
 * A validation worker on this thread: worker.ts's host (real xmllint-wasm, core's open) behind
 * structured clones, as a real worker is; `received` lists what it was asked, by type.
 */
export class HostWorker implements WorkerLike {
  readonly received: ToWorker['type'][] = [];
  private readonly listeners = new Map<string, Listener[]>();
  private readonly handle = createWorkerHost(loadNodeEngine);

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  postMessage(message: ToWorker): void {
    this.received.push(message.type);
    void this.handle(structuredClone(message)).then((reply) => {
      if (!reply) return;
      const event = new MessageEvent('message', { data: structuredClone(reply) });
      for (const listener of this.listeners.get('message') ?? []) listener(event);
    });
  }

  terminate(): void {}
}
