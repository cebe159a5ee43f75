import { describe, expect, it } from 'vitest';
import type { BytesFile, ReadOutcome } from '../core/index.ts';
import { compareNatural } from '../core/index.ts';
import type { EarlyOpened } from './bundle-early.ts';
import { createEarlyOpens, inNameOrder, openWithEarly } from './bundle-early.ts';
import type { FileLike } from './read-files.ts';
import type { SchemaValidator } from './services.ts';

/** An entry of a bundle as openBundles hands it on: its bytes in memory. */
function entry(path: string): FileLike {
  const bytes = new TextEncoder().encode(
    `<domaincheckpoint><name>${path}</name></domaincheckpoint>`,
  );
  return {
    name: path.slice(path.lastIndexOf('/') + 1),
    path,
    size: bytes.length,
    inMemory: bytes,
    text: () => Promise.resolve(new TextDecoder().decode(bytes)),
    arrayBuffer: () => Promise.resolve(bytes.slice().buffer),
    stream: () => new Blob([bytes]).stream(),
  };
}

const outcome = (f: BytesFile): ReadOutcome => ({
  fileName: f.fileName,
  text: new TextDecoder().decode(f.bytes),
  verdict: { problems: [] },
});

/** A validator whose opens are recorded; `fail` makes them reject. */
function fakeValidator(fail = false) {
  const opens: string[][] = [];
  const validator: SchemaValidator = {
    validate: () => Promise.resolve([]),
    open: (files) => {
      opens.push(files.map((f) => f.fileName));
      return fail
        ? Promise.reject(new Error('the worker failed'))
        : Promise.resolve({
            outcomes: files.map(outcome),
            verdicts: files.map((f) => ({
              problems: [{ code: 'x', message: f.fileName } as never],
            })),
          });
    },
    close: () => undefined,
  };
  return { validator, opens };
}

const paths = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `vm-checkpoints/checkpoints/bk.${from + i}.xml`);
const shuffled = <T>(list: T[]) => {
  // A fixed shuffle: the order a disk gives tar.
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

describe('which batches of a bundle are opened as they come', () => {
  it('counts a batch in order when its paths rise in natural order, not in byte order or at random', () => {
    const natural = paths(1200).map(entry);
    expect(inNameOrder(natural)).toBe(true);
    const bytewise = [...natural].sort((a, b) => (a.path! < b.path! ? -1 : 1));
    expect(inNameOrder(bytewise)).toBe(false);
    expect(inNameOrder(shuffled(natural))).toBe(false);
    expect(inNameOrder([entry('a.xml')])).toBe(false);
  });

  it('opens nothing of a bundle of one batch, nor of batches out of order', () => {
    const { validator, opens } = fakeValidator();
    const early = createEarlyOpens({ validator, profile: 'strict', generation: 1 });
    const one = paths(600).map(entry);
    early.offer(one);
    early.end();
    expect(opens).toEqual([]);
    const all = shuffled(paths(1200).map(entry));
    early.offer(all.slice(0, 600));
    early.offer(all.slice(600));
    early.end();
    expect(opens).toEqual([]);
    expect(all.map((f) => early.take(f))).toEqual(all.map(() => undefined));
  });

  it('in order: from the second batch on, the first 50 then runs of 1,000, the rest at the end', async () => {
    const { validator, opens } = fakeValidator();
    const early = createEarlyOpens({ validator, profile: 'strict', generation: 1 });
    const files = paths(1600).map(entry);
    early.offer(files.slice(0, 600));
    expect(opens).toEqual([]);
    early.offer(files.slice(600, 1200));
    expect(opens.map((o) => o.length)).toEqual([50, 1000]);
    early.offer(files.slice(1200));
    early.end();
    expect(opens.map((o) => o.length)).toEqual([50, 1000, 550]);
    expect(opens.flat()).toEqual(paths(1600));
    const taken = await Promise.all(files.map((f) => early.take(f)));
    taken.forEach((t, i) => {
      expect(t?.outcome.fileName).toBe(paths(1600)[i]);
      expect(t?.verdict?.problems[0]?.message).toBe(paths(1600)[i]);
    });
  });

  it('a cancelled bundle opens no more; an early open that failed gives nothing to take', async () => {
    const { validator, opens } = fakeValidator(true);
    const early = createEarlyOpens({ validator, profile: 'strict', generation: 1 });
    const files = paths(1300).map(entry);
    early.offer(files.slice(0, 600));
    early.offer(files.slice(600));
    early.end(false);
    expect(opens.map((o) => o.length)).toEqual([50, 1000]);
    expect(early.take(files[1299] as FileLike)).toBeUndefined();
    expect(await early.take(files[0] as FileLike)).toBeUndefined();
  });
});

describe('a chunk opened with some of its files opened early', () => {
  it('takes what came early, opens the rest and what failed, all in the chunk’s order', async () => {
    const files: BytesFile[] = ['a', 'b', 'c', 'd'].map((n) => ({
      fileName: `${n}.xml`,
      bytes: new TextEncoder().encode(`<x>${n}</x>`),
    }));
    const came = (f: BytesFile): Promise<EarlyOpened | undefined> =>
      Promise.resolve({ outcome: outcome(f), verdict: { problems: [] } });
    const asked: string[][] = [];
    const opened = await openWithEarly(
      files,
      [came(files[0]!), undefined, Promise.resolve(undefined), came(files[3]!)],
      (some) => {
        asked.push(some.map((f) => f.fileName));
        return Promise.resolve({ outcomes: some.map(outcome) });
      },
    );
    expect(asked).toEqual([['b.xml'], ['c.xml']]);
    expect(opened.outcomes.map((o) => o.fileName)).toEqual(['a.xml', 'b.xml', 'c.xml', 'd.xml']);
    expect(opened.verdicts).toEqual([{ problems: [] }, null, null, { problems: [] }]);
    expect([...opened.outcomes.map((o) => o.fileName)].sort(compareNatural)).toEqual(
      opened.outcomes.map((o) => o.fileName),
    );
  });
});
