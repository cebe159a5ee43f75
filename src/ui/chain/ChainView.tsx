import type { ChangeEvent } from 'react';
import { useMemo, useState } from 'react';
import type { Problem, ZipRename } from '../../core/index.ts';
import { forestDomainName, safeFileName } from '../../core/index.ts';
import type { ExportPlan } from '../../state/index.ts';
import {
  planExportAll,
  redefineScriptName,
  zipExportPlan,
  loadTargetFile,
  selectActivities,
  selectCounts,
  selectDocumentOrder,
  nameLabels,
  selectCurrentVmChain,
  selectForest,
  selectIdByFile,
  selectProblemsById,
  selectRedefinePlan,
  selectRedefineScript,
  selectRedefineValidate,
  selectRows,
  selectTarget,
  selectTargetError,
  useEditor,
  useEditorStore,
} from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { download } from '../export/download.ts';
import { plural } from '../tree/checkpoint-facts.ts';
import { Message } from '../app/Message.tsx';
import { ChainChanges } from '../compare/ChainChanges.tsx';
import { HelpLink, MomentNote } from '../validation/ProblemParts.tsx';
import { ExportReview } from './ExportReview.tsx';
import { LeftOutList } from './LeftOutList.tsx';
import './chain.css';

/** Problems listed at first; the rest on request, so ten thousand never land in the page at once. */
const PROBLEMS_SHOWN = 200;
/** Renamed files listed at first after an export; the rest on request. */
const RENAMES_SHOWN = 100;

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
      {scriptShown && <ScriptPanel />}
      <ChainChanges />
      <ChainProblems problems={forest.problems} />
    </div>
  );
}

function RedefineCard({
  domain,
  scriptShown,
  setScriptShown,
}: {
  domain: string | undefined;
  scriptShown: boolean;
  setScriptShown: (shown: boolean) => void;
}) {
  const validate = useEditor(selectRedefineValidate);
  const setValidate = useEditor((s) => s.setRedefineValidate);
  const exporting = useEditor((s) => selectActivities(s).export !== undefined);
  const store = useEditorStore();
  const count = useEditor((s) => selectRows(s).length);
  const order = useEditor(selectDocumentOrder);
  const [said, setStatus] = useState<{
    text: string;
    zipName?: string;
    renamed: ZipRename[];
    /** The files it was about: once they change (a close, an open), it is said no more. */
    order: readonly string[];
  } | null>(null);
  const status = said && said.order === order ? said : null;
  const [plan, setPlan] = useState<ExportPlan | null>(null);

  // First what the zip will hold, shown; the zip only once the operator has seen it.
  const exportAll = async () => {
    setStatus(null);
    try {
      setPlan(await planExportAll(store));
    } catch (e) {
      setStatus({ text: `Export failed: ${(e as Error).message}`, renamed: [], order });
    }
  };
  const writeZip = async (chosen: ExportPlan) => {
    setPlan(null);
    try {
      const { zip, fileNames } = await zipExportPlan(store, chosen);
      const vms = chosen.scripts.length;
      // Several VMs: one folder each in the zip, each with its script.
      const zipName = safeFileName(
        vms > 1 ? `${vms}-vms-checkpoints.zip` : `${domain ?? 'checkpoints'}-checkpoints.zip`,
      );
      download(zipName, zip as Uint8Array<ArrayBuffer>, 'application/zip');
      const asIs = chosen.entries.filter((e) => e.how === 'as-is').length;
      const files = fileNames.length - vms;
      const scripts = vms > 1 ? `${vms} redefine scripts, one per VM,` : 'the redefine script';
      setStatus({
        text: `Saved ${plural(files, 'file')}${asIs ? ` (${asIs} as they are)` : ''} and ${scripts} in`,
        zipName,
        renamed: chosen.renamed,
        order: store.getState().documentOrder,
      });
    } catch (e) {
      setStatus({ text: `Export failed: ${(e as Error).message}`, renamed: [], order });
    }
  };

  return (
    <section className="card" aria-labelledby="redefine-title">
      <h3 id="redefine-title">Redefine and export</h3>
      <p className="note">
        libvirt links a checkpoint to its parent only if the parent was redefined first: the script
        runs <code>virsh checkpoint-create --redefine</code> parents first, each root with all below
        it, and leaves out what libvirt would refuse. Export all puts it in the zip beside the
        files.
      </p>
      <div className="actions">
        <button
          type="button"
          className="button"
          aria-expanded={scriptShown}
          aria-controls="redefine-script"
          disabled={count === 0}
          onClick={() => setScriptShown(!scriptShown)}
        >
          Redefine script
        </button>
        <label
          className="checkbox"
          title="libvirt checks each bitmap against the disk images; it needs the VM running (else: domain is not running), and the script checks that first"
        >
          <input
            type="checkbox"
            checked={validate}
            onChange={(e) => setValidate(e.target.checked)}
          />
          Add --redefine-validate (VM running)
        </label>
      </div>
      <div className="actions">
        <button
          type="button"
          className="button primary"
          disabled={count === 0 || exporting}
          title="Every file in one zip with the redefine script: each checkpoint libvirt would redefine as virsh checkpoint-dumpxml prints it, each file with errors as it is; what that changes is shown before the zip is written"
          onClick={() => void exportAll()}
        >
          Export all
        </button>
        <span className="toast" role="status">
          {status?.text}
          {status?.zipName !== undefined && (
            <>
              {' '}
              <Name text={status.zipName} />
            </>
          )}
        </span>
      </div>
      {status && status.renamed.length > 0 && <RenamedFiles renamed={status.renamed} />}
      {plan && (
        <ExportReview
          plan={plan}
          onCancel={() => setPlan(null)}
          onConfirm={() => void writeZip(plan)}
        />
      )}
    </section>
  );
}

/** Each file named otherwise in the zip than when opened, with why: nothing changes unsaid. */
function RenamedFiles({ renamed }: { renamed: readonly ZipRename[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? renamed : renamed.slice(0, RENAMES_SHOWN);
  return (
    <div className="renamed">
      <p className="note" id="renamed-title">
        Renamed in the zip, so that every file unpacks under its own name on Linux, macOS and
        Windows ({renamed.length.toLocaleString('en')}):
      </p>
      <ul aria-labelledby="renamed-title">
        {shown.map((r, i) => (
          <li key={i}>
            <Name text={r.from} /> → <Name text={r.to} /> <span className="why">({r.reason})</span>
          </li>
        ))}
      </ul>
      {!all && renamed.length > RENAMES_SHOWN && (
        <button type="button" className="button small" onClick={() => setAll(true)}>
          Show all {renamed.length.toLocaleString('en')}
        </button>
      )}
    </div>
  );
}

function ScriptPanel() {
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
  return (
    <section id="redefine-script" className="card script-panel" aria-labelledby="script-title">
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

function TargetCard() {
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

function ChainProblems({ problems }: { problems: readonly Problem[] }) {
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
