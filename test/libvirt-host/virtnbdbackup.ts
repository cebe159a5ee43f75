import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createImage, QEMU_IO } from '../images/qemu-img.ts';
import { defineGuest, removeGuest, URI, virshOk } from './host.ts';

/** Debian's virtnbdbackup (1.9.15 here): .ci/run installs it. */
export const VIRTNBDBACKUP = '/usr/bin/virtnbdbackup';
export const haveVirtnbdbackup = existsSync(VIRTNBDBACKUP);

/** The disks of the guest backed up, and their qdev paths (where the guest writes between backups). */
const DISKS = ['vda', 'vdb'];
const backend = (i: number) => `/machine/peripheral/virtio-disk${i}/virtio-backend`;

/** Writes `bytes` at `offset` of the running guest's disk, through its own block device. */
function guestWrite(name: string, disk: number, offset: string, bytes: string): void {
  virshOk(
    'qemu-monitor-command',
    name,
    '--hmp',
    `qemu-io -d ${backend(disk)} "write -P 0x5a ${offset} ${bytes}"`,
  );
}

function qemuIo(image: string, command: string): void {
  const r = spawnSync(QEMU_IO, ['-f', 'qcow2', '-c', command, image], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`qemu-io ${command} ${image}: ${r.stderr}`);
}

function virtnbdbackup(name: string, folder: string, ...args: string[]): void {
  const r = spawnSync(VIRTNBDBACKUP, ['-U', URI, '-d', name, '-o', folder, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0)
    throw new Error(
      `virtnbdbackup ${args.join(' ')} of ${name}: exit ${r.status}\n${r.stderr.slice(-2000)}`,
    );
}

/** A folder's files, `/`-separated from the folder, with their sizes, in name order. */
export function listing(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stats = statSync(path);
      if (stats.isDirectory()) walk(path);
      else out.push(`${relative(folder, path)} ${stats.size}`);
    }
  };
  walk(folder);
  return out;
}

/**
 * What an operator's virtnbdbackup chain is: a running guest (TCG, no OS, two blank qcow2 disks)
 * backed up by the real tool into `DIR/NAME`: `-l full`, then `-l inc` twice (the first
 * compressed, `-z`), the guest writing to its disks between them. The guest is removed after; the
 * folder stays, as virtnbdbackup wrote it. `offline`: then shut off, written to, and backed up
 * with `-l inc` once more (virtnbdbackup's offline incremental).
 */
export function backUpGuest(
  dir: string,
  name: string,
  options: { offline?: boolean } = {},
): string {
  const folder = join(dir, 'backup');
  mkdirSync(join(dir, 'images'), { recursive: true });
  const disks = DISKS.map((target) => ({
    target,
    source: createImage(join(dir, 'images', `${target}.qcow2`)),
  }));
  defineGuest(dir, name, disks);
  try {
    virshOk('start', name);
    guestWrite(name, 0, '0', '64k');
    virtnbdbackup(name, folder, '-l', 'full');
    guestWrite(name, 0, '128k', '64k');
    virtnbdbackup(name, folder, '-l', 'inc', '-z');
    guestWrite(name, 1, '256k', '64k');
    virtnbdbackup(name, folder, '-l', 'inc');
    if (options.offline) {
      // Shut off, written to, and backed up again with -l inc: virtnbdbackup's offline backup.
      virshOk('destroy', name);
      qemuIo(disks[0]?.source as string, 'write -P 0x5b 512k 64k');
      virtnbdbackup(name, folder, '-l', 'inc');
    }
  } finally {
    removeGuest(name);
  }
  return folder;
}
