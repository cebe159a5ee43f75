import { promisifyRequest } from 'idb-keyval';
import { WorkerFailure, releaseCaches } from '../workers/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { OFF_PAGE_CHARS } from './large-file-limits.ts';
import type { Written } from './services.ts';
import type { DocEntry, SavedDocument } from './session-layout.ts';
import {
  SESSION_KEY,
  SESSION_V1_KEY,
  docKey,
  sessionEntry,
  sessionEntryKey,
} from './session-layout.ts';
import type { EditorState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';

/**
 * Characters saved in one transaction at most: a refused transaction can hold on to the space it
 * took for a while, so it stays small.
 */
const SAVE_BATCH_CHARS = 1_000_000;

/** What one save did: the files stored or removed, those refused and why, the session's entry. */
export interface SaveReport {
  stored: string[];
  refused: Record<string, string>;
  /** Why the list of files and the choices could not be stored, if they could not. */
  sessionError?: string;
  /** Whether the store still holds anything not stored (a change during the save, a refusal). */
  pending: boolean;
}

/** What is not stored yet: documents new or changed since, documents closed, the session's entry. */
function unsaved(s: EditorState, written: Written, retryRefused: boolean) {
  const docs: { doc: CheckpointDocument; savedText: string }[] = [];
  const stillRefused: Record<string, string> = {};
  for (const id of s.documentOrder) {
    const doc = s.documents[id];
    if (!doc) continue;
    const savedText = s.savedTexts[id] ?? doc.text;
    const last = written.documents.get(id);
    if (last && last.doc === doc && last.savedText === savedText) continue;
    const refused = written.refused.get(id);
    if (refused?.doc === doc && !retryRefused) stillRefused[id] = refused.reason;
    else docs.push({ doc, savedText });
  }
  const removed = [...written.documents.keys()].filter((id) => !s.documents[id]);
  const session = sessionEntry(s);
  const sessionJson = sessionEntryKey(session, written.identities);
  return { docs, removed, session, sessionJson, stillRefused };
}

/** Whether anything in the store is not stored (refused files aside, until they change). */
export function hasUnsavedChanges(store: EditorStore): boolean {
  const u = unsaved(store.getState(), store.services.written, false);
  return (
    u.docs.length > 0 ||
    u.removed.length > 0 ||
    u.sessionJson !== store.services.written.session ||
    store.services.written.oldLayoutKept
  );
}

const FULL = 'the browser’s storage for this page is full';

/** The browser's reason, in the operator's words where there is one. */
function refusal(e: unknown): string {
  const { name, message } = (e ?? {}) as { name?: string; message?: string };
  // The session-store worker's refusals carry the name at the start of the message.
  if (name === 'QuotaExceededError' || message?.startsWith('QuotaExceededError')) return FULL;
  return (e as Error | null)?.message || String(e);
}

/**
 * Stores what changed since the last save: each changed document in a transaction of its own, then
 * the session's entry with the closed documents' entries removed, in one transaction (so a closed
 * file goes with the list that no longer names it). Every write is asked for at once, before the
 * first await, so a save started as the page is hidden reaches the database before the page goes
 * (`now`: every write on the page itself, none through the worker). Each transaction of the page
 * is committed explicitly once its requests are made: the browser's storage process then commits
 * it even if the page is gone before the requests' answers come back.
 */
export function saveSession(
  store: EditorStore,
  { retryRefused = false, now = false } = {},
): Promise<SaveReport> {
  const s = store.getState();
  const db = store.services.sessionDb();
  const written = store.services.written;
  const u = unsaved(s, written, retryRefused);
  const refused: Record<string, string> = { ...u.stillRefused };
  const stored: string[] = [];
  // A large file's copy into IndexedDB stops the page for a while: a worker makes it, except as
  // the page goes (a worker's write could be cut short with it).
  const worker = now ? undefined : store.services.sessionStoreWorker();
  const valueOf = (entry: DocEntry): SavedDocument =>
    entry.savedText === entry.doc.text
      ? { doc: entry.doc }
      : { doc: entry.doc, savedText: entry.savedText };
  const sizeOf = (entry: DocEntry) =>
    entry.doc.text.length + (entry.savedText === entry.doc.text ? 0 : entry.savedText.length);
  const outcome = (entry: DocEntry, write: Promise<void>) =>
    write.then(
      () => {
        written.documents.set(entry.doc.id, entry);
        written.refused.delete(entry.doc.id);
        stored.push(entry.doc.id);
      },
      (e: unknown) => {
        const reason = refusal(e);
        written.refused.set(entry.doc.id, { doc: entry.doc, reason });
        refused[entry.doc.id] = reason;
      },
    );
  // A write the browser refused for want of room is tried once more after the caches (kept
  // verdicts) have let go of theirs: the session comes first (cache-room.ts).
  let released: Promise<boolean> | undefined;
  const withRoom = (write: () => Promise<void>) =>
    write().catch(async (e: unknown) => {
      if (refusal(e) !== FULL || !(await (released ??= releaseCaches()))) throw e;
      return write();
    });
  const here = (entry: DocEntry) =>
    withRoom(() =>
      db('readwrite', (objects) => {
        objects.put(valueOf(entry), docKey(entry.doc.id));
        objects.transaction.commit();
        return promisifyRequest(objects.transaction);
      }),
    );
  const writes: Promise<void>[] = [];
  const batch: DocEntry[] = [];
  for (const entry of u.docs) {
    if (worker && sizeOf(entry) > OFF_PAGE_CHARS) {
      const write = withRoom(() => worker.put(docKey(entry.doc.id), valueOf(entry))).catch(
        (e: unknown) => {
          // No worker to be had (or it failed): the page writes it after all.
          if (e instanceof WorkerFailure && e.kind !== 'refused') return here(entry);
          throw e;
        },
      );
      writes.push(outcome(entry, write));
    } else batch.push(entry);
  }
  // Many files (a folder just opened) go in few transactions; a transaction the browser refuses is
  // tried again a file at a time, so that only the files it cannot hold are refused.
  const parts: DocEntry[][] = [];
  let chars = Infinity;
  for (const entry of batch) {
    if (chars + sizeOf(entry) > SAVE_BATCH_CHARS) {
      parts.push([]);
      chars = 0;
    }
    chars += sizeOf(entry);
    parts[parts.length - 1]?.push(entry);
  }
  const saveParts = async () => {
    for (const [k, part] of parts.entries()) {
      // A transaction per task, the page free to paint between them; all at once as it is hidden.
      if (!now && k > 0) await new Promise((resolve) => setTimeout(resolve, 0));
      savePart(part);
    }
  };
  const savePart = (part: DocEntry[]) => {
    const [only] = part;
    if (part.length === 1 && only) {
      writes.push(outcome(only, here(only)));
      return;
    }
    const together = db('readwrite', (objects) => {
      for (const entry of part) objects.put(valueOf(entry), docKey(entry.doc.id));
      objects.transaction.commit();
      return promisifyRequest(objects.transaction);
    });
    writes.push(
      together.then(
        () => Promise.all(part.map((entry) => outcome(entry, Promise.resolve()))).then(() => {}),
        () => Promise.all(part.map((entry) => outcome(entry, here(entry)))).then(() => {}),
      ),
    );
  };
  const partsSaved = saveParts();
  let sessionError: string | undefined;
  if (u.removed.length > 0 || u.sessionJson !== written.session || written.oldLayoutKept) {
    const removeOld = written.oldLayoutKept;
    writes.push(
      withRoom(() =>
        db('readwrite', (objects) => {
          objects.put(u.session, SESSION_KEY);
          for (const id of u.removed) objects.delete(docKey(id));
          if (removeOld) objects.delete(SESSION_V1_KEY);
          objects.transaction.commit();
          return promisifyRequest(objects.transaction);
        }),
      ).then(
        () => {
          written.session = u.sessionJson;
          if (removeOld) written.oldLayoutKept = false;
          for (const id of u.removed) {
            written.documents.delete(id);
            written.refused.delete(id);
            stored.push(id);
          }
        },
        (e: unknown) => {
          sessionError = refusal(e);
        },
      ),
    );
  }
  return partsSaved
    .then(() => Promise.all(writes))
    .then(() => {
      const report: SaveReport = { stored, refused, pending: hasUnsavedChanges(store) };
      if (sessionError !== undefined) report.sessionError = sessionError;
      return report;
    });
}
