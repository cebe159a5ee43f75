import { useMemo } from 'react';
import type { Checkpoint, Problem } from '../../core/index.ts';
import { formatCheckpoint } from '../../core/index.ts';
import type { CheckpointDocument } from '../../state/index.ts';
import { formatOptionsOf, selectExportOptions, useEditor } from '../../state/index.ts';

/**
 * What Export writes of this file, read-only: libvirt's format with the export options as they
 * are checked, or, for a file libvirt would refuse, the file as it is.
 */
export function ExportPreview({
  doc,
  checkpoint,
  problems,
}: {
  doc: CheckpointDocument;
  checkpoint: Checkpoint | undefined;
  problems: readonly Problem[];
}) {
  const options = useEditor(selectExportOptions);
  const asItIs = checkpoint === undefined || problems.some((p) => p.severity === 'error');
  const text = useMemo(
    () =>
      asItIs || !checkpoint ? doc.text : formatCheckpoint(checkpoint, formatOptionsOf(options)),
    [asItIs, checkpoint, doc.text, options],
  );
  return (
    <div className="export-preview">
      <p className="note">
        {asItIs
          ? 'Export as it is writes this: the file byte for byte (libvirt would refuse it).'
          : `Export XML writes this: libvirt’s format${options.includeDomain ? '' : ', without <domain>'}${options.includeSecurityInfo ? '' : ', without security info'}${options.includeSize ? '' : ', without sizes'}.`}
      </p>
      <pre tabIndex={0} aria-label="Export preview text">
        {text}
      </pre>
    </div>
  );
}
