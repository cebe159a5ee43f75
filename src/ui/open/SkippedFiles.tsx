import { useState } from 'react';
import { selectSkipped, useEditor } from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { Message } from '../app/Message.tsx';
import './open.css';

/** Skipped files listed before the operator asks for the rest: 10,000 rows would stall the page. */
const FIRST_SHOWN = 200;

/** The files the last open left out, with why: a folder's README is not an error. */
export function SkippedFiles() {
  const skipped = useEditor(selectSkipped);
  const [all, setAll] = useState(false);
  if (skipped.length === 0) return null;
  const shown = all ? skipped : skipped.slice(0, FIRST_SHOWN);
  const rest = skipped.length - shown.length;
  return (
    <section className="skipped" aria-labelledby="skipped-title">
      <h2 className="panel-title" id="skipped-title">
        Skipped {skipped.length.toLocaleString('en')} {skipped.length === 1 ? 'file' : 'files'}
      </h2>
      <ul>
        {shown.map((f) => (
          <li key={f.fileName}>
            <Name text={f.fileName} className="file-name" />: <Message text={f.reason} />
          </li>
        ))}
      </ul>
      {rest > 0 && (
        <button type="button" className="button small" onClick={() => setAll(true)}>
          Show the other {rest.toLocaleString('en')}
        </button>
      )}
    </section>
  );
}
