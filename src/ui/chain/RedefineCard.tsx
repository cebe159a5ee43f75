import { useState } from 'react';
import type { ZipRename } from '../../core/index.ts';
import { safeFileName } from '../../core/index.ts';
import type { ExportPlan } from '../../state/index.ts';
import {
  planExportAll,
  zipExportPlan,
  selectActivities,
  selectDocumentOrder,
  selectRows,
  selectRedefineValidate,
  useEditor,
  useEditorStore,
} from '../../state/index.ts';
import { Name } from '../app/Name.tsx';
import { download } from '../export/download.ts';
import { plural } from '../tree/checkpoint-facts.ts';
import { ExportReview } from './ExportReview.tsx';

/** Renamed files listed at first after an export; the rest on request. */
const RENAMES_SHOWN = 100;

export function RedefineCard({
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
