import { openExample, selectReadOnly, useEditor, useEditorStore } from '../../state/index.ts';

/** What an empty session shows: how to open files, and the examples. */
export function Welcome() {
  const store = useEditorStore();
  const showView = useEditor((s) => s.showView);
  // Another tab edits the session: opening here would change nothing (its banner says so).
  const readOnly = useEditor(selectReadOnly);
  const title = readOnly ? 'Read-only in this tab: take the session over to open files' : undefined;
  return (
    <div className="welcome">
      <h2>Open libvirt checkpoint XML</h2>
      <p>
        Pick files or a folder above, drop them anywhere on this page, or paste XML with Ctrl+V.
        Every file is checked against libvirt’s schema and its redefine rules, each problem with its
        file and line. Nothing leaves this browser.
      </p>
      <p>
        On a libvirt host, one script collects a VM’s checkpoints, its definition and its disks’
        bitmaps into one <code>DOMAIN-checkpoints.tar.gz</code> to open here.
      </p>
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={readOnly}
          title={title}
          onClick={() => openExample(store, 'chain')}
        >
          Open the example chain
        </button>
        <button
          type="button"
          className="button"
          disabled={readOnly}
          title={title}
          onClick={() => openExample(store, 'errors')}
        >
          Open the example with errors
        </button>
        <button type="button" className="button" onClick={() => showView('collect')}>
          Collect from a host
        </button>
      </div>
    </div>
  );
}
