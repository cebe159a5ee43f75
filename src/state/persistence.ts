import type { Job } from './services.ts';
import {
  hasJournalledEdits,
  rewriteEditJournal,
  settleEditJournal,
  startEditJournal,
} from './edit-journal.ts';
import { startJob } from './job.ts';
import { watchStorage } from './storage-watch.ts';
import { savedVmsKey } from './saved-vms.ts';
import { sessionEntryStored } from './session-restore.ts';
import type { SaveReport } from './session-save.ts';
import { hasUnsavedChanges, saveSession } from './session-save.ts';
import type { EditorState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';

export type AutosaveStatus = 'saved' | 'saving' | 'failed';

/** Autosave, and the way to try the files the browser refused again. */
export interface Autosave extends Job {
  retry(): Promise<void>;
}

/**
 * Saves the session to IndexedDB shortly after each change, one save at a time, and at once when
 * the page is hidden or goes (a tab closed 200 ms after a keystroke keeps it); while a folder
 * opens, its files are saved together once it is all there and validated (manyAwaitValidation).
 * A large file's form edits are journalled from the keystroke on (edit-journal.ts), and the page
 * asks before it may close until what was typed is stored. `onSaved` hears each save's report.
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
    ready: (s) => s.activities.open === undefined && !manyAwaitValidation(s),
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
  // Not through the job: a save under way would make this one wait, and the page may not. What
  // is typed in a form and not yet in its document goes in first.
  const saveNow = () => {
    store.services.formDrafts.flush();
    void saveSession(store, { now: true }).then(saved, () => {});
  };
  const onHide = (event: Event) => {
    if (event.type === 'visibilitychange' && document.visibilityState !== 'hidden') return;
    saveNow();
  };
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    // Asks while anything typed is not yet stored, whether the operator stays or not.
    store.services.formDrafts.flush();
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

/** Past this many documents awaiting their schema verdict, the save waits for them (an open). */
export const SAVE_AFTER_VALIDATING = 100;

/**
 * Whether many documents still await their schema verdict under the set in use (a folder or a
 * bundle just opened): their save waits, so that it does not take the two cores' time from the
 * validation the operator waits for; leaving the page saves at once all the same.
 */
export function manyAwaitValidation(s: EditorState): boolean {
  // The chain counts them as each verdict comes, before anything else hears of a change: a count
  // over 10,000 documents at each change held the page 50 ms as the last verdicts came in.
  return s.schemaSet.status === 'ready' && s.counts.validating >= SAVE_AFTER_VALIDATING;
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
    s.sameNames,
    s.localTime,
    ...savedVmsKey(s),
  ];
}
