import type { Autosave } from './persistence.ts';
import { followStoredSession, restoreSession, startAutosave } from './persistence.ts';
import { startJob } from './job.ts';
import type { SessionRole } from './services.ts';
import type { SessionAccess } from './session-slice.ts';
import type { EditorStore } from './store.ts';

/**
 * One session per browser, edited in one tab at a time. Two tabs editing one set of files, each
 * with its own undo history, would overwrite each other's saves; so the first tab edits and the
 * others show the same files read-only, following each save of the editing tab, until the
 * operator takes the session over in one of them (the editing tab saves everything first).
 */

/** How long a tab that is asked to let go may take to save first; then it loses the session. */
const TAKE_OVER_PATIENCE_MS = 5_000;

/** This tab's role as a job of the store: reset or a change of role stops it. */
function setRole(store: EditorStore, role: SessionRole): void {
  endRole(store);
  store.services.role = role;
  store.services.track(role);
}

function endRole(store: EditorStore): void {
  const role = store.services.role;
  if (!role) return;
  store.services.role = undefined;
  role.stop();
  store.services.untrack(role);
}

/** The session was taken from this tab without its consent (it did not answer in time). */
function lose(store: EditorStore): void {
  startFollowing(store, 'taken-over');
}

/** Holds the session when no other tab does: true when this tab is to edit it. */
export function claimSession(store: EditorStore): Promise<boolean> {
  return store.services.tabs().claim(() => lose(store));
}

/**
 * This tab edits the session: it saves each change, tells the other tabs what it saved, and lets
 * go (after saving) when one of them takes over.
 */
export function startEditing(store: EditorStore): void {
  const tabs = store.services.tabs();
  store.getState().setAccess('editing');
  const autosave: Autosave = startAutosave(store, (report) => {
    store.getState().applySaveReport(report);
    tabs.post({ type: 'saved', ids: report.stored });
  });
  const stopListening = tabs.listen((message) => {
    if (message.type !== 'take-over') return;
    void autosave.flush().then(() => {
      tabs.release();
      startFollowing(store, 'taken-over');
    });
  });
  // The others learn that the session is free as this tab goes (and taken again if it comes back).
  const onPageHide = () => tabs.post({ type: 'left' });
  if (typeof window !== 'undefined') window.addEventListener('pagehide', onPageHide);
  tabs.post({ type: 'editing' });
  setRole(store, {
    flush: () => autosave.flush(),
    retry: () => autosave.retry(),
    stop() {
      autosave.stop();
      stopListening();
      if (typeof window !== 'undefined') window.removeEventListener('pagehide', onPageHide);
    },
  });
}

/**
 * This tab shows the session read-only: each save the editing tab reports is read into the store
 * (the files it names, and the list of files), with no undo history of its own.
 */
export function startFollowing(store: EditorStore, access: SessionAccess): void {
  const tabs = store.services.tabs();
  let changed: Set<string> | 'all' = 'all';
  store.getState().setAccess(access);
  const stopListening = tabs.listen((message) => {
    const s = store.getState();
    if (message.type === 'left' && s.access !== 'taking-over') s.setAccess('vacant');
    else if (message.type === 'editing' && s.access === 'vacant') s.setAccess('elsewhere');
    else if (message.type === 'saved') {
      if (changed !== 'all') for (const id of message.ids) changed.add(id);
      s.noteRemoteSave();
    }
  });
  const follow = startJob(store, {
    triggers: (s, prev) => s.remoteSaves !== prev.remoteSaves,
    debounceMs: 50,
    run: () => {
      const ids = changed;
      changed = new Set();
      return followStoredSession(store, ids);
    },
    runAtStart: true,
  });
  setRole(store, {
    flush: () => follow.flush(),
    stop() {
      follow.stop();
      stopListening();
    },
  });
}

/**
 * Makes this tab the one that edits the session: the editing tab is asked to save and let go,
 * then the session is read afresh, as stored, and edited here.
 */
export async function takeOverSession(store: EditorStore): Promise<void> {
  const before = store.getState().access;
  if (before === 'editing' || before === 'taking-over') return;
  store.getState().setAccess('taking-over');
  await store.services.tabs().takeOver(() => lose(store), TAKE_OVER_PATIENCE_MS);
  endRole(store);
  try {
    await restoreSession(store);
  } finally {
    startEditing(store);
  }
}

/** Tries the files the browser refused to store again. */
export function retrySaving(store: EditorStore): Promise<void> {
  return store.services.role?.retry?.() ?? Promise.resolve();
}
