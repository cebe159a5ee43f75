import type { UseStore } from 'idb-keyval';
import { get, getMany, keys, promisifyRequest } from 'idb-keyval';
import type { CheckpointDocument } from './documents-slice.ts';
import type { ExportOptions } from './export-slice.ts';
import { replayEditJournal } from './edit-journal.ts';
import { nothingWritten } from './services.ts';
import { vmsFromSaved } from './saved-vms.ts';
import type { SavedDocument, SavedSession, SavedSessionV1, Settings } from './session-layout.ts';
import {
  DOC_PREFIX,
  SESSION_KEY,
  SESSION_V1_KEY,
  docKey,
  sessionEntry,
  sessionEntryKey,
} from './session-layout.ts';
import type { EditorStore } from './editor-store.ts';

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
    localTime: saved?.localTime === true,
    ...(saved?.vms ? { vms: saved.vms } : {}),
    ...(Array.isArray(saved?.sameNames) ? { sameNames: saved.sameNames } : {}),
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
    localTime: settings.localTime === true,
    ...vmsFromSaved(settings.vms),
    // The question a reload came in the middle of, asked again; only of files still open.
    sameNames: (settings.sameNames ?? []).filter((n) => documents[n.existingId] !== undefined),
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
    written.session = sessionEntryKey(sessionEntry(store.getState()), written.identities);
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
  // Counted, not read: the entry may hold 200,000 bitmaps, 0.5-0.8 s of the page every 15 s.
  const db = store.services.sessionDb();
  return (await db('readonly', (s) => promisifyRequest(s.count(SESSION_KEY)))) > 0;
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
