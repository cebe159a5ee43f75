import { selectSkipped, useEditor } from '../../state/index.ts';
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
            <span className="file-name">{f.fileName}</span>: {f.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}
