import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The real libvirt host that scripts/libvirt-host.sh starts: libvirt's QEMU driver, as root. */
export const URI = 'qemu:///system';

export interface Run {
  ok: boolean;
  out: string;
  /** What virsh said after `error: `, first line first, all lines joined. */
  error: string;
}

const ENV = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', LIBVIRT_DEFAULT_URI: URI };

export function virsh(...args: string[]): Run {
  const r = spawnSync('virsh', ['-c', URI, ...args], {
    encoding: 'utf8',
    env: ENV,
    timeout: 60_000,
  });
  const error = (r.stderr ?? '')
    .split('\n')
    .filter((l) => l.startsWith('error: '))
    .map((l) => l.slice('error: '.length))
    .join(' / ');
  return { ok: r.status === 0, out: r.stdout ?? '', error: error || (r.error?.message ?? '') };
}

/** virsh that must work: a failure is the harness's, not a finding. */
export function virshOk(...args: string[]): string {
  const r = virsh(...args);
  if (!r.ok) throw new Error(`virsh ${args.join(' ')}: ${r.error}`);
  return r.out;
}

/** Whether libvirt's QEMU driver answers here (the host is running). */
export function hostRunning(): boolean {
  if (!existsSync('/usr/bin/virsh')) return false;
  const r = spawnSync('virsh', ['-c', URI, 'version'], {
    encoding: 'utf8',
    env: ENV,
    timeout: 10_000,
  });
  return r.status === 0 && /hypervisor: QEMU/.test(r.stdout ?? '');
}

export interface GuestDisk {
  target: string;
  source: string;
  format?: 'qcow2' | 'raw';
}

/** A guest with no OS: TCG, 64 MiB, one vCPU, no network, no display; only its disks. */
export function guestXml(name: string, disks: readonly GuestDisk[]): string {
  const diskXml = disks
    .map(
      (d) =>
        `    <disk type='file' device='disk'>
      <driver name='qemu' type='${d.format ?? 'qcow2'}'/>
      <source file='${d.source}'/>
      <target dev='${d.target}' bus='virtio'/>
    </disk>`,
    )
    .join('\n');
  return `<domain type='qemu'>
  <name>${name}</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
${diskXml}
    <memballoon model='none'/>
  </devices>
</domain>
`;
}

export function defineGuest(dir: string, name: string, disks: readonly GuestDisk[]): void {
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, guestXml(name, disks));
  virshOk('define', file);
}

/** Gone however it stands: destroyed if running, undefined with its checkpoints' metadata. */
export function removeGuest(name: string): void {
  virsh('destroy', name);
  virsh('undefine', name, '--checkpoints-metadata', '--snapshots-metadata');
}

/** Waits until no job runs on the domain (a backup ends in well under a second here). */
export async function waitForJob(name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const info = virsh('domjobinfo', name);
    if (!info.ok || /Job type:\s+None/.test(info.out)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  virsh('domjobabort', name);
  throw new Error(`a job on ${name} did not end within 60 s`);
}

let stores = 0;

/**
 * libvirt's own answer on an incremental backup from `checkpoint` of the `included` disks (the
 * others backup='no'): a push backup into `dir`, waited for when it starts.
 */
export async function incrementalBackup(
  dir: string,
  name: string,
  checkpoint: string,
  allDisks: readonly string[],
  included: readonly string[],
): Promise<Run> {
  const disks = allDisks
    .map((d) =>
      included.includes(d)
        ? `    <disk name='${d}' backup='yes' type='file'><driver type='qcow2'/><target file='${join(dir, `backup-${++stores}.qcow2`)}'/></disk>`
        : `    <disk name='${d}' backup='no'/>`,
    )
    .join('\n');
  const file = join(dir, `backup-${stores}-${checkpoint}.xml`);
  writeFileSync(
    file,
    `<domainbackup mode='push'>\n  <incremental>${checkpoint}</incremental>\n  <disks>\n${disks}\n  </disks>\n</domainbackup>\n`,
  );
  const r = virsh('backup-begin', name, file);
  if (r.ok) await waitForJob(name);
  return r;
}

/** A full backup of every disk that also makes checkpoint `checkpoint`: how an operator starts over. */
export async function fullBackupWithCheckpoint(
  dir: string,
  name: string,
  checkpoint: string,
  allDisks: readonly string[],
): Promise<Run> {
  const disks = allDisks
    .map(
      (d) =>
        `    <disk name='${d}' backup='yes' type='file'><driver type='qcow2'/><target file='${join(dir, `backup-${++stores}.qcow2`)}'/></disk>`,
    )
    .join('\n');
  const backup = join(dir, `full-${stores}.xml`);
  writeFileSync(
    backup,
    `<domainbackup mode='push'>\n  <disks>\n${disks}\n  </disks>\n</domainbackup>\n`,
  );
  const cp = join(dir, `full-${stores}-checkpoint.xml`);
  writeFileSync(cp, `<domaincheckpoint>\n  <name>${checkpoint}</name>\n</domaincheckpoint>\n`);
  const r = virsh('backup-begin', name, backup, cp);
  if (r.ok) await waitForJob(name);
  return r;
}
