import { useState } from 'react';
import type { Problem } from '../../core/index.ts';
import {
  selectCounts,
  selectDiskState,
  selectProblemsById,
  selectRows,
  selectSchemaSet,
  selectSelectedId,
  useEditor,
} from '../../state/index.ts';
import { RulesControls } from './RulesControls.tsx';
import { Name } from '../app/Name.tsx';
import { Message } from '../app/Message.tsx';
import './validation.css';

/** Files listed at first: a folder of thousands with problems is shown a page at a time. */
const FILES_SHOWN = 100;

/**
 * Every problem of every open file: the schema's, libvirt's rules, the QEMU driver's warnings and
 * the chain's, each with its file and line. Choosing one shows that line in the XML source.
 */
export function ValidationPanel() {
  const rows = useEditor(selectRows);
  const problemsById = useEditor(selectProblemsById);
  const counts = useEditor(selectCounts);
  const selectedId = useEditor(selectSelectedId);
  const schemaSet = useEditor(selectSchemaSet);
  const documents = useEditor((s) => s.documents);
  const revealLine = useEditor((s) => s.revealLine);
  const [limit, setLimit] = useState(FILES_SHOWN);
  const validating = counts.validating;
  // What the disk images show of each checkpoint, beside its own problems.
  const diskState = useEditor(selectDiskState);
  const imageProblems = diskState?.problemsById ?? NO_IMAGE_PROBLEMS;
  const problemsOf = (id: string): Problem[] =>
    imageProblems[id]
      ? [...(problemsById[id] ?? []), ...imageProblems[id]]
      : (problemsById[id] ?? []);
  const fromImages = Object.values(imageProblems)
    .flat()
    .concat(diskState?.imageProblems ?? []);
  const imageErrors = fromImages.filter((p) => p.severity === 'error').length;
  const allErrors = counts.errors + imageErrors;
  const allWarnings = counts.warnings + fromImages.length - imageErrors;
  // The selected file first, then the others in tree order.
  const withProblems: string[] = [];
  for (const item of rows) {
    if (item.id !== selectedId && problemsOf(item.id).length > 0) {
      withProblems.push(item.id);
    }
  }
  if (selectedId !== null && problemsOf(selectedId).length > 0) {
    withProblems.unshift(selectedId);
  }

  return (
    <section className="validation" aria-labelledby="validation-title">
      <div className="validation-bar">
        <h2 className="panel-title" id="validation-title">
          Validation
        </h2>
        <span className="counts" aria-live="polite">
          {validating > 0 && schemaSet.status !== 'failed' ? (
            <span>
              Validating {validating} {validating === 1 ? 'file' : 'files'}…
            </span>
          ) : null}
          <span className={allErrors ? 'count-error' : 'count-ok'}>
            {allErrors} {allErrors === 1 ? 'error' : 'errors'}
          </span>
          <span className={allWarnings ? 'count-warning' : undefined}>
            {allWarnings} {allWarnings === 1 ? 'warning' : 'warnings'}
          </span>
        </span>
        <RulesControls />
      </div>
      <div className="validation-body">
        {rows.length === 0 ? (
          <p className="empty-state">Open checkpoint files to validate them.</p>
        ) : withProblems.length === 0 && !diskState?.imageProblems.length ? (
          <p className="empty-state">
            {validating > 0
              ? 'No problems so far; the schema check is still running.'
              : `All ${rows.length} ${rows.length === 1 ? 'file is' : 'files are'} valid against ${schemaSet.label} and libvirt's redefine rules.`}
          </p>
        ) : (
          <>
            {withProblems.slice(0, limit).map((id) => (
              <FileProblems
                key={id}
                fileName={documents[id]?.fileName ?? id}
                current={id === selectedId}
                problems={problemsOf(id)}
                onReveal={(line) => revealLine(id, line)}
              />
            ))}
            {diskState && <ImageFileProblems problems={diskState.imageProblems} />}
            {withProblems.length > limit && (
              <button
                type="button"
                className="button small more-button"
                onClick={() => setLimit(limit + FILES_SHOWN * 5)}
              >
                Show more: {(withProblems.length - limit).toLocaleString('en')} more files with
                problems
              </button>
            )}
          </>
        )}
      </div>
    </section>
  );
}

const NO_IMAGE_PROBLEMS: Record<string, Problem[]> = {};

/** Problems of the qemu-img or QMP output files (a bitmap no checkpoint keeps), by file. */
function ImageFileProblems({ problems }: { problems: readonly Problem[] }) {
  const byFile = new Map<string, Problem[]>();
  for (const p of problems) byFile.set(p.file ?? '', [...(byFile.get(p.file ?? '') ?? []), p]);
  return (
    <>
      {[...byFile].map(([file, list]) => (
        <div key={file}>
          <h3 className="validation-file">
            <Name text={file || 'disk images'} />
          </h3>
          <ul className="problem-list">
            {list.map((p, i) => (
              <li key={`${p.code}-${p.line}-${i}`}>
                <span className="problem-button">
                  <span className={`severity ${p.severity}`}>{p.severity}</span>
                  <span className="where">{p.line !== undefined ? `line ${p.line}` : 'file'}</span>
                  <Message text={p.message} />
                  <span className="code">{p.code}</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </>
  );
}

function FileProblems({
  fileName,
  current,
  problems,
  onReveal,
}: {
  fileName: string;
  current: boolean;
  problems: Problem[];
  onReveal: (line: number) => void;
}) {
  return (
    <div>
      <h3 className={current ? 'validation-file current' : 'validation-file'}>
        <Name text={fileName} />
      </h3>
      <ul className="problem-list">
        {problems.map((p, i) => (
          <li key={`${p.code}-${p.line}-${i}`}>
            <button type="button" className="problem-button" onClick={() => onReveal(p.line ?? 1)}>
              <span className={`severity ${p.severity}`}>{p.severity}</span>
              <span className="where">{p.line !== undefined ? `line ${p.line}` : 'file'}</span>
              <Message text={p.message} />
              <span className="code">{p.code}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
