import { useMemo, useState } from 'react';
import { forestDomainName } from '../../core/index.ts';
import { selectCurrentVmChain, selectForest, selectRows, useEditor } from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { plural } from '../tree/checkpoint-facts.ts';
import { ChainChanges } from '../compare/ChainChanges.tsx';
import { ChainProblems } from './ChainProblems.tsx';
import { RedefineCard } from './RedefineCard.tsx';
import { RedefineScriptPanel } from './RedefineScriptPanel.tsx';
import { TargetCard } from './TargetCard.tsx';
import './chain.css';

/**
 * The loaded files as one chain: what it holds, what is wrong with it (each problem with its file
 * and line), the script that redefines it on a host, a zip of every checkpoint, and the VM it is
 * to go to.
 */
export function ChainView() {
  const forest = useEditor(selectForest);
  const rows = useEditor(selectRows);
  const domain = useMemo(() => forestDomainName(forest), [forest]);
  const vm = useEditor(selectCurrentVmChain);
  const vms = useEditor((s) => s.vms.length);
  const outside = useMemo(() => rows.filter((i) => i.key === undefined).length, [rows]);
  const [scriptShown, setScriptShown] = useState(false);
  return (
    <div className="chain-view">
      <div className="chain-cards">
        <section className="card" aria-labelledby="chain-summary-title">
          <h3 id="chain-summary-title">Chain</h3>
          <dl className="summary">
            <dt>Checkpoints</dt>
            <dd>{forest.keys.length.toLocaleString('en')}</dd>
            <dt>Roots</dt>
            <dd>{forest.roots.length.toLocaleString('en')}</dd>
            <dt>Leaves</dt>
            <dd>{forest.leaves.length.toLocaleString('en')}</dd>
            <dt>VM</dt>
            <dd>
              {domain !== undefined ? (
                <Name text={domain} />
              ) : vm?.folder !== undefined && vms > 1 ? (
                <>
                  not named by the files: those of <Name text={vm.folder || 'the top folder'} />
                </>
              ) : (
                'not named by the files'
              )}
            </dd>
            {outside > 0 && (
              <>
                <dt>Not in the chain</dt>
                <dd>
                  {plural(outside, 'file')}: unreadable, or another file defines the same checkpoint
                </dd>
              </>
            )}
          </dl>
        </section>
        <RedefineCard domain={domain} scriptShown={scriptShown} setScriptShown={setScriptShown} />
        <TargetCard />
      </div>
      {scriptShown && <RedefineScriptPanel />}
      <ChainChanges />
      <ChainProblems problems={forest.problems} />
    </div>
  );
}
