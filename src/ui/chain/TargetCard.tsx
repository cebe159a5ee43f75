import type { ChangeEvent } from 'react';
import {
  loadTargetFile,
  selectCounts,
  selectTarget,
  selectTargetError,
  useEditor,
  useEditorStore,
} from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { plural } from '../tree/checkpoint-facts.ts';

/** The VM the checkpoints are to go to: its definition loaded from a file, checked against. */
export function TargetCard() {
  const target = useEditor(selectTarget);
  const error = useEditor(selectTargetError);
  const clearOwnTarget = useEditor((s) => s.clearTarget);
  const clearTarget = () => clearOwnTarget();
  const store = useEditorStore();
  const checking = useEditor((s) => selectCounts(s).checking);
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file) void loadTargetFile(store, file);
  };
  const vm = target?.domain;
  return (
    <section className="card" aria-labelledby="target-title">
      <h3 id="target-title">Target VM</h3>
      <p className="note">
        The VM&apos;s current definition (<code>virsh dumpxml VM</code>): every checkpoint is then
        checked against its uuid and its disks.
      </p>
      <div className="actions">
        <label className="button file-button">
          {target ? 'Load another…' : 'Load definition…'}
          <input
            type="file"
            accept=".xml,application/xml,text/xml"
            aria-label="Target VM definition"
            onChange={onFile}
          />
        </label>
        {target && (
          <button type="button" className="button small" onClick={clearTarget}>
            Clear
          </button>
        )}
      </div>
      {vm && target && (
        <dl className="summary">
          <dt>VM</dt>
          <dd>{vm.name !== undefined ? <Name text={vm.name} /> : '—'}</dd>
          <dt>UUID</dt>
          <dd>{vm.uuid ?? '—'}</dd>
          <dt>Disks</dt>
          <dd>{vm.disks.length ? vm.disks.map((d) => d.target || '?').join(', ') : 'none'}</dd>
          <dt>File</dt>
          <dd>
            <Name text={target.fileName} />
          </dd>
        </dl>
      )}
      {checking > 0 && target && (
        <p className="note" role="status">
          Checking {plural(checking, 'checkpoint')} against {vm?.name ?? 'the target'}…
        </p>
      )}
      {error && (
        <p className="hint error" role="alert">
          Not loaded: {error}
        </p>
      )}
    </section>
  );
}
