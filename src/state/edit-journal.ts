import type { UseStore } from 'idb-keyval';
import { del, getMany, keys, promisifyRequest } from 'idb-keyval';
import type { CheckpointDocument } from './documents-slice.ts';
import type { FormEdit } from './large-file-slice.ts';
import { isOffPage } from './large-file-limits.ts';
import type { JournalEntry, Journalled } from './journal-entry.ts';
import type { Written } from './services.ts';
import type { EditorState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';

/**
 * The journal of a large file's form edits: what was typed, in IndexedDB from the keystroke on,
 * until the text a worker writes from it is stored.
 *
 * Why: a large file's edit is written into its text by a worker (about a second per MB), and only
 * then saved. When the tab closes, Chromium ends the page's workers with it: an edit being written
 * is lost, and so is every save not yet asked for. What does survive is an IndexedDB transaction
 * the page asked for before it went: its requests are already in the browser's storage process,
 * and `commit()` commits it there without waiting for a task of the page that may never come. So
 * each keystroke's edits (a few hundred bytes: fields and values, never the megabytes of text) go
 * into such a transaction in the keystroke's own task, with the texts they go into named by length
 * and hash; a later load that finds one of those texts stored writes the edits into it again.
 */
const EDIT_PREFIX = 'edit:';
const editKey = (id: string) => `${EDIT_PREFIX}${id}`;
/** Bases kept per entry: the text stored, and those written since (a few at most). */
const BASES_KEPT = 4;

/** A text's length and its 53-bit hash (cyrb53): enough to tell the stored text apart from others. */
export function textHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return `${text.length}:${hash.toString(36)}`;
}

/** One write, committed at once: see above for why `commit()`. */
function putNow(db: UseStore, key: string, value: unknown): Promise<void> {
  return db('readwrite', (objects) => {
    objects.put(value, key);
    objects.transaction.commit();
    return promisifyRequest(objects.transaction);
  });
}

/** The journal's entry for a form edit, and whether it differs from the one journalled last. */
function entryFor(
  doc: CheckpointDocument,
  edit: FormEdit,
  last: Journalled | undefined,
): Journalled | undefined {
  if (last?.entry.edits === edit.edits && last.text === edit.text) return undefined;
  const bases =
    last?.text === edit.text
      ? last.entry.bases
      : [...(last?.entry.bases ?? []), textHash(edit.text)].slice(-BASES_KEPT);
  return {
    entry: { version: 1, id: doc.id, fileName: doc.fileName, bases, edits: edit.edits },
    text: edit.text,
  };
}

/**
 * Journals each form edit of a large file in the task that made it (the store's subscribers run
 * inside `set`, so inside the keystroke's input event); returns the way to stop.
 */
export function startEditJournal(store: EditorStore): () => void {
  const journal = store.services.journal;
  const write = (s: EditorState) => {
    for (const [id, edit] of Object.entries(s.formEdits)) {
      const doc = s.documents[id];
      if (!doc || edit.text !== doc.text) continue;
      const next = entryFor(doc, edit, journal.get(id));
      if (!next) continue;
      journal.set(id, next);
      putNow(store.services.sessionDb(), editKey(id), next.entry).catch((e: unknown) =>
        console.error(e),
      );
    }
  };
  write(store.getState());
  return store.subscribe((s, prev) => {
    if (s.formEdits !== prev.formEdits || s.documents !== prev.documents) write(s);
  });
}

/** Puts every journalled entry in again (the database was emptied under the page). */
export function rewriteEditJournal(store: EditorStore): void {
  for (const [id, { entry }] of store.services.journal) {
    putNow(store.services.sessionDb(), editKey(id), entry).catch((e: unknown) => console.error(e));
  }
}

/**
 * Drops the entries whose edits are all stored: the document has no form edit left and its text,
 * as it is now, is stored (or the document was closed and its entry removed).
 */
export function settleEditJournal(store: EditorStore, written: Written): void {
  const s = store.getState();
  for (const id of [...store.services.journal.keys()]) {
    const doc = s.documents[id];
    if (s.formEdits[id] && doc) continue;
    if (doc && written.documents.get(id)?.doc !== doc) continue;
    store.services.journal.delete(id);
    del(editKey(id), store.services.sessionDb()).catch((e: unknown) => console.error(e));
  }
}

/** Whether an edit is typed and not yet stored: its text is still being written, or not saved. */
export function hasJournalledEdits(store: EditorStore): boolean {
  return Object.keys(store.getState().formEdits).length > 0 || store.services.journal.size > 0;
}

/**
 * Writes again the edits a tab journalled and never stored (it closed first) into the documents as
 * stored, when the text they go into is the one stored; entries that match no stored text are
 * dropped. Returns the names of the files edited again.
 */
export async function replayEditJournal(store: EditorStore): Promise<string[]> {
  const db = store.services.sessionDb();
  const ids = (await keys<IDBValidKey>(db)).filter(
    (k): k is string => typeof k === 'string' && k.startsWith(EDIT_PREFIX),
  );
  if (ids.length === 0) return [];
  const entries = await getMany<JournalEntry | undefined>(ids, db);
  const s = store.getState();
  const formEdits = { ...s.formEdits };
  const replayed: string[] = [];
  for (const [k, entry] of entries.entries()) {
    const doc = entry?.version === 1 ? s.documents[entry.id] : undefined;
    if (!entry || !doc || !isOffPage(doc) || !entry.bases.includes(textHash(doc.text))) {
      await del(ids[k] as string, db);
      continue;
    }
    formEdits[doc.id] = { text: doc.text, edits: entry.edits };
    store.services.journal.set(doc.id, { entry, text: doc.text });
    replayed.push(doc.fileName);
  }
  if (replayed.length > 0) store.setState({ formEdits });
  return replayed;
}
