import { useEffect, useMemo, useRef, useState } from 'react';
import {
  redefineScriptName,
  selectCounts,
  selectForest,
  selectIdByFile,
  selectProblemsById,
  selectRedefinePlan,
  selectRedefineScript,
  selectRedefineValidate,
  selectRows,
  selectTarget,
  useEditor,
} from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { download } from '../export/download.ts';
import { plural } from '../tree/checkpoint-facts.ts';
import { LeftOutList } from './LeftOutList.tsx';

/** The redefine script of the VM on screen: what it does, to download or copy, and its text. */
export function RedefineScriptPanel() {
  const forest = useEditor(selectForest);
  const rows = useEditor(selectRows);
  const idByFile = useEditor(selectIdByFile);
  const problemsById = useEditor(selectProblemsById);
  const redefineValidate = useEditor(selectRedefineValidate);
  const target = useEditor(selectTarget);
  const checking = useEditor((s) => selectCounts(s).validating + selectCounts(s).checking);
  const { plan, script } = useMemo(() => {
    const s = { forest, rows, idByFile, problemsById, redefineValidate, target };
    const plan = selectRedefinePlan(s);
    return { plan, script: selectRedefineScript(s, plan) };
  }, [forest, rows, idByFile, problemsById, redefineValidate, target]);
  const [copied, setCopied] = useState('');
  const fileName = redefineScriptName({ forest });
  // Opened below the cards, often below the fold: brought into view and focused, so the click
  // visibly does something and the keyboard is where the script is.
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'start' });
    panel.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section
      ref={panel}
      id="redefine-script"
      className="card script-panel"
      aria-labelledby="script-title"
      tabIndex={-1}
    >
      <div className="card-title">
        <h3 id="script-title">Redefine script</h3>
        <button
          type="button"
          className="button small"
          onClick={() => download(fileName, script, 'text/x-shellscript')}
        >
          Download <Name text={fileName} />
        </button>
        <button
          type="button"
          className="button small"
          onClick={() =>
            void navigator.clipboard.writeText(script).then(
              () => setCopied('Copied'),
              (e: Error) => setCopied(`Copy failed: ${e.message}`),
            )
          }
        >
          Copy
        </button>
        <span className="toast" role="status">
          {copied}
        </span>
      </div>
      <p className="note">
        Redefines {plural(plan.order.length, 'checkpoint')}; run it beside the files (the Export all
        zip holds both) as <code>sh {fileName} [-c URI] [--apply]</code> (without <code>-c</code>,{' '}
        <code>$LIBVIRT_DEFAULT_URI</code>). Without <code>--apply</code> it is a dry run: it checks
        the VM on the host (
        {redefineValidate ? 'running, as --redefine-validate needs' : 'shut off'},{' '}
        {target ? 'its uuid and ' : ''}each disk&apos;s image and bitmaps), prints the plan and
        changes nothing. With <code>--apply</code> it redefines, skipping what libvirt has already,
        and stops at the first checkpoint libvirt refuses; run it again to finish.
        {checking > 0 && ` ${plural(checking, 'file')} still being checked: the plan may change.`}
      </p>
      <LeftOutList plan={plan} links />
      <pre className="script" tabIndex={0} aria-label="Redefine script text">
        {script}
      </pre>
    </section>
  );
}
