import { temporal } from 'zundo';
import { createStore } from 'zustand/vanilla';
import type { EditorState, SetState, UndoableState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';
import { createActivitySlice } from './activity-slice.ts';
import { createBackupsSlice } from './backups-slice.ts';
import { chainInputsChanged, createChainSlice } from './chain-slice.ts';
import { createCompareSlice } from './compare-slice.ts';
import { createDefinitionsSlice } from './definitions-slice.ts';
import { createDocumentsSlice } from './documents-slice.ts';
import { createExportSlice } from './export-slice.ts';
import { createImagesSlice } from './images-slice.ts';
import { createOpenSlice } from './open-slice.ts';
import { createRulesSlice } from './rules-slice.ts';
import { createSelectionSlice } from './selection-slice.ts';
import type { EditorServicesOptions } from './services.ts';
import { createServices } from './services.ts';
import { createSessionSlice } from './session-slice.ts';
import { createValidationSlice } from './validation-slice.ts';
import { UNDO_BURST_MS, UNDO_LIMIT } from './undo-step.ts';
import { stepHistory } from './history-note.ts';
import type { OpenStep } from './open-step.ts';
import { SAVED_VM_FIELDS } from './saved-vms.ts';
import { createLargeFileSlice } from './large-file-slice.ts';
import { createViewSlice } from './view-slice.ts';

/** What the session stores: a tab that does not edit the session never changes these itself. */
const STORED_FIELDS = [
  'documents',
  'documentOrder',
  'savedTexts',
  'profile',
  'profileChosen',
  'exportOptions',
  'redefineValidate',
  'localTime',
  'sameNames',
  ...SAVED_VM_FIELDS,
] as const satisfies readonly (keyof EditorState)[];

/**
 * The slices' `set`, except in a tab that shows the session read-only (another tab edits it):
 * there an action leaves what the session stores as it is, whatever calls it (a shortcut, a
 * drop), so this tab never shows edits that no tab will save. What the editing tab saved comes in
 * through the store's own setState.
 */
function guardedSet<S>(set: S, get: () => EditorState): S {
  const inner = set as unknown as SetState;
  const guarded: SetState = (partial) => {
    if (get().access === 'editing') return inner(partial);
    const next = { ...(typeof partial === 'function' ? partial(get()) : partial) };
    for (const key of STORED_FIELDS) delete next[key];
    inner(next);
  };
  return guarded as unknown as S;
}

/**
 * One editor: the store of slices, its undo history (documents only), and its services (workers,
 * the schema validator, the session's saves, background jobs), created for it alone. The page
 * makes one; a test as many as it likes.
 */
export function createEditorStore(options: EditorServicesOptions = {}): EditorStore {
  let lastRecorded = 0;
  const openSteps = new WeakMap<object, OpenStep>();
  const store = createStore<EditorState>()(
    temporal(
      (set, get, api) => {
        const a = [guardedSet(set, get), get, api] as const;
        return {
          ...createDocumentsSlice(...a),
          ...createSelectionSlice(...a),
          ...createOpenSlice(...a),
          ...createValidationSlice(...a),
          ...createExportSlice(...a),
          ...createSessionSlice(...a),
          ...createRulesSlice(...a),
          ...createActivitySlice(...a),
          ...createViewSlice(...a),
          ...createChainSlice(...a),
          ...createImagesSlice(...a),
          ...createBackupsSlice(...a),
          ...createLargeFileSlice(...a),
          ...createCompareSlice(...a),
          ...createDefinitionsSlice(...a),
        };
      },
      {
        partialize: (s): UndoableState => ({
          documents: s.documents,
          documentOrder: s.documentOrder,
        }),
        equality: (a, b) => a.documents === b.documents && a.documentOrder === b.documentOrder,
        limit: UNDO_LIMIT,
        // Record the state before a burst of edits, not each keystroke inside it.
        handleSet: (handleSet) => (pastState, replace, currentState, delta) => {
          const now = Date.now();
          // Opening or closing files is a step of its own, and the edit after it starts a new one.
          const structural =
            (pastState as UndoableState | undefined)?.documentOrder !==
            (currentState as UndoableState | undefined)?.documentOrder;
          // After an undo, or an open, the next edit always starts a new step.
          const { pastStates, futureStates } = store.temporal.getState();
          const quiet =
            structural ||
            now - lastRecorded > UNDO_BURST_MS ||
            futureStates.length > 0 ||
            openSteps.has(pastStates[pastStates.length - 1] ?? {});
          lastRecorded = structural ? 0 : now;
          if (quiet)
            (handleSet as (...args: unknown[]) => void)(pastState, replace, currentState, delta);
        },
      },
    ),
  );
  // The chain is worked out again, by one action, whenever what it is made of changes (an edit,
  // an undo, a verdict), before anything else hears of the change.
  store.subscribe((s, prev) => {
    if (chainInputsChanged(s, prev)) s.updateChain();
    // Then how the VM changed along it, from the verdicts the chain now holds.
    else if (s.verdicts !== prev.verdicts || s.rows !== prev.rows) s.updateVmChanges();
    // After the chain (the forest is one of its inputs); the slice knows what it was made from.
    store.getState().updateDiskState();
    // The backup folder's problems are its checkpoints' too: after the chain, as the images'.
    store.getState().updateBackupStates();
    if (
      s.documents !== prev.documents ||
      s.documentOrder !== prev.documentOrder ||
      s.savedTexts !== prev.savedTexts
    )
      store.getState().updateUnexported();
  });
  store.getState().updateChain();
  const initial = store.getState();
  const editor = Object.assign(store, {
    services: createServices(options),
    openSteps,
    /** Back to a fresh store: its first state, no history, new services. */
    reset() {
      editor.services.close();
      editor.services = createServices(options);
      lastRecorded = 0;
      store.setState(initial, true);
      store.temporal.getState().clear();
    },
  });
  return editor;
}

/** Back to a fresh store with no history and new services: for tests. */
export function resetEditorStore(store: EditorStore): void {
  store.reset();
}

/**
 * One step back in the documents' history; the status line says what it changed. What is typed in
 * a form is written first: it is part of the step.
 */
export function undo(store: EditorStore): void {
  store.services.formDrafts.flush();
  stepHistory(store, 'undo');
}

export function redo(store: EditorStore): void {
  store.services.formDrafts.flush();
  stepHistory(store, 'redo');
}
