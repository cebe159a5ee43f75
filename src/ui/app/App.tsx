// The shell's and the shared styles first: each feature's own come after and build on them.
import './app.css';
import { useDropzone } from 'react-dropzone';
import {
  openFiles,
  selectDocumentOrder,
  selectHasUnexported,
  useEditor,
  useEditorStore,
} from '../../state/index.ts';
import { CompareDialog } from '../compare/CompareDialog.tsx';
import { VmDefinitions } from '../compare/VmDefinitions.tsx';
import { SkippedFiles } from '../open/SkippedFiles.tsx';
import { CheckpointTree } from '../tree/CheckpointTree.tsx';
import { ValidationPanel } from '../validation/ValidationPanel.tsx';
import { ActivityProgress } from './ActivityProgress.tsx';
import { MainTabs } from './MainTabs.tsx';
import { TopBar } from './TopBar.tsx';
import { useAppShortcuts, useUnexportedWarning } from './use-app-shortcuts.ts';

/**
 * The page: open on top, the checkpoints on the left; on the right the selected one in the editor
 * (or the chain, its bitmaps, its graph) above every file's problems.
 */
export function App() {
  const store = useEditorStore();
  const count = useEditor((s) => selectDocumentOrder(s).length);
  const closeAll = useEditor((s) => s.closeAllDocuments);
  const unexported = useEditor(selectHasUnexported);
  useAppShortcuts();
  useUnexportedWarning(unexported);
  // Files and folders dropped anywhere on the page; the pickers are in the top bar.
  const { getRootProps, isDragActive } = useDropzone({
    noClick: true,
    noKeyboard: true,
    onDrop: (files) => void openFiles(store, files),
  });

  return (
    <div {...getRootProps({ className: 'app' })}>
      <TopBar />
      <div className="workspace">
        <aside className="sidebar" aria-labelledby="tree-title">
          <div className="panel-title">
            <h2 id="tree-title">
              Checkpoints{' '}
              {count > 0 && <span className="title-count">{count.toLocaleString('en')}</span>}
            </h2>
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
          <ActivityProgress />
          <CheckpointTree />
          <VmDefinitions />
          <SkippedFiles />
        </aside>
        <main className="document">
          <MainTabs />
          <ValidationPanel />
        </main>
      </div>
      <CompareDialog />
      {isDragActive && (
        <div className="drop-overlay">Drop checkpoint files or folders to open them</div>
      )}
    </div>
  );
}
