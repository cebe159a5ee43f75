import type { UseStore } from 'idb-keyval';
import { get, getMany, keys, promisifyRequest } from 'idb-keyval';
import type { RedefineProfile } from '../core/index.ts';
import { WorkerFailure } from '../workers/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import type { ExportOptions } from './export-slice.ts';
import {
  hasJournalledEdits,
  replayEditJournal,
  rewriteEditJournal,
  settleEditJournal,
  startEditJournal,
} from './edit-journal.ts';
import { OFF_PAGE_CHARS } from './large-file-slice.ts';
import { startJob } from './job.ts';
import type { Job, Written } from './services.ts';
import { nothingWritten } from './services.ts';
import { watchStorage } from './storage-watch.ts';
import type { SavedVms } from './saved-vms.ts';
import { savedVmsKey, savedVmsOf, vmsFromSaved } from './saved-vms.ts';
import type { EditorState, EditorStore } from './store.ts';

/**
 * What survives a reload: the files, their edits, and the choices made about them. Each document
 * is its own entry, written in its own transaction, so a keystroke saves one file, and a file the
 * browser refuses (its storage full) does not keep the others from being saved.
 */
interface SavedSession {
  version: 2;
  order: string[];
  selectedId: string | null;
  profile: RedefineProfile;
  /** Whether the operator chose the profile; else the loaded schemas' libvirt decides it. */
  profileChosen?: boolean;
  exportOptions: ExportOptions;
  redefineValidate?: boolean;
  /** Each VM's definitions, target and disk images (saved-vms.ts). */
  vms?: SavedVms;
}

interface SavedDocument {
  doc: CheckpointDocument;
  /** The text when opened or last exported; absent when it is the document's text (stored once). */
  savedText?: string;
}

/** The first version kept everything in one entry. */
interface SavedSessionV1 {
  version: 1;
  documents: CheckpointDocument[];
  savedTexts: Record<string, string>;
  selectedId: string | null;
  profile: RedefineProfile;
  exportOptions: ExportOptions;
}

const SESSION_KEY = 'session-v2';
/**
 * Characters saved in one transaction at most: a refused transaction can hold on to the space it
 * took for a while, so it stays small.
 */
const SAVE_BATCH_CHARS = 1_000_000;
const SESSION_V1_KEY = 'session';
const DOC_PREFIX = 'doc:';
const docKey = (id: string) => `${DOC_PREFIX}${id}`;

type Settings = Omit<SavedSession, 'version' | 'order'>;

function sessionEntry(s: EditorState): SavedSession {
  return {
    version: 2,
    order: s.documentOrder.filter((id) => s.documents[id] !== undefined),
    selectedId: s.selectedId,
    profile: s.profile,
    profileChosen: s.profileChosen,
    exportOptions: s.exportOptions,
    redefineValidate: s.redefineValidate,
    ...(savedVmsOf(s) ? { vms: savedVmsOf(s) } : {}),
  };
}

/** The session as stored: its documents in order, their saved texts, the choices. */
interface StoredSession {
  entries: { doc: CheckpointDocument; savedText: string }[];
  settings: Settings;
  /** Whether the session's own entry was stored (the save that first wrote it removed the first layout's). */
  listed?: boolean;
}

/**
 * Reads the stored session; `known` gives a document this tab already holds as stored, so that
 * only the others are read. Entries the list does not name are files whose list was never
 * written (the tab closed first, or the storage was full): they come back after the others.
 */
async function readStoredSession(
  db: UseStore,
  known: (id: string) => { doc: CheckpointDocument; savedText: string } | undefined = () =>
    undefined,
): Promise<StoredSession | undefined> {
  const saved = await get<SavedSession>(SESSION_KEY, db);
  const stored = (await keys<IDBValidKey>(db))
    .filter((k): k is string => typeof k === 'string' && k.startsWith(DOC_PREFIX))
    .map((k) => k.slice(DOC_PREFIX.length));
  if (saved?.version !== 2 && stored.length === 0) return undefined;
  const listed = saved?.version === 2 && Array.isArray(saved.order) ? saved.order : [];
  const inList = new Set(listed);
  const order = [...listed, ...stored.filter((id) => !inList.has(id))];
  const toRead = order.filter((id) => known(id) === undefined);
  const read = await getMany<SavedDocument | undefined>(toRead.map(docKey), db);
  const byId = new Map(toRead.map((id, i) => [id, read[i]]));
  const entries: StoredSession['entries'] = [];
  for (const id of order) {
    const have = known(id);
    if (have) {
      entries.push(have);
      continue;
    }
    const entry = byId.get(id);
    if (entry?.doc) entries.push({ doc: entry.doc, savedText: entry.savedText ?? entry.doc.text });
  }
  const settings: Settings = {
    selectedId: saved?.selectedId ?? null,
    profile: saved?.profile ?? 'strict',
    profileChosen: saved?.profileChosen === true,
    exportOptions: saved?.exportOptions ?? ({} as ExportOptions),
    redefineValidate: saved?.redefineValidate === true,
    ...(saved?.vms ? { vms: saved.vms } : {}),
  };
  return { entries, settings, listed: saved?.version === 2 };
}

/** Puts a stored session in the store, with no history: as this tab found it. */
function applySession(store: EditorStore, stored: StoredSession, keepSelection: boolean) {
  const documents: Record<string, CheckpointDocument> = {};
  const savedTexts: Record<string, string> = {};
  for (const { doc, savedText } of stored.entries) {
    documents[doc.id] = doc;
    savedTexts[doc.id] = savedText;
  }
  const s = store.getState();
  const { settings } = stored;
  const selectedId =
    keepSelection && s.selectedId !== null && documents[s.selectedId]
      ? s.selectedId
      : settings.selectedId;
  store.setState({
    documents,
    documentOrder: stored.entries.map((e) => e.doc.id),
    savedTexts,
    selectedId,
    // A profile never chosen stays the loaded schemas' libvirt's.
    ...(settings.profileChosen === true
      ? {
          profile: settings.profile === 'allow-no-domain' ? 'allow-no-domain' : 'strict',
          profileChosen: true,
        }
      : {}),
    exportOptions: { ...s.exportOptions, ...settings.exportOptions },
    redefineValidate: settings.redefineValidate === true,
    ...vmsFromSaved(settings.vms),
  });
  store.temporal.getState().clear();
}

/**
 * Puts the last session back in the store; false when there is none (a first visit).
 * `keepSelection`: the file this tab shows stays selected (a tab taking the session over).
 * `replay`: the edits a tab journalled and never stored are written again (see edit-journal.ts).
 */
export async function restoreSession(
  store: EditorStore,
  { keepSelection = false, replay = false } = {},
): Promise<boolean> {
  const db = store.services.sessionDb();
  const stored = await readStoredSession(db);
  const written = nothingWritten();
  store.services.written = written;
  if (stored) {
    applySession(store, stored, keepSelection);
    for (const e of stored.entries) written.documents.set(e.doc.id, e);
    written.session = JSON.stringify(sessionEntry(store.getState()));
    if (stored.listed === true) written.oldLayoutKept = false;
    if (replay) {
      const replayed = await replayEditJournal(store);
      if (replayed.length > 0) store.getState().noteReplayedEdits(replayed);
    }
    return true;
  }
  const v1 = await get<SavedSessionV1>(SESSION_V1_KEY, db);
  if (v1?.version === 1 && Array.isArray(v1.documents)) {
    // Not yet written in the new layout: the first save writes everything.
    applySession(
      store,
      {
        entries: v1.documents.map((doc) => ({
          doc,
          savedText: v1.savedTexts?.[doc.id] ?? doc.text,
        })),
        settings: v1,
      },
      keepSelection,
    );
    return true;
  }
  written.oldLayoutKept = false;
  return false;
}

/** Whether the session's own entry is in the database: gone when the browser's storage was cleared. */
export async function sessionEntryStored(store: EditorStore): Promise<boolean> {
  return (await get<SavedSession>(SESSION_KEY, store.services.sessionDb())) !== undefined;
}

/**
 * Brings the store up to what the editing tab stored: the documents named in `changed` are read
 * again, and any this tab does not hold; the others stay as they are. The selection stays.
 */
export async function followStoredSession(
  store: EditorStore,
  changed: ReadonlySet<string> | 'all',
  stillFollowing: () => boolean = () => true,
): Promise<void> {
  const s = store.getState();
  const stored = await readStoredSession(store.services.sessionDb(), (id) => {
    const doc = s.documents[id];
    if (!doc || changed === 'all' || changed.has(id)) return undefined;
    return { doc, savedText: s.savedTexts[id] ?? doc.text };
  });
  // A read that ends after this tab took the session over is not this tab's to apply.
  if (!stillFollowing()) return;
  applySession(store, stored ?? { entries: [], settings: sessionEntry(s) }, true);
}

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
  const sessionJson = JSON.stringify(session);
  return { docs, removed, session, sessionJson, stillRefused };
}

type DocEntry = { doc: CheckpointDocument; savedText: string };

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

/** The browser's reason, in the operator's words where there is one. */
function refusal(e: unknown): string {
  const { name, message } = (e ?? {}) as { name?: string; message?: string };
  // The session-store worker's refusals carry the name at the start of the message.
  if (name === 'QuotaExceededError' || message?.startsWith('QuotaExceededError')) {
    return 'the browser’s storage for this page is full';
  }
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
  const here = (entry: DocEntry) =>
    db('readwrite', (objects) => {
      objects.put(valueOf(entry), docKey(entry.doc.id));
      objects.transaction.commit();
      return promisifyRequest(objects.transaction);
    });
  const writes: Promise<void>[] = [];
  const batch: DocEntry[] = [];
  for (const entry of u.docs) {
    if (worker && sizeOf(entry) > OFF_PAGE_CHARS) {
      const write = worker.put(docKey(entry.doc.id), valueOf(entry)).catch((e: unknown) => {
        // No worker to be had (or it failed): the page writes it after all.
        if (e instanceof WorkerFailure && e.kind !== 'refused') return here(entry);
        throw e;
      });
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
      db('readwrite', (objects) => {
        objects.put(u.session, SESSION_KEY);
        for (const id of u.removed) objects.delete(docKey(id));
        if (removeOld) objects.delete(SESSION_V1_KEY);
        objects.transaction.commit();
        return promisifyRequest(objects.transaction);
      }).then(
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

export type AutosaveStatus = 'saved' | 'saving' | 'failed';

/** Autosave, and the way to try the files the browser refused again. */
export interface Autosave extends Job {
  retry(): Promise<void>;
}

/**
 * Saves the session to IndexedDB shortly after each change, one save at a time, and at once when
 * the page is hidden or goes (a tab closed 200 ms after a keystroke keeps it); while a folder
 * opens, its files are saved together once it is all there. A large file's form edits are
 * journalled from the keystroke on (edit-journal.ts), and the page asks before it may close until
 * what was typed is stored. `onSaved` hears each save's report.
 */
export function startAutosave(
  store: EditorStore,
  onSaved: (report: SaveReport) => void,
  delayMs = 300,
): Autosave {
  let retryRefused = false;
  const saved = (report: SaveReport) => {
    settleEditJournal(store, store.services.written);
    askToPersist(store, report);
    onSaved(report);
  };
  const job = startJob(store, {
    triggers: (s, prev) => {
      const changed = snapshotKey(s).some((k, i) => k !== snapshotKey(prev)[i]);
      if (changed && s.saveStatus !== 'saving') s.setSaveStatus('saving');
      return changed;
    },
    debounceMs: delayMs,
    run: () => {
      const retry = retryRefused;
      retryRefused = false;
      return saveSession(store, { retryRefused: retry }).then(saved);
    },
    ready: (s) => s.activities.open === undefined,
  });
  const retry = () => {
    retryRefused = true;
    return job.flush();
  };
  const stopJournal = startEditJournal(store);
  const stopWatching = watchStorage(store, {
    stored: () => sessionEntryStored(store),
    saveAgain: () => {
      rewriteEditJournal(store);
      return job.flush();
    },
  });
  const stopJob = job.stop;
  const stopJobs = () => {
    stopJob();
    stopJournal();
    stopWatching();
  };
  if (typeof document === 'undefined') return Object.assign(job, { stop: stopJobs, retry });
  // Not through the job: a save under way would make this one wait, and the page may not.
  const saveNow = () => void saveSession(store, { now: true }).then(saved, () => {});
  const onHide = (event: Event) => {
    if (event.type === 'visibilitychange' && document.visibilityState !== 'hidden') return;
    saveNow();
  };
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    // Asks while anything typed is not yet stored, whether the operator stays or not.
    const waiting =
      hasJournalledEdits(store) ||
      store.getState().saveStatus === 'saving' ||
      hasUnsavedChanges(store);
    if (!waiting) return;
    saveNow();
    event.preventDefault();
    event.returnValue = '';
  };
  window.addEventListener('pagehide', onHide);
  window.addEventListener('beforeunload', onBeforeUnload);
  document.addEventListener('visibilitychange', onHide);
  return Object.assign(job, {
    stop() {
      stopJobs();
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('visibilitychange', onHide);
    },
    retry,
  });
}

/**
 * Asks the browser, once, to keep the session's storage (`navigator.storage.persist()`), when a
 * save first stores something. Chromium grants or refuses it without asking the operator, by its
 * own measure of the site; a refusal is said only when it matters: if the storage is then cleared.
 */
function askToPersist(store: EditorStore, report: SaveReport): void {
  if (store.getState().persistence !== null || report.stored.length === 0) return;
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (typeof storage?.persist !== 'function') return store.getState().setPersistence('refused');
  store.getState().setPersistence('asked');
  storage.persist().then(
    (granted) => store.getState().setPersistence(granted ? 'granted' : 'refused'),
    () => store.getState().setPersistence('refused'),
  );
}

function snapshotKey(s: EditorState): unknown[] {
  return [
    s.documents,
    s.documentOrder,
    s.savedTexts,
    s.selectedId,
    s.profile,
    s.profileChosen,
    s.exportOptions,
    s.redefineValidate,
    ...savedVmsKey(s),
  ];
}
