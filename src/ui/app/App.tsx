import { useDropzone } from 'react-dropzone';
import {
  editorStore,
  openFiles,
  selectDocumentOrder,
  selectHasUnexported,
  useEditor,
} from '../../state/index.ts';
import { DocumentView } from '../editor/DocumentView.tsx';
import { SkippedFiles } from '../open/SkippedFiles.tsx';
import { CheckpointTree } from '../tree/CheckpointTree.tsx';
import { ValidationPanel } from '../validation/ValidationPanel.tsx';
import { TopBar } from './TopBar.tsx';
import { useAppShortcuts, useUnexportedWarning } from './use-app-shortcuts.ts';
import { Welcome } from './Welcome.tsx';
import './app.css';

/** The page: open on top, the checkpoints on the left, the selected one and its problems on the right. */
export function App() {
  const count = useEditor((s) => selectDocumentOrder(s).length);
  const closeAll = useEditor((s) => s.closeAllDocuments);
  const unexported = useEditor(selectHasUnexported);
  useAppShortcuts();
  useUnexportedWarning(unexported);
  // Files and folders dropped anywhere on the page; the pickers are in the top bar.
  const { getRootProps, isDragActive } = useDropzone({
    noClick: true,
    noKeyboard: true,
    onDrop: (files) => void openFiles(editorStore, files),
  });

  return (
    <div {...getRootProps({ className: 'app' })}>
      <TopBar />
      <div className="workspace">
        <aside className="sidebar" aria-labelledby="tree-title">
          <div className="panel-title">
            <h2 id="tree-title">Checkpoints</h2>
            {count > 0 && (
              <button
                type="button"
                className="button small"
                title="Close every file (Undo brings them back)"
                onClick={closeAll}
              >
                Close all
              </button>
            )}
          </div>
          <CheckpointTree />
          <SkippedFiles />
        </aside>
        <main className="document">
          {count === 0 ? (
            <>
              <Welcome />
              <div />
            </>
          ) : (
            <DocumentView />
          )}
          <ValidationPanel />
        </main>
      </div>
      {isDragActive && (
        <div className="drop-overlay">Drop checkpoint files or folders to open them</div>
      )}
    </div>
  );
}
