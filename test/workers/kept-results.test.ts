import { describe, expect, it } from 'vitest';
import type { BytesFile, ReadOutcome, RuleSet, TargetDomain } from '../../src/core/index.ts';
import { createDomainReuse, openFile, readTargetDomain } from '../../src/core/index.ts';
import { backupFolder, EXAMPLE_WITH_ERRORS } from '../../src/samples/index.ts';
import type { KeptResultStore } from '../../src/workers/kept-results.ts';
import { createKeptResults } from '../../src/workers/kept-results.ts';
import { packBytes } from '../../src/validation/worker-client.ts';

/** IndexedDB as the worker sees it: values go in and come out as structured clones. */
function memoryStore() {
  const map = new Map<string, unknown>();
  const store: KeptResultStore & { map: Map<string, unknown>; gets: number } = {
    map,
    gets: 0,
    getMany(keys) {
      store.gets += keys.length;
      return Promise.resolve(keys.map((k) => structuredClone(map.get(k))));
    },
    setMany(entries) {
      for (const [k, v] of entries) map.set(k, structuredClone(v));
      return Promise.resolve();
    },
  };
  return store;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const STRICT: RuleSet = { profile: 'strict' };

const files: BytesFile[] = [
  ...backupFolder(30).map((c) => ({ fileName: `vm/${c.fileName}`, bytes: bytes(c.contents) })),
  ...EXAMPLE_WITH_ERRORS.map((f) => ({
    fileName: `errors/${f.fileName}`,
    bytes: bytes(f.contents),
  })),
  // No <domain>; a Latin-1 file (libvirt's reading differs from the text shown); not XML at all.
  {
    fileName: 'bare.xml',
    bytes: bytes('<domaincheckpoint><name>bare</name></domaincheckpoint>\n'),
  },
  {
    fileName: 'latin1.xml',
    bytes: Uint8Array.from([
      ...bytes('<?xml version="1.0" encoding="ISO-8859-1"?>\n<domaincheckpoint><name>caf'),
      0xe9,
      ...bytes('</name><description>\u00ff</description></domaincheckpoint>\n'),
    ]),
  },
  { fileName: 'binary.xml', bytes: Uint8Array.from([0, 1, 2, 0xff, 0xfe]) },
];

const checkedNow = (list: readonly BytesFile[], rules: RuleSet = STRICT) => {
  const domains = createDomainReuse();
  return list.map((f) => openFile(f, rules, domains));
};

/** Plants, in the one chunk kept, a verdict for file `i` that no check would give. */
function plant(store: ReturnType<typeof memoryStore>, i: number): void {
  expect(store.map.size).toBe(1);
  const [chunk] = [...store.map.values()] as { problems: unknown[] }[][];
  const verdict = chunk?.[i];
  if (!verdict) throw new Error(`no verdict kept for file ${i}`);
  verdict.problems = [{ code: 'planted', severity: 'error', message: 'kept' }];
}

const planted = (o: ReadOutcome | undefined) =>
  o !== undefined && 'verdict' in o && o.verdict.problems.some((p) => p.code === 'planted');

const BUILD = 'core-worker-AbCd1234.js';

async function keptOnce(
  store: KeptResultStore,
  list: readonly BytesFile[] = files,
  rules: RuleSet = STRICT,
  version = BUILD,
) {
  const kept = createKeptResults(store, version, 0);
  const out = await kept.open(list, rules, createDomainReuse());
  await kept.flush();
  return out;
}

describe('libvirt verdicts kept between visits (core worker)', () => {
  it('gives what a check gives, the first time and from the kept chunk in a new worker', async () => {
    const store = memoryStore();
    const expected = structuredClone(checkedNow(files));
    expect(structuredClone(await keptOnce(store))).toEqual(expected);
    expect(store.map.size).toBe(1);
    const restored = await keptOnce(store);
    expect(structuredClone(restored)).toEqual(expected);
    // Restored verdicts share their <domain> in brief, as checked ones do (one copy to the page).
    const briefs = (list: ReadOutcome[]) =>
      new Set(list.flatMap((o) => ('verdict' in o ? [o.verdict.checkpoint?.domain] : []))).size;
    expect(briefs(restored)).toBe(briefs(checkedNow(files)));
    expect(briefs(restored)).toBeLessThan(10);
  });

  it('uses the kept verdicts for the same bytes, paths, rules and build', async () => {
    const store = memoryStore();
    await keptOnce(store);
    plant(store, 3);
    const out = await keptOnce(store);
    expect(planted(out[3])).toBe(true);
    expect(out.filter(planted)).toHaveLength(1);
  });

  it('never uses a kept verdict when one file of the chunk changed, by one byte', async () => {
    const store = memoryStore();
    await keptOnce(store);
    plant(store, 3);
    const original = files[3] as BytesFile;
    const text = new TextDecoder().decode(original.bytes);
    // One byte added to the checkpoint's name: a text the check reads otherwise.
    const changed = { ...original, bytes: bytes(text.replace('<name>', '<name>x')) };
    const list = files.map((f, i) => (i === 3 ? changed : f));
    const out = await keptOnce(store, list);
    expect(out.some(planted)).toBe(false);
    expect(structuredClone(out)).toEqual(structuredClone(checkedNow(list)));
    const o = out[3];
    expect(o && 'verdict' in o && o.verdict.checkpoint?.name).toMatch(/^x/);
  });

  it('finds the chunk whether its bytes come in one buffer (a bundle, to a validation worker) or one each, and never where the same bytes end elsewhere', async () => {
    const store = memoryStore();
    await keptOnce(store);
    plant(store, 3);
    const { packed } = packBytes(files);
    expect(new Set(packed.map((f) => f.bytes.buffer)).size).toBe(1);
    const out = await keptOnce(store, packed);
    expect(planted(out[3])).toBe(true);
    expect(out.filter(planted)).toHaveLength(1);
    // The last byte of file 2 made the first of file 3: all the bytes as before, in one buffer.
    const [two, three] = [files[2] as BytesFile, files[3] as BytesFile];
    const moved = files.map((f, i) =>
      i === 2
        ? { ...f, bytes: two.bytes.subarray(0, two.bytes.length - 1) }
        : i === 3
          ? {
              ...f,
              bytes: Uint8Array.from([two.bytes[two.bytes.length - 1] as number, ...three.bytes]),
            }
          : f,
    );
    const shifted = await keptOnce(store, packBytes(moved).packed);
    expect(shifted.some(planted)).toBe(false);
  });

  it('checks again under other rules, another build or another path', async () => {
    const store = memoryStore();
    await keptOnce(store);
    plant(store, 3);
    const noDomain: RuleSet = { profile: 'allow-no-domain' };
    const profile = await keptOnce(store, files, noDomain);
    const build = await keptOnce(store, files, STRICT, 'core-worker-ZzZz9999.js');
    const moved = files.map((f, i) => (i === 3 ? { ...f, fileName: 'elsewhere/3.xml' } : f));
    const path = await keptOnce(store, moved);
    expect([profile, build, path].map((out) => out.some(planted))).toEqual([false, false, false]);
    expect(structuredClone(profile)).toEqual(structuredClone(checkedNow(files, noDomain)));
  });

  it('neither keeps nor uses verdicts checked against a target VM', async () => {
    const store = memoryStore();
    await keptOnce(store);
    plant(store, 3);
    const text = new TextDecoder().decode((files[3] as BytesFile).bytes);
    const domainXml = /<domain[\s>][\s\S]*<\/domain>/.exec(text)?.[0] ?? '';
    const read = readTargetDomain(domainXml);
    expect(read.ok).toBe(true);
    const rules: RuleSet = { profile: 'strict', target: (read as { value: TargetDomain }).value };
    const out = await keptOnce(store, files, rules);
    expect(out.some(planted)).toBe(false);
    expect(store.map.size).toBe(1);
    expect(structuredClone(out)).toEqual(structuredClone(checkedNow(files, rules)));
  });

  it('checks again when the store fails or holds something else under the key', async () => {
    const broken: KeptResultStore = {
      getMany: () => Promise.reject(new Error('gone')),
      setMany: () => Promise.reject(new Error('full')),
    };
    const expected = structuredClone(checkedNow(files));
    expect(structuredClone(await keptOnce(broken))).toEqual(expected);
    const store = memoryStore();
    await keptOnce(store);
    const [key] = [...store.map.keys()];
    store.map.set(key as string, [{ problems: [] }]);
    expect(structuredClone(await keptOnce(store))).toEqual(expected);
  });
});
