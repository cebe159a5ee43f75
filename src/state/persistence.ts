import { del, delMany, get, getMany, keys, set, setMany } from 'idb-keyval';
import type { RedefineProfile } from '../core/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import type { ExportOptions } from './export-slice.ts';
import { startJob } from './job.ts';
import type { Job } from './services.ts';
import type { EditorState, EditorStore } from './store.ts';

/**
 * What survives a reload: the files, their edits, and the choices made about them. Each document
 * is its own entry, so a keystroke saves one file, not the whole folder.
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
}

interface SavedDocument {
  doc: CheckpointDocument;
  /** The text when opened or last exported. */
  savedText: string;
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
const SESSION_V1_KEY = 'session';
const DOC_PREFIX = 'doc:';
const docKey = (id: string) => `${DOC_PREFIX}${id}`;

function meta(s: EditorState): SavedSession {
  return {
    version: 2,
    order: s.documentOrder.filter((id) => s.documents[id] !== undefined),
    selectedId: s.selectedId,
    profile: s.profile,
    profileChosen: s.profileChosen,
    exportOptions: s.exportOptions,
    redefineValidate: s.redefineValidate,
  };
}

function apply(
  store: EditorStore,
  docs: CheckpointDocument[],
  savedTexts: Record<string, string>,
  saved: Omit<SavedSession, 'version' | 'order'>,
) {
  const documents: Record<string, CheckpointDocument> = {};
  for (const doc of docs) documents[doc.id] = doc;
  store.setState({
    documents,
    documentOrder: docs.map((d) => d.id),
    savedTexts,
    selectedId: saved.selectedId,
    // A profile never chosen stays the loaded schemas' libvirt's.
    ...(saved.profileChosen === true
      ? {
          profile: saved.profile === 'allow-no-domain' ? 'allow-no-domain' : 'strict',
          profileChosen: true,
        }
      : {}),
    exportOptions: { ...store.getState().exportOptions, ...saved.exportOptions },
    redefineValidate: saved.redefineValidate === true,
  });
  store.temporal.getState().clear();
  Object.assign(store.services.written, { documents, savedTexts: { ...savedTexts } });
}

/** Puts the last session back in the store; false when there is none (a first visit). */
export async function restoreSession(store: EditorStore): Promise<boolean> {
  const db = store.services.sessionDb();
  const saved = await get<SavedSession>(SESSION_KEY, db);
  if (saved?.version === 2 && Array.isArray(saved.order)) {
    const entries = await getMany<SavedDocument | undefined>(saved.order.map(docKey), db);
    const docs: CheckpointDocument[] = [];
    const savedTexts: Record<string, string> = {};
    for (const entry of entries) {
      if (!entry?.doc) continue;
      docs.push(entry.doc);
      savedTexts[entry.doc.id] = entry.savedText;
    }
    apply(store, docs, savedTexts, saved);
    // Entries of documents closed while a save was cut short.
    const wanted = new Set(saved.order.map(docKey));
    const stray = (await keys<string>(db)).filter(
      (k) => typeof k === 'string' && k.startsWith(DOC_PREFIX) && !wanted.has(k),
    );
    if (stray.length) await delMany(stray, db);
    return true;
  }
  const v1 = await get<SavedSessionV1>(SESSION_V1_KEY, db);
  if (v1?.version === 1 && Array.isArray(v1.documents)) {
    apply(store, v1.documents, v1.savedTexts ?? {}, v1);
    // Not yet written in the new layout: the first save writes everything.
    Object.assign(store.services.written, { documents: {}, savedTexts: {} });
    return true;
  }
  return false;
}

/** Writes what changed since the last save: changed documents, closed ones removed, the session. */
async function save(store: EditorStore): Promise<void> {
  const s = store.getState();
  const db = store.services.sessionDb();
  const written = store.services.written;
  const changed: [string, SavedDocument][] = [];
  const documents = s.documents;
  for (const id of s.documentOrder) {
    const doc = documents[id];
    if (!doc) continue;
    const savedText = s.savedTexts[id] ?? doc.text;
    if (written.documents[id] !== doc || written.savedTexts[id] !== savedText) {
      changed.push([docKey(id), { doc, savedText }]);
    }
  }
  const removed = Object.keys(written.documents)
    .filter((id) => !documents[id])
    .map(docKey);
  if (changed.length) await setMany(changed, db);
  if (removed.length) await delMany(removed, db);
  await set(SESSION_KEY, meta(s), db);
  if (written.oldLayoutKept) {
    await del(SESSION_V1_KEY, db);
    written.oldLayoutKept = false;
  }
  Object.assign(written, { documents, savedTexts: s.savedTexts });
}

export type AutosaveStatus = 'saved' | 'saving' | 'failed';

/**
 * Saves the session to IndexedDB shortly after each change, one save at a time; while a folder
 * opens, its files are saved together once it is all there. `onStatus` hears when a save is due,
 * done or failed.
 */
export function startAutosave(
  store: EditorStore,
  onStatus: (status: AutosaveStatus) => void = () => {},
  delayMs = 300,
): Job {
  return startJob(store, {
    triggers: (s, prev) => {
      const changed = snapshotKey(s).some((k, i) => k !== snapshotKey(prev)[i]);
      if (changed && s.saveStatus !== 'saving') onStatus('saving');
      return changed;
    },
    debounceMs: delayMs,
    run: () =>
      save(store).then(
        () => onStatus('saved'),
        () => onStatus('failed'),
      ),
    ready: (s) => s.activities.open === undefined,
  });
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
  ];
}
