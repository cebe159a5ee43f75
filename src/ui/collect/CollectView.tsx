// The very file the repository ships as scripts/collect.sh: the page shows what is tested.
import COLLECT_SCRIPT from '../../../scripts/collect.sh?raw';
import { CopyButton } from '../app/CopyButton.tsx';
import { download } from '../export/download.ts';
import './collect.css';

/**
 * Collect from a host: the script that gathers, on the libvirt host, what the editor needs about a
 * VM — its definition, its checkpoints and its disks' bitmaps — into one .tar.gz to open here.
 */
export function CollectView() {
  return (
    <section className="collect-view" aria-labelledby="collect-title">
      <h2 id="collect-title">Collect from a host</h2>
      <p>
        Run this script on the libvirt host, as a user that may run <code>virsh</code> (root for{' '}
        <code>qemu:///system</code>), with the VM’s name: <code>sh collect.sh web01</code> (or{' '}
        <code>sh collect.sh -c URI web01</code>). It needs only <code>virsh</code>,{' '}
        <code>qemu-img</code>, <code>tar</code> and coreutils, only reads (it changes nothing on the
        host), and says what it wrote: a folder <code>web01-checkpoints/</code> and{' '}
        <code>web01-checkpoints.tar.gz</code>, each created anew (never over anything, never through
        a link); a run that fails removes what it wrote.
      </p>
      <ul>
        <li>
          <code>domain.xml</code>: <code>virsh dumpxml</code>, opened as the Target VM definition
        </li>
        <li>
          <code>checkpoints/NAME.xml</code>: <code>virsh checkpoint-dumpxml</code> of every
          checkpoint
        </li>
        <li>
          <code>images/TARGET.json</code>:{' '}
          <code>qemu-img info --output=json --backing-chain -U -f FORMAT</code> of each disk (FORMAT
          its <code>&lt;driver type&gt;</code>: qemu-img never guesses it from what the guest wrote)
          when the VM is shut off, or <code>images/qmp.json</code>: QEMU’s own{' '}
          <code>query-named-block-nodes</code> while it runs
        </li>
      </ul>
      <p>
        Then open <code>web01-checkpoints.tar.gz</code> here (Open files, or drop it on the page; a{' '}
        <code>.tar</code>, <code>.tgz</code> or <code>.zip</code> of the folder, or the folder
        itself, open the same): the checkpoints, the VM and the Bitmaps view with its Backup
        readiness. The command line does the same on the host:{' '}
        <code>checkpoint-editor collect DOMAIN DIR</code> and{' '}
        <code>checkpoint-editor check --connect qemu:///system DOMAIN</code>.
      </p>
      <div className="actions">
        <CopyButton text={COLLECT_SCRIPT} primary />
        <button
          type="button"
          className="button"
          onClick={() => download('collect.sh', COLLECT_SCRIPT, 'text/x-shellscript')}
        >
          Download collect.sh
        </button>
      </div>
      <textarea
        className="script"
        aria-label="Collect script"
        readOnly
        spellCheck={false}
        value={COLLECT_SCRIPT}
        rows={24}
      />
    </section>
  );
}
