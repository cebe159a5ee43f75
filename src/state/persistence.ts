import {
  createStore as createIdbStore,
  del,
  delMany,
  get,
  getMany,
  keys,
  set,
  setMany,
} from 'idb-keyval';
import type { RedefineProfile } from '../core/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import type { ExportOptions } from './export-slice.ts';
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

let idb: ReturnType<typeof createIdbStore> | undefined;
const sessionDb = () => (idb ??= createIdbStore('checkpoint-editor', 'session'));

/** What was last written, to write only what changed since. */
interface Written {
  documents: Record<string, CheckpointDocument>;
  savedTexts: Record<string, string>;
}

let written: Written = { documents: {}, savedTexts: {} };
/** Until the first save, a session of the first version may still be stored. */
let oldLayoutKept = true;

function meta(s: EditorState): SavedSession {
  return {
    version: 2,
    order: s.documentOrder.filter((id) => s.documents[id] !== undefined),
    selectedId: s.selectedId,
    profile: s.profile,
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
    profile: saved.profile === 'allow-no-domain' ? 'allow-no-domain' : 'strict',
    exportOptions: { ...store.getState().exportOptions, ...saved.exportOptions },
    redefineValidate: saved.redefineValidate === true,
  });
  store.temporal.getState().clear();
  written = { documents, savedTexts: { ...savedTexts } };
}

/** Puts the last session back in the store; false when there is none (a first visit). */
export async function restoreSession(store: EditorStore): Promise<boolean> {
  const db = sessionDb();
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
    written = { documents: {}, savedTexts: {} };
    return true;
  }
  return false;
}

/** Writes what changed since the last save: changed documents, closed ones removed, the session. */
async function save(s: EditorState): Promise<void> {
  const db = sessionDb();
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
  if (oldLayoutKept) {
    await del(SESSION_V1_KEY, db);
    oldLayoutKept = false;
  }
  written = { documents, savedTexts: s.savedTexts };
}

export type AutosaveStatus = 'saved' | 'saving' | 'failed';

/**
 * Saves the session to IndexedDB shortly after each change, one save at a time. Returns a stop
 * function; `onStatus` hears when a save starts, ends or fails.
 */
export function startAutosave(
  store: EditorStore,
  onStatus: (status: AutosaveStatus) => void = () => {},
  delayMs = 300,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> | undefined;
  let again = false;
  let last = snapshotKey(store.getState());
  const run = async () => {
    timer = undefined;
    // While a folder opens, its files are saved together once it is all there.
    if (store.getState().activities.open) {
      timer = setTimeout(() => void run(), delayMs);
      return;
    }
    if (saving) {
      again = true;
      return;
    }
    saving = save(store.getState()).then(
      () => onStatus('saved'),
      () => onStatus('failed'),
    );
    await saving;
    saving = undefined;
    if (again) {
      again = false;
      void run();
    }
  };
  const unsubscribe = store.subscribe((s) => {
    const key = snapshotKey(s);
    if (key.every((k, i) => k === last[i])) return;
    last = key;
    if (s.saveStatus !== 'saving') onStatus('saving');
    clearTimeout(timer);
    timer = setTimeout(() => void run(), delayMs);
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}

function snapshotKey(s: EditorState): unknown[] {
  return [
    s.documents,
    s.documentOrder,
    s.savedTexts,
    s.selectedId,
    s.profile,
    s.exportOptions,
    s.redefineValidate,
  ];
}
