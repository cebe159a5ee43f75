import { useId, useState } from 'react';
import { backupJob, EVIDENCE, safeFileName } from '../../core/index.ts';
import type { DiskState, WrittenScript } from '../../state/index.ts';
import {
  openImageFiles,
  selectDiskState,
  selectImageFiles,
  selectRepairScriptShown,
  SHOWN_LINES,
  useEditor,
  useEditorStore,
  writeRepairScript,
} from '../../state/index.ts';
import { CopyButton } from '../app/CopyButton.tsx';
import { Name } from '../app/Name.tsx';
import { ShowMore, useShownCount } from '../app/ShowMore.tsx';
import { download } from '../export/download.ts';
import { useRepairScript } from './useRepairScript.ts';
import './images.css';

/**
 * The disk images beside the checkpoints: `qemu-img info --output=json --backing-chain` (or QMP)
 * output, which image each disk is, whether the VM runs; then the Backup readiness each disk and
 * the VM get, and the repair script.
 */
export function DiskImages() {
  const store = useEditorStore();
  const files = useEditor(selectImageFiles);
  const state = useEditor(selectDiskState);
  const running = useEditor((s) => s.vmRunning);
  const setRunning = useEditor((s) => s.setVmRunning);
  const close = useEditor((s) => s.closeImageFiles);
  const [refused, setRefused] = useState<string[]>([]);
  const inputId = useId();

  return (
    <section className="card disk-images" aria-labelledby="disk-images-title">
      <h3 id="disk-images-title">Disk images</h3>
      <p className="note">
        What the bitmaps in the images say: run{' '}
        <code>qemu-img info --output=json --backing-chain IMAGE</code> for each disk (with{' '}
        <code>-U</code> while the VM runs), or{' '}
        <code>
          virsh qemu-monitor-command VM
          {' \'{"execute":"query-named-block-nodes","arguments":{"flat":true}}\''}
        </code>{' '}
        for the live view, and open the output (one file or several; .json files open with the
        checkpoints too).
      </p>
      <div className="actions">
        <label className="button" htmlFor={inputId}>
          Open qemu-img info
        </label>
        <input
          id={inputId}
          className="visually-hidden"
          type="file"
          accept=".json,application/json,text/plain"
          multiple
          aria-label="Open qemu-img info"
          onChange={(e) => {
            const chosen = [...(e.target.files ?? [])];
            e.target.value = '';
            void openImageFiles(
              store,
              chosen.map((file) => ({ path: file.name, file })),
            ).then((skipped) => setRefused(skipped.map((f) => `${f.fileName}: ${f.reason}`)));
          }}
        />
        <label className="checkbox">
          <input type="checkbox" checked={running} onChange={(e) => setRunning(e.target.checked)} />
          The VM is running (images read with -U)
        </label>
        {files.length > 0 && (
          <button type="button" className="button small" onClick={close}>
            Close image files
          </button>
        )}
      </div>
      {refused.length > 0 && (
        <ul className="refused" role="alert" aria-label="Image files not read">
          {refused.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <p className="note">
          Loaded:{' '}
          {files.map((f, i) => (
            <span key={f.fileName}>
              {i > 0 && ', '}
              <Name text={f.fileName} />
            </span>
          ))}
        </p>
      )}
      {state && <Matches state={state} />}
    </section>
  );
}

/** Which image each disk is, and the evidence its verdicts rest on; the operator may choose. */
function Matches({ state }: { state: DiskState }) {
  const choose = useEditor((s) => s.chooseImage);
  const files = useEditor(selectImageFiles);
  const images = [...new Set(files.flatMap((f) => f.info.layers.map((l) => l.filename)))];
  return (
    <table className="image-matches" aria-label="Images of the disks">
      <thead>
        <tr>
          <th scope="col">Disk</th>
          <th scope="col">Image</th>
          <th scope="col">Found by</th>
          <th scope="col">Evidence</th>
        </tr>
      </thead>
      <tbody>
        {state.report.disks.map((d) => (
          <tr key={d.disk.target}>
            <th scope="row">
              <Name text={d.disk.target} />
            </th>
            <td>
              <select
                aria-label={`Image for ${d.disk.target}`}
                title={d.layers[0]?.filename}
                value={d.layers[0]?.filename ?? ''}
                onChange={(e) => choose(d.disk.target, e.target.value || null)}
              >
                <option value="">no image</option>
                {images.map((name) => (
                  <option key={name} value={name}>
                    {imageLabel(name)}
                  </option>
                ))}
              </select>
              {d.layers.length > 1 && (
                <div className="note">
                  {d.layers.length} layers: {d.layers.map((l) => baseName(l.filename)).join(' → ')}
                </div>
              )}
            </td>
            <td>{d.match === 'none' ? '—' : d.match}</td>
            <td className="note">{d.evidence ? EVIDENCE[d.evidence] : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

/**
 * An image as the closed choice shows it: its file name first, then its folder (images of one VM
 * share a long folder, and a narrow column cut them all to that folder alike).
 */
function imageLabel(path: string): string {
  const name = baseName(path);
  return name === path ? path : `${name} (${path.slice(0, path.length - name.length)})`;
}

/** Whose a readiness line is: a disk's target for the disks' lines, else the VM's name. */
function nameOfLine(readiness: DiskState['readiness'], index: number): string {
  return readiness.disks[index]?.disk ?? readiness.vm.name;
}

/** `NAME: what`, the name cut with an ellipsis when long (the whole name in its tooltip). */
function ReadinessLine({ line, name }: { line: string; name: string }) {
  if (!line.startsWith(`${name}: `)) return <>{line}</>;
  return (
    <>
      <Name text={name} />: {line.slice(name.length + 2)}
    </>
  );
}

/** Per disk and for the VM: can the next incremental backup run, and if not, why. */
export function BackupReadiness() {
  const state = useEditor(selectDiskState);
  const { shown, more } = useShownCount();
  if (!state) return null;
  const { readiness } = state;
  return (
    <section className="card" role="region" aria-label="Backup readiness">
      <h3>Backup readiness</h3>
      <ul className="readiness">
        {readiness.lines.map((line, i) => (
          <li
            key={line}
            className={
              /: (incremental since |one backup job: )/.test(line)
                ? 'ok'
                : i === readiness.lines.length - 1
                  ? 'vm'
                  : 'not'
            }
          >
            <ReadinessLine line={line} name={nameOfLine(readiness, i)} />
          </li>
        ))}
      </ul>
      {state.imageProblems.length > 0 && (
        <>
          <h4>In the images</h4>
          <ul className="image-problems scrolled" aria-label="Problems in the images">
            {state.imageProblems.slice(0, shown).map((p, i) => (
              <li key={i} className={p.severity}>
                {p.file !== undefined && (
                  <>
                    <Name text={p.file} />
                    {p.line !== undefined && `:${p.line}`}:{' '}
                  </>
                )}
                {p.message}
              </li>
            ))}
          </ul>
          <ShowMore
            total={state.imageProblems.length}
            shown={shown}
            what="problems"
            onMore={more}
          />
        </>
      )}
      <BackupJob state={state} />
      <RepairScript />
    </section>
  );
}

/** Lines of `text`, counted up to `most`: a script may be 150 MB. */
function linesUpTo(text: string, most: number): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && lines < most; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function ScriptText({ label, text }: { label: string; text: string }) {
  return (
    <textarea
      className="script"
      aria-label={label}
      readOnly
      spellCheck={false}
      value={text}
      rows={linesUpTo(text, 23) + 1}
    />
  );
}

const MIB = 2 ** 20;
/**
 * A script larger than this is not offered for the clipboard: Chromium hands the text over on the
 * page's thread (136 MiB stopped it for 2.3 s); Download gives it without stopping the page.
 */
const COPY_MOST = 16 * MIB;

const canCopy = (script: WrittenScript) =>
  (typeof script.whole === 'string' ? script.whole.length : script.whole.size) <= COPY_MOST;

/**
 * The repair script as written: all of a small one; of a large one (written in a worker) its
 * first lines and its plan's, as a textarea of 142 MB would stop the page.
 */
function RepairScriptText({ script }: { script: WrittenScript | { failed: string } | undefined }) {
  if (!script) {
    return (
      <p id="repair-script" className="note" role="status">
        Writing the repair script…
      </p>
    );
  }
  if ('failed' in script) {
    return (
      <p id="repair-script" className="error" role="alert">
        {script.failed}
      </p>
    );
  }
  const { excerpt } = script;
  if (excerpt.head.length === excerpt.length) {
    return (
      <div id="repair-script">
        <ScriptText label="Repair script text" text={excerpt.head} />
      </div>
    );
  }
  const { plan } = excerpt;
  return (
    <div id="repair-script">
      <p className="note" role="status">
        The script has {excerpt.lines.toLocaleString('en')} lines (
        {(excerpt.length / MIB).toFixed(1)} MiB): shown are its first {SHOWN_LINES} lines
        {plan &&
          ` and the first ${SHOWN_LINES} lines of its plan, from line ${plan.line.toLocaleString('en')}`}
        .{' '}
        {canCopy(script)
          ? 'Copy and Download give all of it.'
          : 'Download gives all of it: it is too large for the clipboard.'}
      </p>
      <ScriptText label="Repair script text" text={excerpt.head} />
      {plan && <ScriptText label="Repair script plan" text={plan.text} />}
    </div>
  );
}

/** All of a written script, as the clipboard takes it (a Blob of a Blob copies nothing). */
const blobOf = (whole: string | Blob) => () => new Blob([whole], { type: 'text/plain' });

/**
 * The `<domainbackup>` for `virsh backup-begin --backupxml`, when the readiness is known: each
 * disk's backup beside its image as SOURCE.SECONDS, the name libvirt itself would give it.
 */
function BackupJob({ state }: { state: DiskState }) {
  const [now] = useState(() => Math.floor(Date.now() / 1000));
  const job = backupJob(state.report, state.readiness, { now });
  if (!job) return null;
  const vm = state.report.vm ?? 'VM';
  const fileName = safeFileName(`backup-${vm}.xml`);
  return (
    <div className="backup-job">
      <h4>Backup job</h4>
      <p className="note">
        <code>
          virsh backup-begin {vm} --backupxml {fileName}
        </code>
        {state.readiness.ready
          ? ' takes this backup: incremental where the readiness says so.'
          : ' takes this full backup.'}{' '}
        Each disk&apos;s backup goes beside its image (edit the <code>target</code> to put it
        elsewhere).
      </p>
      {job.leftOut.length > 0 && (
        <ul className="image-problems">
          {job.leftOut.map((l) => (
            <li key={l} className="warning">
              {l}
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <CopyButton text={job.xml} />
        <button
          type="button"
          className="button"
          onClick={() => download(fileName, job.xml, 'application/xml')}
        >
          Download <Name text={fileName} />
        </button>
      </div>
      <textarea
        className="script"
        aria-label="Backup XML"
        readOnly
        spellCheck={false}
        value={job.xml}
        rows={Math.min(16, job.xml.split('\n').length)}
      />
    </div>
  );
}

/** The commands that would repair what was found: shown, downloadable, never run here. */
function RepairScript() {
  const store = useEditorStore();
  const state = useEditor(selectDiskState);
  const shown = useEditor(selectRepairScriptShown);
  const setShown = useEditor((s) => s.showRepairScript);
  const script = useRepairScript(state, shown);
  if (!state) return null;
  const fileName = safeFileName(`repair-${state.report.vm ?? 'checkpoints'}.sh`);
  return (
    <div className="repair">
      <p className="note">
        Run it on the host as <code>sh {fileName} [-c URI] [--apply]</code>. Without{' '}
        <code>--apply</code> it is a dry run: it checks that the VM, its state, each disk&apos;s
        image and each bitmap and checkpoint are still as found here, prints the plan and changes
        nothing; if a check fails it says which. With <code>--apply</code> it acts; what is done
        already is skipped, so after a failure run it again to finish. Nothing is built from images
        of a running VM read with <code>qemu-img info -U</code> (stale).
      </p>
      <div className="actions">
        <button
          type="button"
          className="button"
          aria-expanded={shown}
          aria-controls="repair-script"
          onClick={() => setShown(!shown)}
        >
          Repair script
        </button>
        <button
          type="button"
          className="button"
          onClick={() =>
            void writeRepairScript(store, state).then(
              (written) => download(fileName, written.whole, 'text/x-shellscript'),
              // The failure is said where the script is shown.
              () => setShown(true),
            )
          }
        >
          Download <Name text={fileName} />
        </button>
        {shown && script && !('failed' in script) && canCopy(script) && (
          <CopyButton text={blobOf(script.whole)} label="Copy the repair script" />
        )}
      </div>
      {shown && <RepairScriptText script={script} />}
    </div>
  );
}
