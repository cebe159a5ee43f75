import { useState } from 'react';
import type { Checkpoint } from '../../core/index.ts';
import { checkpointFileName, formatCheckpoint } from '../../core/index.ts';
import type { ExportOptions } from '../../state/index.ts';
import { formatOptionsOf, selectExportOptions, useEditor } from '../../state/index.ts';
import { download } from './download.ts';
import './export.css';

const OPTIONS: { key: keyof ExportOptions; label: string; title: string }[] = [
  { key: 'includeDomain', label: 'Include domain', title: 'Leave unchecked for virsh --no-domain' },
  {
    key: 'includeSecurityInfo',
    label: 'Include security info',
    title: 'virsh --security-info: keep secrets such as VNC passwords',
  },
  {
    key: 'includeSize',
    label: 'Include size',
    title: 'virsh --size: each bitmap’s size, where known',
  },
];

/** Export as virsh checkpoint-dumpxml would print it, with its flags as checkboxes. */
export function ExportControls({
  id,
  checkpoint,
}: {
  id: string;
  checkpoint: Checkpoint | undefined;
}) {
  const options = useEditor(selectExportOptions);
  const setOption = useEditor((s) => s.setExportOption);
  const markExported = useEditor((s) => s.markExported);
  const [status, setStatus] = useState('');
  const xml = () => (checkpoint ? formatCheckpoint(checkpoint, formatOptionsOf(options)) : '');
  const unreadable = checkpoint === undefined;

  return (
    <div className="export-controls">
      {OPTIONS.map((o) => (
        <label key={o.key} className="checkbox" title={o.title}>
          <input
            type="checkbox"
            checked={options[o.key]}
            onChange={(e) => setOption(o.key, e.target.checked)}
          />
          {o.label}
        </label>
      ))}
      <button
        type="button"
        className="button"
        disabled={unreadable}
        title={unreadable ? 'Fix the XML first: it cannot be read' : undefined}
        onClick={() => {
          void navigator.clipboard.writeText(xml()).then(
            () => setStatus('Copied'),
            (e: Error) => setStatus(`Copy failed: ${e.message}`),
          );
        }}
      >
        Copy XML
      </button>
      <button
        type="button"
        className="button primary"
        disabled={unreadable}
        title={unreadable ? 'Fix the XML first: it cannot be read' : undefined}
        onClick={() => {
          if (!checkpoint) return;
          download(checkpointFileName(checkpoint), xml(), 'application/xml');
          markExported(id);
          setStatus(`Saved ${checkpointFileName(checkpoint)}`);
        }}
      >
        Export XML
      </button>
      <span className="toast" role="status">
        {status}
      </span>
    </div>
  );
}
