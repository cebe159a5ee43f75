// The session-store worker's entry: session-store.ts starts it. It writes the entries of large files,
// whose copy into IndexedDB would stop the page for a few hundred milliseconds.
import { set } from 'idb-keyval';
import { createLargeTextReader } from './large-text.ts';
import type { FromSessionStoreWorker } from './session-store-messages.ts';
import { openSessionDb } from './session-db.ts';
import { isToSessionStoreWorker } from './session-store-messages.ts';

const scope = self as unknown as {
  postMessage(message: FromSessionStoreWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
};

// Opened on the first write, and kept; closed at once when another tab deletes the database.
const db = openSessionDb();

// A large file's text comes in pieces: see large-text.ts.
const read = createLargeTextReader();

scope.addEventListener('message', (event) => {
  const request = read(event.data);
  if (!isToSessionStoreWorker(request)) return;
  set(request.key, request.value, db).then(
    () => scope.postMessage({ id: request.id, ok: true, result: null }),
    (e: unknown) => {
      // The reason's name (QuotaExceededError) says what the operator is told.
      const error = e as { name?: string; message?: string } | null;
      const message = `${error?.name ?? 'Error'}: ${error?.message ?? String(e)}`;
      scope.postMessage({ id: request.id, ok: false, message });
    },
  );
});
