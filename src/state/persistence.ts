import { createStore as createIdbStore, get, set } from 'idb-keyval';
import type { RedefineProfile } from '../core/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import type { ExportOptions } from './export-slice.ts';
import type { EditorState, EditorStore } from './store.ts';

/** What survives a reload: the files, their edits, and the choices made about them. */
interface SavedSession {
  version: 1;
  documents: CheckpointDocument[];
  savedTexts: Record<string, string>;
  selectedId: string | null;
  profile: RedefineProfile;
  exportOptions: ExportOptions;
}

const SESSION_KEY = 'session';
let idb: ReturnType<typeof createIdbStore> | undefined;
const sessionDb = () => (idb ??= createIdbStore('checkpoint-editor', 'session'));

function snapshot(s: EditorState): SavedSession {
  return {
    version: 1,
    documents: s.documentOrder
      .map((id) => s.documents[id])
      .filter((d): d is CheckpointDocument => d !== undefined),
    savedTexts: s.savedTexts,
    selectedId: s.selectedId,
    profile: s.profile,
    exportOptions: s.exportOptions,
  };
}

/** Puts the last session back in the store; false when there is none (a first visit). */
export async function restoreSession(store: EditorStore): Promise<boolean> {
  const saved = await get<SavedSession>(SESSION_KEY, sessionDb());
  if (!saved || saved.version !== 1 || !Array.isArray(saved.documents)) return false;
  const documents: Record<string, CheckpointDocument> = {};
  for (const doc of saved.documents) documents[doc.id] = doc;
  store.setState({
    documents,
    documentOrder: saved.documents.map((d) => d.id),
    savedTexts: saved.savedTexts ?? {},
    selectedId: saved.selectedId,
    profile: saved.profile === 'allow-no-domain' ? 'allow-no-domain' : 'strict',
    exportOptions: { ...store.getState().exportOptions, ...saved.exportOptions },
  });
  store.temporal.getState().clear();
  return true;
}

export type AutosaveStatus = 'saved' | 'saving' | 'failed';

/**
 * Saves the session to IndexedDB shortly after each change. Returns a stop function; `onStatus`
 * hears when a save starts, ends or fails.
 */
export function startAutosave(
  store: EditorStore,
  onStatus: (status: AutosaveStatus) => void = () => {},
  delayMs = 300,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = snapshotKey(store.getState());
  const save = async () => {
    timer = undefined;
    try {
      await set(SESSION_KEY, snapshot(store.getState()), sessionDb());
      onStatus('saved');
    } catch {
      onStatus('failed');
    }
  };
  const unsubscribe = store.subscribe((s) => {
    const key = snapshotKey(s);
    if (key.every((k, i) => k === last[i])) return;
    last = key;
    if (s.saveStatus !== 'saving') onStatus('saving');
    clearTimeout(timer);
    timer = setTimeout(() => void save(), delayMs);
  });
  return () => {
    unsubscribe();
    clearTimeout(timer);
  };
}

function snapshotKey(s: EditorState): unknown[] {
  return [s.documents, s.documentOrder, s.savedTexts, s.selectedId, s.profile, s.exportOptions];
}
