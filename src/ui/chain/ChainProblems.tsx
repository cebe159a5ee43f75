import { useMemo, useState } from 'react';
import type { Problem } from '../../core/index.ts';
import { nameLabels, selectIdByFile, selectRows, useEditor } from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { Message } from '../app/Message.tsx';
import { HelpLink, MomentNote } from '../validation/ProblemParts.tsx';

/** Problems listed at first; the rest on request, so ten thousand never land in the page at once. */
const PROBLEMS_SHOWN = 200;

/** The chain's problems, each with its file and line, sorted as the files are. */
export function ChainProblems({ problems }: { problems: readonly Problem[] }) {
  const rows = useEditor(selectRows);
  const idByFile = useEditor(selectIdByFile);
  const revealLine = useEditor((s) => s.revealLine);
  // A file of a name opened twice (both kept) is named by its folder.
  const documents = useEditor((s) => s.documents);
  const label = useMemo(() => nameLabels(documents), [documents]);
  const [all, setAll] = useState(false);
  const sorted = useMemo(() => {
    const order = new Map(rows.map((item, i) => [item.fileName, i]));
    return [...problems].sort(
      (a, b) =>
        (order.get(a.file ?? '') ?? 0) - (order.get(b.file ?? '') ?? 0) ||
        (a.line ?? 0) - (b.line ?? 0),
    );
  }, [problems, rows]);
  const shown = all ? sorted : sorted.slice(0, PROBLEMS_SHOWN);
  return (
    <section className="card chain-problems" aria-labelledby="chain-problems-title">
      <h3 id="chain-problems-title">
        Chain problems <span className="counts">{problems.length.toLocaleString('en')}</span>
      </h3>
      {problems.length === 0 ? (
        <p className="note">
          {rows.length === 0
            ? 'Open checkpoint files to see their chain.'
            : 'None: every parent is loaded, no checkpoint is defined twice, every checkpoint is of the same VM and was created after its parent, and the disks match along the chain.'}
        </p>
      ) : (
        <ul className="problem-list">
          {shown.map((p, i) => {
            const id = p.file === undefined ? undefined : idByFile.get(p.file);
            return (
              <li key={`${p.file}-${p.code}-${p.line}-${i}`} className="problem-row">
                <button
                  type="button"
                  className="problem-button"
                  disabled={id === undefined}
                  onClick={() => id !== undefined && revealLine(id, p.line ?? 1)}
                  // Said as one line: the file name's own box would otherwise part it from its line.
                  aria-label={`${p.severity} ${p.file ?? ''}${p.line !== undefined ? `:${p.line}` : ''} ${p.message} ${p.code}`}
                >
                  <span className={`severity ${p.severity}`}>{p.severity}</span>
                  <span className="where">
                    {p.file !== undefined && <Name text={id === undefined ? p.file : label(id)} />}
                    {p.line !== undefined ? `:${p.line}` : ''}
                  </span>
                  <Message text={p.message} />
                  <MomentNote message={p.message} />
                  <span className="code">{p.code}</span>
                </button>
                <HelpLink code={p.code} />
              </li>
            );
          })}
        </ul>
      )}
      {!all && sorted.length > PROBLEMS_SHOWN && (
        <button type="button" className="button small" onClick={() => setAll(true)}>
          Show all {sorted.length.toLocaleString('en')}
        </button>
      )}
    </section>
  );
}
