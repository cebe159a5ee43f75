import {
  isLargeFile,
  isOffPage,
  READ_ONLY_CHARS,
  selectLargeReadOnly,
  selectReadOnly,
  selectSelectedDocument,
  selectSourceShown,
  useEditor,
} from '../../state/index.ts';
import type { CheckpointDocument } from '../../state/index.ts';
import { Name } from './Name.tsx';

const megabytes = (chars: number) => `${(chars / 1e6).toFixed(1)} MB`;

/**
 * How the editor may treat a document: read-only while another tab edits the session, or while a
 * large file is not yet made editable; a large file's XML source only once asked for.
 */
export function useDocumentAccess(id: string): {
  readOnly: boolean;
  sessionReadOnly: boolean;
  sourceShown: boolean;
} {
  const sessionReadOnly = useEditor(selectReadOnly);
  const large = useEditor((s) => selectLargeReadOnly(s, id));
  const sourceShown = useEditor((s) => selectSourceShown(s, id));
  return { readOnly: sessionReadOnly || large, sessionReadOnly, sourceShown };
}

/** A large file's note, as the legend of its form: why it is read-only, and the way to edit it. */
export function LargeFileNote({ doc }: { doc: CheckpointDocument }) {
  const readOnly = useEditor((s) => selectLargeReadOnly(s, doc.id));
  const sessionReadOnly = useEditor(selectReadOnly);
  const allowEditing = useEditor((s) => s.allowEditing);
  if (!isLargeFile(doc)) return null;
  // The first legend of a disabled fieldset stays enabled: so its button works on a read-only form.
  return (
    <legend className="large-file-note" role="note">
      <span className="large-file-text">
        <Name text={doc.fileName} /> is {megabytes(doc.text.length)}:{' '}
        {readOnly
          ? `it opened read-only (every file over ${megabytes(READ_ONLY_CHARS)} does). Its edits are written in the background, seconds each.`
          : 'its edits are written in the background, seconds each.'}
      </span>
      <span className="actions">
        {readOnly && (
          <button
            type="button"
            className="button"
            disabled={sessionReadOnly}
            onClick={() => allowEditing(doc.id)}
          >
            Edit this file
          </button>
        )}
      </span>
    </legend>
  );
}

/** In place of the source view of a large file, until it is asked for. */
export function FoldedSource({ doc }: { doc: CheckpointDocument }) {
  const showSource = useEditor((s) => s.showSource);
  return (
    <div className="pane-note">
      <p>
        The XML source of <Name text={doc.fileName} /> ({megabytes(doc.text.length)}) is not shown
        until you ask: the source view takes a while to lay out this much text.
      </p>
      <button type="button" className="button" onClick={() => showSource(doc.id)}>
        Show the XML source
      </button>
    </div>
  );
}

/** While a worker reads the selected file (too large to read on the page), in place of the editor. */
export function ReadingLargeFile() {
  const doc = useEditor(selectSelectedDocument);
  if (!doc || !isOffPage(doc)) return null;
  return (
    <p className="pane-note" role="status">
      Reading <Name text={doc.fileName} /> ({megabytes(doc.text.length)}) in the background…
    </p>
  );
}
