import type { UseStore } from 'idb-keyval';
import { createStore, promisifyRequest, set, values } from 'idb-keyval';
import { VERDICT_CACHE, cacheHasRoom } from '../workers/index.ts';
import type { KeptVerdict, VerdictStore } from './verdict-cache.ts';

/** One record: the verdicts of one run, by key. */
export type VerdictRecord = [key: string, verdict: KeptVerdict][];

/** Where the records are: IndexedDB in a worker, memory in tests. */
export interface VerdictRecords {
  /** Every record, oldest first. */
  readAll(): Promise<VerdictRecord[]>;
  add(record: VerdictRecord): Promise<void>;
  /** All records made one (mergeRecords), in one transaction: a record added meanwhile is not lost. */
  compact(keep: number): Promise<void>;
}

/** Past this many records, the next worker to read them makes them one. */
export const COMPACT_AFTER = 32;
/** Verdicts kept at most (the latest): ~10 folders of 10,000 files, ~15 MB read by each worker. */
export const MAX_KEPT = 100_000;

/** The records as one, a later verdict for a key replacing an earlier one; the latest `keep` only. */
export function mergeRecords(records: readonly VerdictRecord[], keep: number): VerdictRecord {
  const all = new Map<string, KeptVerdict>();
  for (const record of records) {
    for (const [key, verdict] of record) {
      // Deleted first, so that the key's place is its latest run's.
      all.delete(key);
      all.set(key, verdict);
    }
  }
  const merged = [...all];
  return merged.length > keep ? merged.slice(merged.length - keep) : merged;
}

/**
 * Verdicts kept in records of many, one per run, rather than one entry per text: the records are
 * read once, when the first lookup comes, and answered from memory; each run's new verdicts are
 * one write. A 10,000-file folder is then 1 read and a few writes, not 10,000 of each (each a
 * round trip to the browser's storage). Any failure counts as a miss.
 */
export function verdictStoreOver(records: VerdictRecords): VerdictStore {
  let known: Promise<Map<string, KeptVerdict>> | undefined;
  const load = () =>
    (known ??= records.readAll().then(
      (all) => {
        if (all.length > COMPACT_AFTER) void records.compact(MAX_KEPT).catch(() => undefined);
        const map = new Map<string, KeptVerdict>();
        for (const record of all) for (const [key, verdict] of record) map.set(key, verdict);
        return map;
      },
      () => new Map<string, KeptVerdict>(),
    ));
  return {
    getMany: async (keys) => {
      const map = await load();
      return keys.map((k) => map.get(k));
    },
    setMany: async (entries) => {
      const map = await load();
      for (const [key, verdict] of entries) map.set(key, verdict);
      await records.add(entries);
    },
  };
}

/** The records in IndexedDB, each under a key that sorts by the time it was written. */
function indexedDbRecords(db: UseStore): VerdictRecords {
  const newKey = () =>
    `${Date.now().toString(36).padStart(9, '0')}-${Math.random().toString(36).slice(2, 10)}`;
  return {
    readAll: () => values<VerdictRecord>(db),
    // Only where the session keeps its room (cache-room.ts).
    add: async (record) => {
      if (await cacheHasRoom()) await set(newKey(), record, db);
    },
    compact: (keep) =>
      db('readwrite', (store) => {
        const all = store.getAll();
        all.onsuccess = () => {
          const merged = mergeRecords(all.result as VerdictRecord[], keep);
          store.clear();
          store.put(merged, newKey());
        };
        return promisifyRequest(store.transaction);
      }),
  };
}

/**
 * Schema verdicts kept in this browser between visits, in their own IndexedDB database: a folder
 * opened again, or the session after a reload, is not validated again. Where IndexedDB cannot be
 * opened every lookup misses and nothing is kept.
 */
export function openVerdictStore(): VerdictStore {
  let records: VerdictRecords | undefined;
  // Opened on the first lookup: where IndexedDB throws, that lookup misses.
  const open = () => {
    if (records) return records;
    // The first layout kept one entry per text: never read again, its space given back.
    indexedDB.deleteDatabase('checkpoint-editor-verdicts');
    records = indexedDbRecords(createStore(VERDICT_CACHE.db, VERDICT_CACHE.store));
    return records;
  };
  return verdictStoreOver({
    readAll: () => open().readAll(),
    add: (record) => open().add(record),
    compact: (keep) => open().compact(keep),
  });
}
