import { useModalDialog } from '../app/use-modal-dialog.ts';
import { useMemo, useState } from 'react';
import type { Checkpoint, Problem } from '../../core/index.ts';
import {
  checkpointFileName,
  formatChanges,
  formatCheckpoint,
  summarizeChanges,
} from '../../core/index.ts';
import type { CheckpointDocument, ExportOptions } from '../../state/index.ts';
import {
  bytesOf,
  formatInWorker,
  formatOptionsOf,
  isOffPage,
  selectExportOptions,
  useEditor,
  useEditorStore,
} from '../../state/index.ts';
import { download } from './download.ts';
import './export.css';

const OPTIONS: { key: keyof ExportOptions; label: string; title: string }[] = [
  { key: 'includeDomain', label: 'domain', title: 'Leave unchecked for virsh --no-domain' },
  {
    key: 'includeSecurityInfo',
    label: 'security info',
    title: 'virsh --security-info: keep secrets such as VNC passwords',
  },
  {
    key: 'includeSize',
    label: 'size',
    title: 'virsh --size: each bitmap’s size, where known',
  },
];

/** What exporting in libvirt's format changes of this file, said before it is done. */
export function useFormatChanges(
  doc: CheckpointDocument,
  checkpoint: Checkpoint | undefined,
  /** The list a worker made, for a file too large to read on the page. */
  known?: string[],
) {
  const options = useEditor(selectExportOptions);
  return useMemo(
    () =>
      known ??
      (checkpoint ? summarizeChanges(formatChanges(doc.text, formatOptionsOf(options))) : []),
    [known, doc.text, checkpoint, options],
  );
}

/**
 * Export: either the file as it is, byte for byte, or libvirt's format (virsh
 * checkpoint-dumpxml, its flags as checkboxes) with what that changes listed first. A file with
 * errors goes as it is unless libvirt's format is asked for, and then only after the list.
 */
export function ExportControls({
  doc,
  checkpoint,
  problems,
  changes,
}: {
  doc: CheckpointDocument;
  checkpoint: Checkpoint | undefined;
  problems: readonly Problem[];
  /** What libvirt's format changes (useFormatChanges). */
  changes: readonly string[];
}) {
  const options = useEditor(selectExportOptions);
  const setOption = useEditor((s) => s.setExportOption);
  const markExported = useEditor((s) => s.markExported);
  const [status, setStatus] = useState('');
  const [confirming, setConfirming] = useState(false);
  const errors = problems.filter((p) => p.severity === 'error');
  const store = useEditorStore();
  // A large file's checkpoint is held here only in part (see InspectOutcome): a worker formats it.
  const formatted = async (): Promise<string> =>
    isOffPage(doc)
      ? ((await formatInWorker(store, doc.id)) ?? '')
      : checkpoint
        ? formatCheckpoint(checkpoint, formatOptionsOf(options))
        : '';
  const unreadable = checkpoint === undefined;
  // A file libvirt would refuse is exported as it is unless its libvirt format is chosen.
  const asItIsFirst = unreadable || errors.length > 0;

  const exportAsItIs = () => {
    download(doc.fileName, bytesOf(doc) as Uint8Array<ArrayBuffer>, 'application/xml');
    markExported(doc.id);
    setStatus(`Saved ${doc.fileName} as it is`);
  };
  const exportFormatted = async () => {
    if (!checkpoint) return;
    const text = await formatted();
    if (!text) return setStatus(`${doc.fileName} could not be formatted`);
    download(checkpointFileName(checkpoint), text, 'application/xml');
    markExported(doc.id);
    const changed = changes.length ? ` (${changes.length} changes listed)` : '';
    setStatus(`Saved ${checkpointFileName(checkpoint)} as libvirt formats it${changed}`);
  };
  const copy = () => {
    const text = asItIsFirst ? Promise.resolve(doc.text) : formatted();
    void text
      .then((t) => navigator.clipboard.writeText(t))
      .then(
        () => setStatus(asItIsFirst ? 'Copied the file as it is' : 'Copied'),
        (e: Error) => setStatus(`Copy failed: ${e.message}`),
      );
  };

  return (
    <div className="export-controls">
      {asItIsFirst ? (
        <>
          <button type="button" className="button primary" onClick={exportAsItIs}>
            Export as it is
          </button>
          <button
            type="button"
            className="button"
            disabled={unreadable}
            title={
              unreadable
                ? 'Fix the XML first: it cannot be read'
                : 'libvirt would refuse this file: see what its format would change first'
            }
            onClick={() => setConfirming(true)}
          >
            Export XML…
          </button>
        </>
      ) : (
        <>
          <button
            type="button"
            className="button primary"
            title="As virsh checkpoint-dumpxml prints it; what that changes is listed under Export"
            onClick={() => void exportFormatted()}
          >
            Export XML
          </button>
          <button
            type="button"
            className="button"
            title="The file byte for byte as it stands"
            onClick={exportAsItIs}
          >
            Export as it is
          </button>
        </>
      )}
      <button
        type="button"
        className="button"
        title={asItIsFirst ? 'The file as it is' : 'As virsh checkpoint-dumpxml prints it'}
        onClick={copy}
      >
        Copy XML
      </button>
      <span
        className="export-options"
        title="virsh checkpoint-dumpxml's options, for libvirt's format"
      >
        <span aria-hidden="true">Include:</span>
        {OPTIONS.map((o) => (
          <label key={o.key} className="checkbox" title={o.title}>
            <input
              type="checkbox"
              aria-label={`Include ${o.label}`}
              checked={options[o.key]}
              onChange={(e) => setOption(o.key, e.target.checked)}
            />
            {o.label}
          </label>
        ))}
      </span>
      <span className="toast" role="status">
        {status}
      </span>
      {confirming && (
        <ConfirmFormat
          fileName={doc.fileName}
          errors={errors.length}
          changes={changes}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void exportFormatted();
          }}
        />
      )}
    </div>
  );
}

/** Before libvirt's format of a file libvirt would refuse: its errors and what the format changes. */
function ConfirmFormat({
  fileName,
  errors,
  changes,
  onCancel,
  onConfirm,
}: {
  fileName: string;
  errors: number;
  changes: readonly string[];
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const dialog = useModalDialog();
  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby="confirm-format-title"
      onClose={onCancel}
      onCancel={onCancel}
    >
      <h2 id="confirm-format-title">Export as libvirt would format it</h2>
      <p>
        <bdi>{fileName}</bdi> has {errors === 1 ? 'an error' : `${errors} errors`} for which libvirt
        would refuse it. Its libvirt format is written from what can be read of it, and changes
        this:
      </p>
      <ul aria-label="What libvirt's format changes">
        {changes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="button" autoFocus onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button primary" onClick={onConfirm}>
          Export libvirt’s format
        </button>
      </div>
    </dialog>
  );
}

/** The list of what Export XML changes, shown in the page before anything is exported. */
export function FormatChangesCard({ changes }: { changes: readonly string[] }) {
  if (changes.length === 0) return null;
  return (
    <details className="card format-changes" open={changes.length <= 4}>
      <summary>
        Export XML (libvirt’s format) changes{' '}
        {changes.length === 1 ? '1 thing' : `${changes.length} things`} in this file
      </summary>
      <ul aria-label="What Export XML changes">
        {changes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <p className="note">Export as it is writes the file byte for byte.</p>
    </details>
  );
}
