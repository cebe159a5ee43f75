import { gzipSync, strToU8 } from 'fflate';
import { packTar } from 'modern-tar';
import { describe, expect, it } from 'vitest';
import type { BundleBatch } from '../../src/core/index.ts';
import type { FromBundleWorker, ToBundleWorker } from '../../src/workers/bundle-messages.ts';
import { serveBundleRequest } from '../../src/workers/bundle-messages.ts';
import type { WorkerLike } from '../../src/workers/index.ts';
import { readBundleFile } from '../../src/workers/index.ts';

type Listener = (event: Event) => void;

/**
 * A bundle worker on this thread: the worker's own handler, each message through a structured
 * clone with its transfer list, as postMessage does (a buffer listed twice fails it).
 */
class FakeBundleWorker implements WorkerLike<ToBundleWorker> {
  terminated = false;
  /** The entries' bytes as the worker held them: handed over, they are detached there. */
  sent: Uint8Array[] = [];
  private listeners = new Map<string, Listener[]>();
  constructor(private readonly mode: 'answers' | 'crashes' | 'stuck' = 'answers') {}
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  postMessage(request: ToBundleWorker): void {
    if (this.mode === 'stuck') return;
    if (this.mode === 'crashes') {
      setTimeout(() =>
        this.emit('error', Object.assign(new Event('error'), { message: 'out of memory' })),
      );
      return;
    }
    void serveBundleRequest(request, (message: FromBundleWorker, transfer) => {
      if (this.terminated) return;
      if (message.type === 'batch') for (const e of message.batch.entries) this.sent.push(e.bytes);
      const data = structuredClone(message, { transfer: transfer ?? [] });
      this.emit('message', new MessageEvent('message', { data }));
    });
  }
  terminate(): void {
    this.terminated = true;
  }
  private emit(type: string, event: Event) {
    for (const l of this.listeners.get(type) ?? []) l(event);
  }
}

const tgz = async (count: number) =>
  new Blob([
    gzipSync(
      await packTar(
        Array.from({ length: count }, (_, i) => ({
          header: { name: `web01/c${i}.xml`, size: 4, type: 'file' as const },
          body: strToU8('<a/>'),
        })),
      ),
    ),
  ]);

describe('readBundleFile', () => {
  it('gets the entries in batches from its worker, their buffers handed over, not copied', async () => {
    const worker = new FakeBundleWorker();
    const batches: BundleBatch[] = [];
    const reading = readBundleFile(await tgz(2500), 'tar.gz', {
      name: 'web01.tar.gz',
      onBatch: (b) => batches.push(b),
      createWorker: () => worker,
    });
    const outcome = await reading.done;
    expect(outcome.stopped).toBeUndefined();
    expect(batches.map((b) => b.entries.length)).toEqual([1000, 1000, 500]);
    expect(new TextDecoder().decode(batches[2]?.entries[499]?.bytes)).toBe('<a/>');
    expect(worker.sent).toHaveLength(2500);
    expect(worker.sent.every((bytes) => bytes.byteLength === 0)).toBe(true);
    expect(worker.terminated).toBe(true);
  });

  it('ends its worker on cancel, and says the bundle was cancelled', async () => {
    const worker = new FakeBundleWorker('stuck');
    const reading = readBundleFile(await tgz(1), 'tar.gz', {
      name: 'web01.tar.gz',
      onBatch: () => undefined,
      createWorker: () => worker,
    });
    reading.cancel();
    expect(worker.terminated).toBe(true);
    expect((await reading.done).stopped).toMatchObject({
      code: 'bundle-cancelled',
      message: 'cancelled',
    });
  });

  it('says why when its worker fails', async () => {
    const reading = readBundleFile(await tgz(1), 'tar.gz', {
      name: 'web01.tar.gz',
      onBatch: () => undefined,
      createWorker: () => new FakeBundleWorker('crashes'),
    });
    expect((await reading.done).stopped?.message).toBe(
      'could not be read: its worker failed (out of memory)',
    );
  });
});
