import { useModalDialog } from './use-modal-dialog.ts';
import { useShallow } from 'zustand/react/shallow';
import { isUnexported, useEditor } from '../../state/index.ts';
import type { EditorState } from '../../state/index.ts';
import { Name } from './Name.tsx';

/** The open files with edits never exported, by name. */
function unexportedNames(s: EditorState): string[] {
  const names: string[] = [];
  for (const id of s.documentOrder) {
    const doc = s.documents[id];
    if (doc && isUnexported(doc, s.savedTexts)) names.push(doc.fileName);
  }
  return names;
}

/** Asks before Close all drops edits that were never exported. */
export function CloseAllDialog({ onClose }: { onClose: () => void }) {
  const dialog = useModalDialog();
  const count = useEditor((s) => s.documentOrder.length);
  const closeAll = useEditor((s) => s.closeAllDocuments);
  const names = useEditor(useShallow(unexportedNames));
  return (
    <dialog
      ref={dialog}
      className="app-dialog"
      aria-labelledby="close-all-title"
      aria-describedby="close-all-text"
      onClose={onClose}
      onCancel={onClose}
    >
      <h2 id="close-all-title">Close all files?</h2>
      <div id="close-all-text">
        <p>
          {names.length === 1
            ? '1 file has edits that were never exported:'
            : `${names.length.toLocaleString('en')} files have edits that were never exported:`}
        </p>
        <ul className="file-list">
          {names.map((n) => (
            <li key={n}>
              <Name text={n} />
            </li>
          ))}
        </ul>
        <p className="note">
          Closing all {count.toLocaleString('en')} files takes them out of this session; Undo brings
          them back until the page is reloaded.
        </p>
      </div>
      <div className="actions">
        <button type="button" className="button" autoFocus onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className="button danger"
          onClick={() => {
            closeAll();
            onClose();
          }}
        >
          Close all
        </button>
      </div>
    </dialog>
  );
}
