/** The IndexedDB database and object store the session is saved in (the page's and the worker's). */
export const SESSION_DB_NAME = 'checkpoint-editor';
export const SESSION_STORE_NAME = 'session';

/** One write for the session-store worker: an entry under its key. */
export interface ToSessionStoreWorker {
  id: number;
  key: string;
  value: unknown;
}

export type FromSessionStoreWorker =
  { id: number; ok: true; result: null } | { id: number; ok: false; message: string };

export function isToSessionStoreWorker(data: unknown): data is ToSessionStoreWorker {
  const d = data as Partial<ToSessionStoreWorker> | null;
  return typeof d?.id === 'number' && typeof d.key === 'string';
}

export function isFromSessionStoreWorker(data: unknown): data is FromSessionStoreWorker {
  const d = data as Partial<FromSessionStoreWorker> | null;
  return typeof d?.id === 'number' && typeof d.ok === 'boolean';
}
