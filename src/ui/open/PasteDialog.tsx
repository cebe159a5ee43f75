import { useModalDialog } from '../app/use-modal-dialog.ts';
import { useState } from 'react';
import { openPastedText, useEditorStore } from '../../state/index.ts';

/** A modal text area for XML copied from a terminal (virsh checkpoint-dumpxml …). */
export function PasteDialog({ onClose }: { onClose: () => void }) {
  const store = useEditorStore();
  const dialog = useModalDialog();
  const [text, setText] = useState('');
  const open = () => {
    if (!text.trim()) return;
    openPastedText(store, text);
    onClose();
  };
  return (
    <dialog
      ref={dialog}
      className="paste-dialog"
      aria-labelledby="paste-title"
      onClose={onClose}
      onCancel={onClose}
    >
      <h2 id="paste-title" style={{ marginTop: 0, fontSize: 16 }}>
        Paste checkpoint XML
      </h2>
      <p className="note">
        For example the output of <code>virsh checkpoint-dumpxml DOMAIN NAME</code>. You can also
        press Ctrl+V anywhere outside a text field. Ctrl+Enter opens what you pasted.
      </p>
      <textarea
        aria-label="Checkpoint XML to open"
        value={text}
        autoFocus
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // As a form's submit from a text area: Enter alone is a new line.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            open();
          }
        }}
      />
      <div className="actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button primary"
          disabled={!text.trim()}
          aria-keyshortcuts="Control+Enter"
          onClick={open}
        >
          Open
        </button>
      </div>
    </dialog>
  );
}
