import type { UseStore } from 'idb-keyval';
import { promisifyRequest } from 'idb-keyval';
import { SESSION_DB_NAME, SESSION_STORE_NAME } from './session-store-messages.ts';

/** Why the connection to the session's database went: another tab deletes or upgrades it, or the browser closed it. */
export type SessionDbLoss = 'versionchange' | 'close';

/**
 * The session's IndexedDB store, as idb-keyval's `createStore` makes it, and kept usable through
 * what the browser does to the database under a live page (the page's and the session-store
 * worker's alike):
 * - `versionchange` (another tab's `deleteDatabase()`, or an upgrade): the connection is closed at
 *   once, so the other side is never blocked, and opened again by the next request (which the
 *   browser queues behind the deletion);
 * - `close` (the site's data cleared in DevTools or by CDP, eviction): opened again likewise;
 * - a database left without its object store (made by another page's bare `open()` after a
 *   deletion): opened again one version up, creating it.
 * `onLoss` hears each of the first two: what was stored may be gone.
 */
export function openSessionDb(onLoss: (why: SessionDbLoss) => void = () => {}): UseStore {
  let connection: Promise<IDBDatabase> | undefined;
  const open = (version?: number): Promise<IDBDatabase> => {
    const request = indexedDB.open(SESSION_DB_NAME, version);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(SESSION_STORE_NAME)) {
        request.result.createObjectStore(SESSION_STORE_NAME);
      }
    };
    return promisifyRequest(request).then((db) => {
      if (!db.objectStoreNames.contains(SESSION_STORE_NAME)) {
        db.close();
        return open(db.version + 1);
      }
      const lost = (why: SessionDbLoss) => {
        if (connection === opened) connection = undefined;
        onLoss(why);
      };
      const opened = connection;
      db.onversionchange = () => {
        db.close();
        lost('versionchange');
      };
      db.onclose = () => lost('close');
      return db;
    });
  };
  const database = () => {
    if (connection) return connection;
    const opening = open();
    connection = opening;
    opening.catch(() => {
      if (connection === opening) connection = undefined;
    });
    return opening;
  };
  const transaction = async (mode: IDBTransactionMode) => {
    try {
      return (await database()).transaction(SESSION_STORE_NAME, mode);
    } catch (e) {
      // Closed between the open and this request (a versionchange just now): once more, afresh.
      if ((e as Error | null)?.name !== 'InvalidStateError') throw e;
      connection = undefined;
      return (await database()).transaction(SESSION_STORE_NAME, mode);
    }
  };
  return (mode, callback) =>
    transaction(mode).then((tx) => callback(tx.objectStore(SESSION_STORE_NAME)));
}
