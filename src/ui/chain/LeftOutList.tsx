import { useId, useState } from 'react';
import type { LeftOut, RedefinePlan } from '../../core/index.ts';
import { selectIdByFile, useEditor } from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { plural } from '../tree/checkpoint-facts.ts';

const LEFT_OUT_SHOWN = 100;

/** Why a checkpoint stays out of the script, with the names it is about. */
function LeftOutReasonText({ l }: { l: LeftOut }) {
  const r = l.reason;
  switch (r.kind) {
    case 'parent-missing':
      return (
        <>
          its parent <Name text={r.parent} /> is not among the files
        </>
      );
    case 'cycle':
      return <>its parents go round in a cycle</>;
    case 'refused':
      return <>libvirt refuses the file: {plural(r.errors, 'error')}</>;
    case 'below':
      return (
        <>
          below <Name text={r.ancestor} />, which is left out
        </>
      );
    case 'duplicate':
      return (
        <>
          <Name text={r.kept} /> defines the same checkpoint and is redefined instead
        </>
      );
  }
}

/** Before any download: which checkpoints the script leaves out, and why. */
export function LeftOutList({ plan, links = false }: { plan: RedefinePlan; links?: boolean }) {
  const [all, setAll] = useState(false);
  // Shown in the script panel and in Export all's review at once: each its own heading id.
  const titleId = useId();
  const idByFile = useEditor(selectIdByFile);
  const revealLine = useEditor((s) => s.revealLine);
  if (plan.leftOut.length === 0) {
    return <p className="note">Nothing is left out: libvirt takes every checkpoint.</p>;
  }
  const shown = all ? plan.leftOut : plan.leftOut.slice(0, LEFT_OUT_SHOWN);
  return (
    <div className="left-out">
      <h4 id={titleId}>Left out of the script: {plural(plan.leftOut.length, 'checkpoint')}</h4>
      <ul aria-labelledby={titleId}>
        {shown.map((l) => {
          const id = idByFile.get(l.file);
          return (
            <li key={l.file}>
              {links ? (
                <button
                  type="button"
                  className="link"
                  disabled={id === undefined}
                  onClick={() => id !== undefined && revealLine(id, 1)}
                >
                  <Name text={l.file} />
                </button>
              ) : (
                <Name text={l.file} />
              )}
              : <LeftOutReasonText l={l} />
            </li>
          );
        })}
      </ul>
      {!all && plan.leftOut.length > LEFT_OUT_SHOWN && (
        <button type="button" className="button small" onClick={() => setAll(true)}>
          Show all {plan.leftOut.length.toLocaleString('en')}
        </button>
      )}
    </div>
  );
}
