// The shell's and the shared styles first: each feature's own come after and build on them.
import './app.css';
import { useState } from 'react';
import { useDropzone } from 'react-dropzone';
import {
  openFiles,
  selectDocumentOrder,
  selectHasUnexported,
  selectReadOnly,
  useEditor,
  useEditorStore,
} from '../../state/index.ts';
import { CompareDialog } from '../compare/CompareDialog.tsx';
import { VmDefinitions } from '../compare/VmDefinitions.tsx';
import { SkippedFiles } from '../open/SkippedFiles.tsx';
import { CheckpointTree } from '../tree/CheckpointTree.tsx';
import { ValidationPanel } from '../validation/ValidationPanel.tsx';
import { ActivityProgress } from './ActivityProgress.tsx';
import { CloseAllDialog } from './CloseAllDialog.tsx';
import { MainTabs } from './MainTabs.tsx';
import { SessionBanners } from './SessionBanners.tsx';
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
  const readOnly = useEditor(selectReadOnly);
  const [askingToCloseAll, setAskingToCloseAll] = useState(false);
  useAppShortcuts();
  useUnexportedWarning(unexported && !readOnly);
  // Files and folders dropped anywhere on the page; the pickers are in the top bar.
  const { getRootProps, isDragActive } = useDropzone({
    noClick: true,
    noKeyboard: true,
    // Not `disabled`: that marks the whole page aria-disabled. A read-only tab opens nothing.
    onDrop: (files) => {
      if (!selectReadOnly(store.getState())) void openFiles(store, files);
    },
  });

  return (
    <div {...getRootProps({ className: 'app' })}>
      <TopBar />
      <SessionBanners />
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
                disabled={readOnly}
                // Edits never exported are not dropped without asking.
                onClick={() => (unexported ? setAskingToCloseAll(true) : closeAll())}
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
      {askingToCloseAll && <CloseAllDialog onClose={() => setAskingToCloseAll(false)} />}
      {isDragActive && (
        <div className="drop-overlay">
          {readOnly
            ? 'Read-only in this tab: take the session over to open files here'
            : 'Drop checkpoint files or folders to open them'}
        </div>
      )}
    </div>
  );
}
