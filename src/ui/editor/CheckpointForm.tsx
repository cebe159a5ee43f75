import { useId } from 'react';
import type { Checkpoint, Problem } from '../../core/index.ts';
import { selectForest, setDescription, setName, setParent, useEditor } from '../../state/index.ts';
import { CreationTimeField } from './CreationTimeField.tsx';
import { DraftInput, DraftTextarea } from './DraftField.tsx';
import { ProblemList } from '../validation/ProblemList.tsx';

interface Props {
  id: string;
  checkpoint: Checkpoint;
  problems: Problem[];
}

/**
 * The checkpoint's own fields, as controlled inputs over the store; the text fields show each key
 * from their own state and write the store once the keys pause (DraftField.tsx).
 */
export function CheckpointForm({ id, checkpoint, problems }: Props) {
  const edit = useEditor((s) => s.editCheckpoint);
  const names = useEditor((s) => selectForest(s).keys);
  const parentList = useId();
  const onLine = (position: { line: number } | undefined) =>
    position ? problems.filter((p) => p.line === position.line) : [];
  const at = checkpoint.positions;
  return (
    <section className="card" aria-labelledby={`${parentList}-title`}>
      <h3 id={`${parentList}-title`}>Checkpoint</h3>
      <div className="form-grid">
        <label htmlFor={`${parentList}-name`}>Name</label>
        <DraftInput
          owner={id}
          id={`${parentList}-name`}
          type="text"
          value={checkpoint.name ?? ''}
          spellCheck={false}
          onWrite={(text) => edit(id, setName(text))}
        />
        <FieldProblems problems={onLine(at.name)} />
        <label htmlFor={`${parentList}-description`}>Description</label>
        <DraftTextarea
          owner={id}
          id={`${parentList}-description`}
          rows={2}
          value={checkpoint.description ?? ''}
          onWrite={(text) => edit(id, setDescription(text))}
        />
        <FieldProblems problems={onLine(at.description)} />
        <label htmlFor={`${parentList}-parent`}>Parent</label>
        <DraftInput
          owner={id}
          id={`${parentList}-parent`}
          type="text"
          // A datalist makes it a combobox to assistive tech; it stays the textbox operators type in.
          role="textbox"
          list={`${parentList}-parents`}
          value={checkpoint.parent ?? ''}
          spellCheck={false}
          placeholder="none: a root checkpoint"
          onWrite={(text) => edit(id, setParent(text))}
        />
        <datalist id={`${parentList}-parents`}>
          {nearbyNames(names, checkpoint.name).map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <FieldProblems problems={onLine(at.parent)} />
        <CreationTimeField
          id={id}
          seconds={checkpoint.creationTime}
          written={checkpoint.creationTimeAsWritten}
        />
        <FieldProblems problems={onLine(at.creationTime)} />
      </div>
    </section>
  );
}

/** Parents to offer: every other name, or in a large chain those next to this one in name order. */
const OFFERED_PARENTS = 200;
function nearbyNames(names: readonly string[], own: string | undefined): string[] {
  const others = names.length <= OFFERED_PARENTS + 1 ? names : around(names, own);
  return others.filter((n) => n !== own);
}
function around(names: readonly string[], own: string | undefined): readonly string[] {
  const at = own === undefined ? 0 : Math.max(names.indexOf(own), 0);
  const start = Math.max(0, Math.min(at - OFFERED_PARENTS / 2, names.length - OFFERED_PARENTS));
  return names.slice(start, start + OFFERED_PARENTS);
}

function FieldProblems({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="hint" style={{ marginTop: 0 }}>
      <ProblemList problems={problems} />
    </div>
  );
}
