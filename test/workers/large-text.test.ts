import { describe, expect, it } from 'vitest';
import type { WorkerLike } from '../../src/workers/index.ts';
import {
  createLargeTextReader,
  createWorkerPool,
  postWithLargeTexts,
} from '../../src/workers/index.ts';
import { packLargeTexts, PIECE_CHARS } from '../../src/workers/large-text.ts';

type Listener = (event: Event) => void;

/** The longest string anywhere in a message. */
function longest(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value && typeof value === 'object') {
    return Math.max(0, ...Object.values(value as Record<string, unknown>).map(longest));
  }
  return 0;
}

/** A worker on this thread that reads as a real one does and answers with its text upper-cased. */
class EchoWorker implements WorkerLike<unknown> {
  readonly sizes: number[] = [];
  private listeners: Listener[] = [];
  private read = createLargeTextReader();
  addEventListener(type: string, listener: Listener): void {
    if (type === 'message') this.listeners.push(listener);
  }
  postMessage(message: unknown): void {
    this.sizes.push(longest(message));
    const request = this.read(structuredClone(message)) as
      { id: number; text: string; bytes: Uint8Array } | undefined;
    if (!request) return;
    const answer = { id: request.id, ok: true, result: { text: request.text.toUpperCase() } };
    setTimeout(() =>
      postWithLargeTexts((m) => {
        this.sizes.push(longest(m));
        const event = new MessageEvent('message', { data: structuredClone(m) });
        for (const l of this.listeners) l(event);
      }, answer),
    );
  }
  terminate(): void {}
}

describe('long texts between the page and a worker', () => {
  it('cross in pieces, no message longer than a piece, and arrive whole', async () => {
    const worker = new EchoWorker();
    const pool = createWorkerPool<{ text: string; bytes: Uint8Array }, { text: string }, unknown>({
      protocol: {
        request: (id, r) => ({ id, ...r }),
        answer: (data) => data as { id: number; ok: true; result: { text: string } },
      },
      createWorker: () => worker,
      size: 1,
      timeoutMs: 10_000,
    });
    const text = 'abc'.repeat(PIECE_CHARS) + 'end';
    const result = await pool.run({ text, bytes: new Uint8Array([1, 2, 3]) });
    expect(result.text).toBe(text.toUpperCase());
    expect(Math.max(...worker.sizes)).toBeLessThanOrEqual(PIECE_CHARS);
    // Three pieces each way, and the messages themselves.
    expect(worker.sizes.length).toBe(2 * (Math.ceil(text.length / PIECE_CHARS) + 1));
    pool.close();
  });

  it('looks into an object once however often the message points at it, and keeps it shared', () => {
    // As a report of stray bitmaps: every stray points at the one image that holds them all.
    let looked = 0;
    const bitmaps = Array.from({ length: 1_000 }, (_, i) => ({
      get name() {
        looked++;
        return `stray.${i}`;
      },
    }));
    const image = { bitmaps, note: 'x'.repeat(PIECE_CHARS + 1) };
    const orphans = Array.from({ length: 1_000 }, (_, i) => ({ disk: 'vda', image, i }));
    const { message, pieces } = packLargeTexts({ orphans });
    // Each bitmap once: walked once per stray, it was 1,000,000.
    expect(looked).toBe(1_000);
    // One text, sent once, in two pieces; the image's copy is shared as the image was.
    expect(pieces).toHaveLength(2);
    const packed = (message as { orphans: { image: unknown }[] }).orphans;
    expect(new Set(packed.map((o) => o.image)).size).toBe(1);

    const read = createLargeTextReader();
    for (const piece of structuredClone(pieces)) expect(read(piece)).toBeUndefined();
    const arrived = read(structuredClone(message)) as { orphans: { image: { note: string } }[] };
    expect(arrived.orphans[999]?.image).toBe(arrived.orphans[0]?.image);
    expect(arrived.orphans[0]?.image.note).toBe(image.note);
  });

  it('ends on a message that holds itself', () => {
    const loop: Record<string, unknown> = { text: 'y'.repeat(PIECE_CHARS + 1) };
    loop['self'] = loop;
    const { message, pieces } = packLargeTexts([loop, loop]);
    expect(pieces).toHaveLength(2);
    const [first, second] = message as Record<string, unknown>[];
    expect(second).toBe(first);
    expect(first?.['text']).toEqual({ __largeText: 0 });
  });

  it('leaves short messages as they are', () => {
    const read = createLargeTextReader();
    const message = { id: 1, files: [{ fileName: 'a.xml', text: '<a/>' }] };
    expect(read(message)).toBe(message);
  });
});
