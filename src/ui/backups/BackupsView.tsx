import type { BackupDataFile, DiskBackup } from '../../core/index.ts';
import { useEditor } from '../../state/index.ts';
import { useBackupFolder } from './use-backup-folder.ts';
import './backups.css';

const LEVEL = { full: 'full', inc: 'incremental' } as const;

/** What a backup without a checkpoint of its own is. */
const OTHER = {
  copy: 'a copy backup',
  diff: 'a differential backup',
  inc: 'the changes since the chain’s first checkpoint, taken with the VM shut off',
  full: 'a full backup',
} as const;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** A file name that wraps after its dots (`vda.inc.` / `virtnbdbackup.1.data`), never inside a word. */
function FileName({ name }: { name: string }) {
  const parts = name.split('.');
  return (
    <code>
      {parts.map((p, i) => (
        <span key={i}>
          {p}
          {i < parts.length - 1 ? '.' : ''}
          {i < parts.length - 1 && <wbr />}
        </span>
      ))}
    </code>
  );
}

/** A disk's data file as its cell says it: there, partial, missing; after a gap, not restorable. */
function DiskCell({ d }: { d: DiskBackup }) {
  if (d.state === 'missing') {
    return (
      <td className="backup-missing">
        <span className="backup-state">no data file</span> <FileName name={d.expected} />
      </td>
    );
  }
  if (d.state === 'wrong') {
    return (
      <td className="backup-missing">
        <span className="backup-state">other data</span> <FileName name={baseName(d.file ?? '')} />
      </td>
    );
  }
  if (d.state === 'partial') {
    return (
      <td className="backup-missing">
        <span className="backup-state">partial</span> <FileName name={baseName(d.file ?? '')} />
      </td>
    );
  }
  return (
    <td className={d.restorable ? 'backup-present' : 'backup-broken'}>
      <span className="backup-state">
        {d.restorable ? 'in the folder' : 'chain broken before it'}
      </span>{' '}
      <FileName name={baseName(d.file ?? '')} />
      {d.header?.compressed ? <span className="backup-lz4"> (lz4)</span> : null}
    </td>
  );
}

function OtherBackup({ f }: { f: BackupDataFile }) {
  return (
    <li>
      <code>{baseName(f.path)}</code>: {OTHER[f.level]} of {f.disk}
      {f.partial ? ' (partial)' : ''}, no checkpoint of its own
    </li>
  );
}

/**
 * The Backups view: for each checkpoint of the VM on screen, whether virtnbdbackup's data file of
 * each disk is in the folder (the full one for the chain's root, `DISK.inc.NAME.data` for the
 * others), and what breaks the chain.
 */
export function BackupsView() {
  const folder = useBackupFolder();
  const idByFile = useEditor((s) => s.idByFile);
  const openInEditor = useEditor((s) => s.openInEditor);
  if (!folder) {
    return (
      <p className="pane-note">
        No virtnbdbackup data file (<code>vda.full.data</code>, <code>vda.inc.NAME.data</code>) was
        opened with this VM’s checkpoints: open the backup folder to see its backups here.
      </p>
    );
  }
  const { checkpoints, disks, problems, others, notes } = folder;
  const logs = notes.filter((n) => n.kind === 'log').length;
  return (
    <section className="backups-view" aria-labelledby="backups-title">
      <h3 id="backups-title">Backups in the folder</h3>
      <p className="backups-note">
        virtnbdbackup’s data files, by their names: the full backup belongs to the chain’s first
        checkpoint, each incremental to the checkpoint it is named for.
        {logs > 0 ? ` ${logs} backup ${logs === 1 ? 'log' : 'logs'} beside them.` : ''}
      </p>
      {problems.length > 0 && (
        <ul className="backups-problems" aria-label="Backup chain problems">
          {problems.map((p) => (
            <li key={`${p.code}\u0000${p.message}`} className={p.severity}>
              {p.severity}: {p.message}
            </li>
          ))}
        </ul>
      )}
      <div className="backups-scroll">
        <table className="backups-table" aria-label="Backups by checkpoint and disk">
          <thead>
            <tr>
              <th scope="col">Checkpoint</th>
              <th scope="col">Backup</th>
              {disks.map((d) => (
                <th key={d} scope="col">
                  {d}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {checkpoints.map((c) => {
              const id = idByFile.get(c.file);
              return (
                <tr key={c.checkpoint}>
                  <th scope="row">
                    {id === undefined ? (
                      c.checkpoint
                    ) : (
                      <button type="button" className="link" onClick={() => openInEditor(id)}>
                        {c.checkpoint}
                      </button>
                    )}
                  </th>
                  <td>{LEVEL[c.level]}</td>
                  {disks.map((name) => {
                    const d = c.disks.find((x) => x.disk === name);
                    return d ? (
                      <DiskCell key={name} d={d} />
                    ) : (
                      <td key={name} className="backup-none">
                        no bitmap kept
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {others.length > 0 && (
        <ul className="backups-others" aria-label="Backups without a checkpoint">
          {others.map((f) => (
            <OtherBackup key={f.path} f={f} />
          ))}
        </ul>
      )}
    </section>
  );
}
