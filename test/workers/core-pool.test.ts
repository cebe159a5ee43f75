import { describe, expect, it } from 'vitest';
import type { CoreWorkerLike } from '../../src/workers/index.ts';
import { createCorePool } from '../../src/workers/index.ts';
import { runCoreTask } from '../../src/workers/core-tasks.ts';
import type { ToCoreWorker } from '../../src/workers/core-messages.ts';
import { conformanceFile } from '../validation/files.ts';
import { compareNatural } from '../../src/core/index.ts';
import type { FileLike } from '../../src/state/read-files.ts';
import {
  SORT_ON_PAGE,
  sortOfferedFiles,
  sortOfferedFilesOffPage,
} from '../../src/state/read-files.ts';

type Listener = (event: Event) => void;

/** A core worker on this thread, behind structured clones; or one that hangs or crashes. */
class FakeCoreWorker implements CoreWorkerLike {
  static started = 0;
  terminated = false;
  private listeners = new Map<string, Listener[]>();
  constructor(private readonly mode: 'answers' | 'stuck' | 'crashes' = 'answers') {
    FakeCoreWorker.started++;
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  postMessage(message: ToCoreWorker): void {
    const { id, task } = structuredClone(message);
    if (this.mode === 'stuck') return;
    if (this.mode === 'crashes') {
      setTimeout(() =>
        this.emit('error', Object.assign(new Event('error'), { message: 'out of memory' })),
      );
      return;
    }
    void runCoreTask(task).then((result) => {
      if (!this.terminated) {
        this.emit(
          'message',
          new MessageEvent('message', { data: structuredClone({ id, ok: true, result }) }),
        );
      }
    });
  }
  terminate(): void {
    this.terminated = true;
  }
  private emit(type: string, event: Event) {
    for (const l of this.listeners.get(type) ?? []) l(event);
  }
}

const text = conformanceFile('oracle/nodom-minimal/input.xml').contents;
const files = Array.from({ length: 7 }, (_, i) => ({ fileName: `c${i}.xml`, text }));

describe('the core pool', () => {
  it('splits the work into chunks over its workers, answers in order, and tells the progress', async () => {
    FakeCoreWorker.started = 0;
    const pool = createCorePool({
      size: 2,
      chunkSize: 3,
      createWorker: () => new FakeCoreWorker(),
    });
    const progress: number[] = [];
    const verdicts = await pool.run(
      { kind: 'check', files, rules: { profile: 'allow-no-domain' } },
      (done) => progress.push(done),
    );
    expect(verdicts).toHaveLength(7);
    expect(verdicts.every((v) => v.checkpoint?.name === 'm1' && v.problems.length === 0)).toBe(
      true,
    );
    expect(progress.sort((a, b) => a - b)).toEqual([0, 3, 6, 7]);
    expect(FakeCoreWorker.started).toBe(2);
    pool.close();
  });

  it("sorts a bundle's paths in a worker in exactly compareNatural's order, as one task", async () => {
    // Digits, case, accents, punctuation, duplicates, deep paths: what a bundle may hold.
    const stems = ['c', 'C', 'vmconfig.virtnbdbackup.', 'é', 'e', 'a-b', 'a_b', 'a.b', 'Z', ''];
    const paths: string[] = [];
    for (let i = 0; i < SORT_ON_PAGE + 500; i++) {
      const stem = stems[i % stems.length] as string;
      const dir = i % 7 === 0 ? 'web01/checkpoints/' : i % 5 === 0 ? 'web01/' : '';
      paths.push(`${dir}${stem}${(i * 7919) % 2003}${i % 3 === 0 ? '.xml' : '.json'}`);
    }
    paths.push('x10.xml', 'x2.xml', 'x02.xml', 'x2.xml', 'web01/checkpoints/c1.xml');
    FakeCoreWorker.started = 0;
    const pool = createCorePool({
      size: 2,
      chunkSize: 3,
      createWorker: () => new FakeCoreWorker(),
    });
    const order = await pool.run({ kind: 'sort-paths', paths: paths.join('\0') });
    expect(order).toBeInstanceOf(Uint32Array);
    expect(FakeCoreWorker.started).toBe(1);
    const expected = [...paths].sort(compareNatural);
    expect([...order].map((i) => paths[i])).toEqual(expected);

    // The offer as the open sees it: the same lists, in the same order, as sorted on the page.
    const offer: FileLike[] = paths.map((path, i) => ({
      name: path.split('/').pop() as string,
      webkitRelativePath: path,
      size: i,
      text: () => Promise.resolve(''),
      arrayBuffer: () => Promise.resolve(new ArrayBuffer(0)),
      stream: () => new ReadableStream(),
    }));
    let asked = 0;
    let pauses = 0;
    const offPage = await sortOfferedFilesOffPage(
      offer,
      (p) => {
        asked++;
        return pool.run({ kind: 'sort-paths', paths: p.join('\0') });
      },
      async () => {
        pauses++;
      },
      1_000,
    );
    const onPage = sortOfferedFiles(offer);
    expect(asked).toBe(1);
    // A pause each 1,000 paths taken, and each 1,000 files sorted out.
    expect(pauses).toBe(2 * Math.floor(offer.length / 1_000));
    expect(offPage.toRead.map((o) => o.file)).toEqual(onPage.toRead.map((o) => o.file));
    expect(offPage.json.map((o) => o.path)).toEqual(onPage.json.map((o) => o.path));
    expect(offPage.skipped).toEqual(onPage.skipped);
    expect(offPage.backups.map((o) => o.path)).toEqual(onPage.backups.map((o) => o.path));
    // A small folder stays on the page, as before.
    await sortOfferedFilesOffPage(offer.slice(0, SORT_ON_PAGE), () => {
      asked++;
      return Promise.resolve(new Uint32Array());
    });
    expect(asked).toBe(1);
    pool.close();
  });

  it('works on the page, a chunk at a time, where there are no workers', async () => {
    const pool = createCorePool({ chunkSize: 2, createWorker: undefined });
    const out = await pool.run({ kind: 'format', files, options: {} });
    expect(out.map((o) => ('text' in o ? o.fileName : 'failed'))).toEqual(
      files.map((f) => f.fileName),
    );
  });

  it('gives up on a chunk whose workers hang or crash twice, saying so for each file', async () => {
    for (const mode of ['stuck', 'crashes'] as const) {
      const pool = createCorePool({
        size: 1,
        timeoutMs: 50,
        createWorker: () => new FakeCoreWorker(mode),
      });
      const verdicts = await pool.run({
        kind: 'check',
        files: files.slice(0, 2),
        rules: { profile: 'strict' },
      });
      expect(verdicts).toMatchObject([
        { problems: [{ code: 'worker-failed', file: 'c0.xml', severity: 'error' }] },
        { problems: [{ code: 'worker-failed', file: 'c1.xml' }] },
      ]);
      pool.close();
    }
  });

  it('reads bytes as libxml2 would decode them, and says why a file is not XML text', async () => {
    const pool = createCorePool({ createWorker: () => new FakeCoreWorker() });
    const out = await pool.run({
      kind: 'open',
      files: [
        { fileName: 'dir/a.xml', bytes: new TextEncoder().encode(text) },
        { fileName: 'b.xml', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]) },
      ],
      rules: { profile: 'allow-no-domain' },
    });
    expect(out[0]).toMatchObject({ fileName: 'dir/a.xml', text, verdict: { problems: [] } });
    expect(out[1]).toMatchObject({
      fileName: 'b.xml',
      skipped: 'line 1: binary data, not XML text',
    });
    pool.close();
  });
});
