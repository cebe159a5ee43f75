import type { UseStore } from 'idb-keyval';
import { createStore, getMany, setMany } from 'idb-keyval';
import type { VerdictStore } from './verdict-cache.ts';

/**
 * Schema verdicts kept in this browser between visits, in their own IndexedDB database: a folder
 * opened again, or the session after a reload, is not validated again. Where IndexedDB cannot be
 * opened every lookup misses and nothing is kept.
 */
export function openVerdictStore(): VerdictStore {
  let db: UseStore | undefined;
  const open = () => (db ??= createStore('checkpoint-editor-verdicts', 'verdicts'));
  return {
    getMany: (keys) => getMany(keys, open()),
    setMany: (entries) => setMany(entries, open()),
  };
}
