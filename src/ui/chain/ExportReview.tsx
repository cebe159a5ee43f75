import { useModalDialog } from '../app/use-modal-dialog.ts';
import { useMemo, useState } from 'react';
import type { ExportPlan } from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { plural } from '../tree/checkpoint-facts.ts';
import { LeftOutList } from './LeftOutList.tsx';

/** A change said without its line: what it is, the same in every file that has it. */
const kindOf = (note: string) =>
  note.replace(/^lines? [\d, ]+: /, '').replace(/ \(\d+ places\)$/, '');

const SHOWN = 50;

/**
 * What Export all is about to write, before it is written: which files go in libvirt's format
 * and what that changes (grouped, with how many files each), which go as they are and why.
 */
export function ExportReview({
  plan,
  onCancel,
  onConfirm,
}: {
  plan: ExportPlan;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const dialog = useModalDialog();
  const [all, setAll] = useState(false);
  const formatted = plan.entries.filter((e) => e.how === 'formatted');
  const asIs = plan.entries.filter((e) => e.how === 'as-is');
  const changed = formatted.filter((e) => e.notes.length > 0);
  const kinds = useMemo(() => {
    const count = new Map<string, number>();
    for (const e of changed) {
      for (const k of new Set(e.notes.map(kindOf))) count.set(k, (count.get(k) ?? 0) + 1);
    }
    return [...count].sort((a, b) => b[1] - a[1]);
  }, [changed]);
  const perFile = all ? changed : changed.slice(0, SHOWN);
  return (
    <dialog
      ref={dialog}
      className="confirm-dialog export-review"
      aria-labelledby="export-review-title"
      onClose={onCancel}
      onCancel={onCancel}
    >
      <h2 id="export-review-title">Export all: what the zip will hold</h2>
      <p>
        {plural(formatted.length, 'checkpoint')} in libvirt’s format (as{' '}
        <code>virsh checkpoint-dumpxml</code> prints it)
        {asIs.length > 0 && <>, {plural(asIs.length, 'file')} as they are, byte for byte</>}.
      </p>
      {kinds.length > 0 && (
        <>
          <p>libvirt’s format changes {plural(changed.length, 'of them', 'of them')}:</p>
          <ul aria-label="What libvirt's format changes in the zip">
            {kinds.map(([kind, files]) => (
              <li key={kind}>
                {kind} — {plural(files, 'file')}
              </li>
            ))}
          </ul>
          <details>
            <summary>File by file</summary>
            <ul aria-label="Changes file by file">
              {perFile.map((e) => (
                <li key={e.id}>
                  <Name text={e.fileName} />: {e.notes.join('; ')}
                </li>
              ))}
            </ul>
            {!all && changed.length > SHOWN && (
              <button type="button" className="button small" onClick={() => setAll(true)}>
                Show all {changed.length.toLocaleString('en')}
              </button>
            )}
          </details>
        </>
      )}
      {asIs.length > 0 && (
        <>
          <p>As they are, since libvirt would refuse them:</p>
          <ul aria-label="Files written as they are">
            {asIs.slice(0, SHOWN).map((e) => (
              <li key={e.id}>
                <Name text={e.fileName} /> ({e.notes.join('; ')})
              </li>
            ))}
            {asIs.length > SHOWN && <li>and {plural(asIs.length - SHOWN, 'more file')}</li>}
          </ul>
        </>
      )}
      {plan.scripts.map((script) => (
        <section key={script.vm} aria-label={`VM ${script.label}`}>
          <p>
            {plan.scripts.length > 1 ? (
              <>
                VM <Name text={script.label} />: beside its files{' '}
              </>
            ) : (
              'And beside them '
            )}
            <Name text={script.zipName} />, the script that redefines{' '}
            {plural(script.plan.order.length, 'checkpoint')} of them with virsh, parents first (
            <code>sh {script.zipName} -c URI</code>).
          </p>
          <LeftOutList plan={script.plan} />
        </section>
      ))}
      <div className="actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button primary" autoFocus onClick={onConfirm}>
          Download zip
        </button>
      </div>
    </dialog>
  );
}
