import {
  redo,
  selectSaveStatus,
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
  failed: 'Not saved: this browser refused storage',
};

export function TopBar() {
  const store = useEditorStore();
  const saveStatus = useEditor(selectSaveStatus);
  const canUndo = useUndoHistory((t) => t.pastStates.length > 0);
  const canRedo = useUndoHistory((t) => t.futureStates.length > 0);
  return (
    <header className="topbar">
      <h1>
        <img src={ICON} alt="" />
        Checkpoint editor
      </h1>
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
      <div className="spacer" />
      <span className="save-status" role="status">
        {saveStatus ? SAVE_TEXT[saveStatus] : ''}
      </span>
    </header>
  );
}
