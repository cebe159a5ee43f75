import { selectSkipped, useEditor } from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { Message } from '../app/Message.tsx';
import './open.css';

/** The files the last open left out, with why: a folder's README is not an error. */
export function SkippedFiles() {
  const skipped = useEditor(selectSkipped);
  if (skipped.length === 0) return null;
  return (
    <section className="skipped" aria-labelledby="skipped-title">
      <h2 className="panel-title" id="skipped-title">
        Skipped {skipped.length} {skipped.length === 1 ? 'file' : 'files'}
      </h2>
      <ul>
        {skipped.map((f) => (
          <li key={f.fileName}>
            <Name text={f.fileName} className="file-name" />: <Message text={f.reason} />
          </li>
        ))}
      </ul>
    </section>
  );
}
