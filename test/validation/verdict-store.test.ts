// Kept verdicts in records of many (one per run): read once per worker, written once per run,
// made one past COMPACT_AFTER records, the latest verdict of a text winning.
import { describe, expect, it } from 'vitest';
import type { KeptVerdict } from '../../src/validation/index.ts';
import type { VerdictRecord, VerdictRecords } from '../../src/validation/verdict-store.ts';
import {
  COMPACT_AFTER,
  mergeRecords,
  verdictStoreOver,
} from '../../src/validation/verdict-store.ts';

const valid: KeptVerdict = { valid: true, problems: [] };
const invalid: KeptVerdict = {
  valid: false,
  problems: [{ code: 'schema', severity: 'error', message: 'Relax-NG validity error', line: 3 }],
};

/** Records in memory, as IndexedDB holds them (each read a structured clone), counting reads. */
function memoryRecords(): VerdictRecords & { records: VerdictRecord[]; reads: number } {
  const r = {
    records: [] as VerdictRecord[],
    reads: 0,
    readAll: async () => {
      r.reads++;
      return structuredClone(r.records);
    },
    add: async (record: VerdictRecord) => {
      r.records.push(structuredClone(record));
    },
    compact: async (keep: number) => {
      r.records = [mergeRecords(r.records, keep)];
    },
  };
  return r;
}

describe('the verdict store', () => {
  it('reads its records once for all lookups, and writes each run as one record', async () => {
    const records = memoryRecords();
    const store = verdictStoreOver(records);
    expect(await store.getMany(['a', 'b'])).toEqual([undefined, undefined]);
    const run = Array.from({ length: 1000 }, (_, i): [string, KeptVerdict] => [`k${i}`, valid]);
    await store.setMany(run);
    await store.setMany([['b', invalid]]);
    expect(records.records).toHaveLength(2);
    expect(await store.getMany(['k999', 'b', 'c'])).toEqual([valid, invalid, undefined]);
    expect(records.reads).toBe(1);
    // Another worker, or the next visit: finds what this one kept.
    const next = verdictStoreOver(records);
    expect(await next.getMany(['k0', 'b'])).toEqual([valid, invalid]);
  });

  it('makes its records one past COMPACT_AFTER, the latest verdict of a key winning', async () => {
    const records = memoryRecords();
    const store = verdictStoreOver(records);
    for (let i = 0; i <= COMPACT_AFTER; i++) await store.setMany([[`k${i}`, valid]]);
    await store.setMany([['k0', invalid]]);
    expect(records.records.length).toBeGreaterThan(COMPACT_AFTER);
    const next = verdictStoreOver(records);
    expect(await next.getMany(['k0', `k${COMPACT_AFTER}`])).toEqual([invalid, valid]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(records.records).toHaveLength(1);
    expect(await verdictStoreOver(records).getMany(['k0', 'k1'])).toEqual([invalid, valid]);
  });

  it('keeps the latest verdicts only, up to the limit', () => {
    const merged = mergeRecords(
      [
        [
          ['a', valid],
          ['b', valid],
        ],
        [
          ['c', valid],
          ['a', invalid],
        ],
      ],
      2,
    );
    expect(merged).toEqual([
      ['c', valid],
      ['a', invalid],
    ]);
  });

  it('misses every lookup where the records cannot be read, and still keeps', async () => {
    const records = memoryRecords();
    await records.add([['a', valid]]);
    const broken = verdictStoreOver({ ...records, readAll: () => Promise.reject(new Error('no')) });
    expect(await broken.getMany(['a'])).toEqual([undefined]);
    await broken.setMany([['b', valid]]);
    expect(await verdictStoreOver(records).getMany(['a', 'b'])).toEqual([valid, valid]);
  });
});
