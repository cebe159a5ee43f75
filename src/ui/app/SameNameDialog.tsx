import { selectSameNames, useEditor } from '../../state/index.ts';
import { Name } from './Name.tsx';
import { useModalDialog } from './use-modal-dialog.ts';

/**
 * A file opened under the name of an open file of the same VM, with other bytes (issue 21.4): the
 * operator chooses to replace the open one (an edit, Undo brings it back) or keep both, each
 * labelled by its folder. Nothing is opened or replaced before the choice.
 */
export function SameNameDialog() {
  const sameNames = useEditor(selectSameNames);
  const documents = useEditor((s) => s.documents);
  const resolve = useEditor((s) => s.resolveSameNames);
  if (sameNames.length === 0) return null;
  return (
    <Ask
      names={sameNames.map((n) => ({
        file: n.file.path ?? n.file.fileName,
        open: documents[n.existingId],
      }))}
      onChoose={resolve}
    />
  );
}

function Ask({
  names,
  onChoose,
}: {
  names: { file: string; open: { fileName: string; path?: string } | undefined }[];
  onChoose: (choice: 'replace' | 'keep') => void;
}) {
  const dialog = useModalDialog({ restoreFocus: true });
  const many = names.length > 1;
  return (
    <dialog
      ref={dialog}
      className="app-dialog"
      aria-labelledby="same-name-title"
      aria-describedby="same-name-text"
      onCancel={(e) => {
        // Escape keeps both: nothing the operator brought is dropped without a choice.
        e.preventDefault();
        onChoose('keep');
      }}
    >
      <h2 id="same-name-title">
        {many ? `${names.length} files have` : 'A file has'} the name of an open file
      </h2>
      <div id="same-name-text">
        <p>Same name, same VM, other contents. Replace the open file, or keep both?</p>
        <ul className="file-list">
          {names.map(({ file, open }) => (
            <li key={file}>
              <Name text={file} /> — open: <Name text={open?.path ?? open?.fileName ?? ''} />
            </li>
          ))}
        </ul>
        <p className="note">
          Replace makes the new contents an edit of the open file (Undo brings the old back). Keep
          both opens it beside, each labelled with its folder.
        </p>
      </div>
      <div className="actions">
        <button type="button" className="button" autoFocus onClick={() => onChoose('keep')}>
          Keep both
        </button>
        <button type="button" className="button danger" onClick={() => onChoose('replace')}>
          Replace
        </button>
      </div>
    </dialog>
  );
}
