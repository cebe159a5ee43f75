import { useSyncExternalStore } from 'react';
import {
  redo,
  selectHistoryNote,
  selectReadOnly,
  selectSaveStatus,
  selectUnsaved,
  undo,
  useEditor,
  useEditorStore,
  useUndoHistory,
} from '../../state/index.ts';
import { OpenControls } from '../open/OpenControls.tsx';
import type { AutosaveStatus } from '../../state/index.ts';

// Relative to the page in a build (base './'), so the app works under any path.
const ICON = `${import.meta.env.BASE_URL}favicon.svg`;

const SAVE_TEXT: Record<AutosaveStatus, string> = {
  saved: 'Saved in this browser',
  saving: 'Saving…',
  failed: 'Not saved in this browser',
};

/** Whether every change is stored here (and when not, how many files are not). */
function SaveStatus() {
  const drafts = useEditorStore().services.formDrafts;
  // A key typed in a form and not yet in its document is not saved either.
  const drafting = useSyncExternalStore(drafts.subscribe, drafts.pending);
  const stored = useEditor(selectSaveStatus);
  const saveStatus = drafting && stored !== 'failed' ? 'saving' : stored;
  const readOnly = useEditor(selectReadOnly);
  const unsaved = useEditor((s) => Object.keys(selectUnsaved(s)).length);
  const text = readOnly
    ? 'Read-only in this tab'
    : saveStatus === 'failed' && unsaved > 0
      ? `Not saved in this browser: ${unsaved.toLocaleString('en')} ${unsaved === 1 ? 'file' : 'files'}`
      : saveStatus
        ? SAVE_TEXT[saveStatus]
        : '';
  return (
    <span
      className={`save-status${saveStatus === 'failed' || readOnly ? ' attention' : ''}`}
      role="status"
    >
      {text}
    </span>
  );
}

/**
 * What the last undo or redo changed (the file and its fields): the file may be off screen, so
 * the step is never silent. A live region, there from the start, so each new line is heard.
 */
function HistoryNote() {
  const note = useEditor(selectHistoryNote);
  return (
    <span className="history-note" role="status" aria-live="polite" title={note?.text}>
      {note?.text ?? ''}
    </span>
  );
}

export function TopBar() {
  const store = useEditorStore();
  // A tab that only shows the session (another tab edits it) opens nothing and undoes nothing.
  const readOnly = useEditor(selectReadOnly);
  const canUndo = useUndoHistory((t) => t.pastStates.length > 0);
  const canRedo = useUndoHistory((t) => t.futureStates.length > 0);
  return (
    <header className="topbar">
      <h1>
        <img src={ICON} alt="" />
        Checkpoint editor
      </h1>
      <fieldset className="toolbar-fieldset" disabled={readOnly}>
        <OpenControls />
        <div className="divider" />
        <div className="group">
          <button
            type="button"
            className="button icon"
            disabled={!canUndo}
            onClick={() => undo(store)}
            aria-keyshortcuts="Control+Z"
            title="Undo (Ctrl+Z)"
          >
            Undo
          </button>
          <button
            type="button"
            className="button icon"
            disabled={!canRedo}
            onClick={() => redo(store)}
            aria-keyshortcuts="Control+Shift+Z Control+Y"
            title="Redo (Ctrl+Shift+Z)"
          >
            Redo
          </button>
        </div>
      </fieldset>
      <HistoryNote />
      <SaveStatus />
    </header>
  );
}
