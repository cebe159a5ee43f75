// The shell's and the shared styles first: each feature's own come after and build on them.
import './app.css';
import { useDropzone } from 'react-dropzone';
import type { CSSProperties } from 'react';
import { useEffect, useState } from 'react';
import {
  openFiles,
  PANE_LIMITS,
  selectDocumentOrder,
  selectHasUnexported,
  selectReadOnly,
  selectLayout,
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
import { SameNameDialog } from './SameNameDialog.tsx';
import { ExampleNote } from './ExampleNote.tsx';
import { MainTabs } from './MainTabs.tsx';
import { PaneSeparator } from './PaneSeparator.tsx';
import { SessionBanners } from './SessionBanners.tsx';
import { TopBar } from './TopBar.tsx';
import { useAppShortcuts, useUnexportedWarning } from './use-app-shortcuts.ts';

/** A pane's largest size: its own limit, and never more than `share` of the screen (nor under its least). */
function paneMax(limits: { min: number; max: number }, screen: number, share: number): number {
  return Math.max(limits.min, Math.min(limits.max, Math.floor(screen * share)));
}

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
  const stored = useEditor(selectLayout);
  const setLayout = useEditor((s) => s.setLayout);
  const viewport = useViewport();
  // A pane never takes more than its share of a small screen: the editor keeps its room.
  const sidebarMax = paneMax(PANE_LIMITS.sidebarWidth, viewport.width, 0.35);
  const validationMax = paneMax(PANE_LIMITS.validationHeight, viewport.height, 0.5);
  const layout = {
    ...stored,
    sidebarWidth: Math.min(stored.sidebarWidth, sidebarMax),
    validationHeight: Math.min(stored.validationHeight, validationMax),
  };
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

  const sizes = {
    '--sidebar-width': `${layout.sidebarWidth}px`,
    '--validation-height': `${layout.validationHeight}px`,
  } as CSSProperties;
  const toggleSidebar = () => setLayout({ sidebarCollapsed: !layout.sidebarCollapsed });
  const toggleValidation = () => setLayout({ validationCollapsed: !layout.validationCollapsed });

  return (
    <div {...getRootProps({ className: 'app', style: sizes })}>
      <TopBar />
      <SessionBanners />
      <div className={layout.sidebarCollapsed ? 'workspace sidebar-collapsed' : 'workspace'}>
        {layout.sidebarCollapsed && (
          <div className="rail">
            <button
              type="button"
              className="button small"
              aria-expanded={false}
              aria-controls="sidebar"
              title="Show the checkpoints"
              onClick={toggleSidebar}
            >
              <span aria-hidden="true">»</span>
              <span className="visually-hidden">Show checkpoints</span>
            </button>
          </div>
        )}
        <aside
          id="sidebar"
          className="sidebar"
          aria-labelledby="tree-title"
          hidden={layout.sidebarCollapsed}
        >
          <div className="panel-title">
            <h2 id="tree-title">
              Checkpoints{' '}
              {count > 0 && <span className="title-count">{count.toLocaleString('en')}</span>}
            </h2>
            <span className="group">
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
              <button
                type="button"
                className="button small"
                aria-expanded={true}
                aria-controls="sidebar"
                title="Hide the checkpoints (the separator brings them back too)"
                onClick={toggleSidebar}
              >
                <span aria-hidden="true">«</span>
                <span className="visually-hidden">Hide checkpoints</span>
              </button>
            </span>
          </div>
          <ExampleNote />
          <ActivityProgress />
          <CheckpointTree />
          <VmDefinitions />
          <SkippedFiles />
        </aside>
        <PaneSeparator
          label="Checkpoints width"
          controls="sidebar"
          orientation="vertical"
          value={layout.sidebarWidth}
          min={PANE_LIMITS.sidebarWidth.min}
          max={sidebarMax}
          collapsed={layout.sidebarCollapsed}
          grows="end"
          onResize={(width) =>
            setLayout({ sidebarWidth: Math.min(width, sidebarMax), sidebarCollapsed: false })
          }
          onToggle={toggleSidebar}
        />
        <main className={layout.validationCollapsed ? 'document validation-collapsed' : 'document'}>
          <MainTabs />
          <PaneSeparator
            label="Validation height"
            controls="validation"
            orientation="horizontal"
            value={layout.validationHeight}
            min={PANE_LIMITS.validationHeight.min}
            max={validationMax}
            collapsed={layout.validationCollapsed}
            grows="start"
            onResize={(height) =>
              setLayout({
                validationHeight: Math.min(height, validationMax),
                validationCollapsed: false,
              })
            }
            onToggle={toggleValidation}
          />
          <ValidationPanel collapsed={layout.validationCollapsed} onToggle={toggleValidation} />
        </main>
      </div>
      <CompareDialog />
      {askingToCloseAll && <CloseAllDialog onClose={() => setAskingToCloseAll(false)} />}
      <SameNameDialog />
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

/** The window's size, kept current. */
function useViewport(): { width: number; height: number } {
  const read = () => ({ width: window.innerWidth, height: window.innerHeight });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const update = () => setSize(read());
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, []);
  return size;
}
