import { useId, useState } from 'react';
import type { SkippedFile } from '../../state/index.ts';
import { selectSkipped, useEditor } from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { Message } from '../app/Message.tsx';
import type { SkippedKind } from './skipped-kinds.ts';
import { kindLabel, skippedKinds } from './skipped-kinds.ts';
import './open.css';

/** Skipped files listed before the operator asks for the rest: 10,000 rows would stall the page. */
const FIRST_SHOWN = 200;

/** Files, each with why it was left out; the first FIRST_SHOWN, the rest on request. */
function FileList({ files, label }: { files: readonly SkippedFile[]; label?: string }) {
  const [all, setAll] = useState(false);
  const shown = all ? files : files.slice(0, FIRST_SHOWN);
  const rest = files.length - shown.length;
  return (
    <>
      <ul aria-label={label}>
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
    </>
  );
}

/** One kind on one line ("14 data files"), a disclosure that lists them. */
function KindLine({ kind }: { kind: SkippedKind }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const label = kindLabel(kind);
  return (
    <li className="skipped-kind">
      <button
        type="button"
        className="disclosure"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true" className="marker">
          {open ? '▾' : '▸'}
        </span>
        {label}
      </button>
      <div id={id} hidden={!open}>
        {open && <FileList files={kind.files} label={label} />}
      </div>
    </li>
  );
}

/**
 * The files the last open left out: those a folder holds beside its checkpoints (data files,
 * logs, files already open) one line per kind, each listed on request; those left out for a
 * problem (over a limit, unreadable) each on its own line, with why.
 */
export function SkippedFiles() {
  const skipped = useEditor(selectSkipped);
  if (skipped.length === 0) return null;
  const { kinds, problems } = skippedKinds(skipped);
  return (
    <section className="skipped" aria-labelledby="skipped-title">
      <h2 className="panel-title" id="skipped-title">
        Skipped {skipped.length.toLocaleString('en')} {skipped.length === 1 ? 'file' : 'files'}
      </h2>
      {kinds.length > 0 && (
        <ul className="skipped-kinds">
          {kinds.map((k) => (
            <KindLine key={k.key} kind={k} />
          ))}
        </ul>
      )}
      {problems.length > 0 && <FileList files={problems} />}
    </section>
  );
}
