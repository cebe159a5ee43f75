import { hasJournalledEdits } from './edit-journal.ts';
import type { Autosave } from './persistence.ts';
import { startAutosave } from './persistence.ts';
import { followStoredSession, restoreSession } from './session-restore.ts';
import { hasUnsavedChanges } from './session-save.ts';
import { startJob } from './job.ts';
import type { SessionRole } from './services.ts';
import type { SessionAccess } from './session-slice.ts';
import type { EditorStore } from './editor-store.ts';

/**
 * One session per browser, edited in one tab at a time. Two tabs editing one set of files, each
 * with its own undo history, would overwrite each other's saves; so the first tab edits and the
 * others show the same files read-only, following each save of the editing tab, until the
 * operator takes the session over in one of them (the editing tab saves everything first).
 */

/**
 * How long a tab that is asked to let go may take to answer, and then to write and store its edits
 * under way (a worker writes a large file's, a second or more per MB); then it loses the session.
 */
const TAKE_OVER_PATIENCE = { answerMs: 5_000, storeMs: 120_000 } as const;
/** Rounds of writing and storing a tab letting go makes at most (the operator may type on). */
const LET_GO_ROUNDS = 5;

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

/**
 * Writes and stores everything typed in this tab: the large files' edits a worker is writing (or
 * is to write), then every change not stored, until nothing is left (or LET_GO_ROUNDS).
 */
async function storeEverything(store: EditorStore, autosave: Autosave): Promise<void> {
  for (let round = 0; round < LET_GO_ROUNDS; round++) {
    store.services.formDrafts.flush();
    await store.services.editWriter?.flush();
    await autosave.flush();
    if (!hasJournalledEdits(store) && !hasUnsavedChanges(store)) return;
  }
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
  // As found: stored, or edits of a tab that closed first still to write (else said by the first save).
  if (hasJournalledEdits(store)) store.getState().setSaveStatus('saving');
  else if (!hasUnsavedChanges(store)) store.getState().setSaveStatus('saved');
  const autosave: Autosave = startAutosave(store, (report) => {
    store.getState().applySaveReport(report);
    tabs.post({ type: 'saved', ids: report.stored });
  });
  const stopListening = tabs.listen((message) => {
    if (message.type !== 'take-over') return;
    // Answered at once, so the other tab waits while this one stores what it holds.
    tabs.post({ type: 'letting-go' });
    void storeEverything(store, autosave)
      .catch((e: unknown) => console.error(e))
      .then(() => {
        tabs.release();
        startFollowing(store, 'taken-over');
      });
  });
  // The others learn that the session is free as this tab goes (and taken again if it comes back).
  const onPageHide = () => tabs.post({ type: 'left' });
  if (typeof window !== 'undefined') window.addEventListener('pagehide', onPageHide);
  tabs.post({ type: 'editing' });
  setRole(store, {
    flush: () => {
      store.services.formDrafts.flush();
      return autosave.flush();
    },
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
  let following = true;
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
      return followStoredSession(store, ids, () => following);
    },
    runAtStart: true,
  });
  setRole(store, {
    flush: () => follow.flush(),
    stop() {
      following = false;
      follow.stop();
      stopListening();
    },
  });
}

/**
 * Makes this tab the one that edits the session: the editing tab is asked to store what it holds
 * (the edits a worker is writing included) and let go, then the session is read afresh, as
 * stored, and edited here. What this tab shows stays: the file selected, the view, the scroll.
 */
export async function takeOverSession(store: EditorStore): Promise<void> {
  const before = store.getState().access;
  if (before === 'editing' || before === 'taking-over') return;
  store.getState().setAccess('taking-over');
  await store.services.tabs().takeOver(() => lose(store), TAKE_OVER_PATIENCE);
  endRole(store);
  try {
    // Edits a tab journalled and never stored (it closed, or did not let go in time) too.
    await restoreSession(store, { keepSelection: true, replay: true });
  } finally {
    startEditing(store);
  }
}

/** Tries the files the browser refused to store again. */
export function retrySaving(store: EditorStore): Promise<void> {
  return store.services.role?.retry?.() ?? Promise.resolve();
}
