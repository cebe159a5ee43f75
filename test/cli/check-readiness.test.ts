import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VmDisk } from '../images/scenario.ts';
import { checkpointXml, domainXml, qcow2Info } from '../images/scenario.ts';
import { runMain } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'check-readiness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const IMG = '/var/lib/libvirt/images';
const DISKS: VmDisk[] = [
  { target: 'vda', source: `${IMG}/web01-vda.qcow2` },
  { target: 'vdb', source: `${IMG}/web01-vdb.qcow2` },
];
const NAMES = ['bk.1', 'bk.2'];

/** qemu-img info --output=json of one image (an array: --backing-chain), as qemu-img writes it. */
function info(chain: { file: string; backing?: string; bitmaps?: string[]; off?: string[] }[]) {
  return JSON.stringify(
    chain.map((l) =>
      qcow2Info(
        l.file,
        (l.bitmaps ?? []).map((name) => ({ name, flags: l.off?.includes(name) ? [] : ['auto'] })),
        l.backing ? { 'backing-filename': l.backing, 'full-backing-filename': l.backing } : {},
      ),
    ),
    null,
    2,
  );
}

function folder(name: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

function writeCheckpoints(d: string, disks = DISKS) {
  NAMES.forEach((n, i) =>
    writeFileSync(
      join(d, `${n}.xml`),
      checkpointXml(
        'web01',
        disks,
        n,
        i + 1,
        NAMES[i - 1],
        disks.map((x) => x.target),
      ),
    ),
  );
}

describe('check: readiness that is never a confident wrong yes (issue 22)', () => {
  it('an overlay under both disks, no VM definition: unknown, exit 1; with it, libvirt’s answer', async () => {
    const d = folder('overlay');
    writeCheckpoints(d);
    const images = DISKS.map((disk) => {
      const file = join(dir, `${disk.target}.json`);
      const overlay = disk.source.replace('.qcow2', '.ov');
      writeFileSync(
        file,
        info([
          { file: overlay, backing: disk.source },
          { file: disk.source, bitmaps: NAMES },
        ]),
      );
      return file;
    });
    const r = await runMain('check', '--images', images[0]!, '--images', images[1]!, d);
    const lines = r.out.trim().split('\n');
    expect(lines.slice(-3)).toEqual([
      "vda: unknown: load the VM's definition: web01-vda.ov lies above web01-vda.qcow2 in the loaded images, so web01-vda.qcow2 may not be vda's top image",
      "vdb: unknown: load the VM's definition: web01-vdb.ov lies above web01-vdb.qcow2 in the loaded images, so web01-vdb.qcow2 may not be vdb's top image",
      'web01: unknown on vda and vdb',
    ]);
    expect(r.out).not.toContain('incremental since');
    expect(r.code).toBe(1);

    const vm = join(folder('overlay-vm'), 'web01.xml');
    const overlays = DISKS.map((x) => ({ ...x, source: x.source.replace('.qcow2', '.ov') }));
    writeFileSync(vm, domainXml('web01', overlays));
    const withVm = await runMain(
      'check',
      '--target-vm',
      vm,
      '--images',
      images[0]!,
      '--images',
      images[1]!,
      d,
    );
    expect(withVm.out.trim().split('\n').slice(-1)).toEqual([
      'web01: full backup needed: vda and vdb have no valid bitmap',
    ]);
    expect(withVm.code).toBe(1);
  });

  it('--backup-xml: the <domainbackup> alone on stdout, what check says on stderr', async () => {
    const d = folder('per-disk');
    writeCheckpoints(d);
    writeFileSync(
      join(d, 'images.json'),
      info([{ file: DISKS[0]!.source, bitmaps: NAMES, off: ['bk.1'] }]) +
        info([{ file: DISKS[1]!.source, bitmaps: NAMES, off: ['bk.2'] }]),
    );
    const r = await runMain('check', '--backup-xml', d);
    expect(r.err.trim().split('\n').slice(-3)).toEqual([
      'vda: incremental since bk.2',
      'vdb: incremental since bk.1',
      'web01: one backup job: vda incremental since bk.2, vdb since bk.1',
    ]);
    expect(r.out.replace(/\.\d{10}'/g, ".NOW'")).toBe(`<domainbackup mode='push'>
  <disks>
    <disk name='vda' backup='yes' type='file' backupmode='incremental' incremental='bk.2'>
      <target file='${IMG}/web01-vda.qcow2.NOW'/>
      <driver type='qcow2'/>
    </disk>
    <disk name='vdb' backup='yes' type='file' backupmode='incremental' incremental='bk.1'>
      <target file='${IMG}/web01-vdb.qcow2.NOW'/>
      <driver type='qcow2'/>
    </disk>
  </disks>
</domainbackup>
`);
    // Ready for one job, but vda's bk.1 and vdb's bk.2 are broken: an error finding, so exit 1
    // (issue 23: check exits 1 on any error).
    expect(r.err).toContain(': error: bitmap bk.1 is disabled in');
    expect(r.code).toBe(1);
    // The same job where nothing is broken: vda came after bk.1, vdb takes no part in bk.2.
    const clean = folder('per-disk-clean');
    const [vda, vdb] = DISKS as [VmDisk, VmDisk];
    writeFileSync(
      join(clean, 'bk.1.xml'),
      checkpointXml('web01', [vdb], 'bk.1', 1, undefined, ['vdb']),
    );
    writeFileSync(
      join(clean, 'bk.2.xml'),
      checkpointXml('web01', DISKS, 'bk.2', 2, 'bk.1', ['vda']),
    );
    writeFileSync(
      join(clean, 'images.json'),
      info([{ file: vda.source, bitmaps: ['bk.2'] }]) +
        info([{ file: vdb.source, bitmaps: ['bk.1'] }]),
    );
    const ok = await runMain('check', '--backup-xml', clean);
    expect(ok.err.trim().split('\n').slice(-1)).toEqual([
      'web01: one backup job: vda incremental since bk.2, vdb since bk.1',
    ]);
    expect(ok.out.replace(/\.\d{10}'/g, '')).toBe(r.out.replace(/\.\d{10}'/g, ''));
    expect(ok.code).toBe(0);
  });

  it('a collected folder whose checkpoints/ is empty, the XML from a backup folder beside it: redefine', async () => {
    const collected = folder('web01-checkpoints');
    mkdirSync(join(collected, 'checkpoints'));
    mkdirSync(join(collected, 'images'));
    writeFileSync(join(collected, 'domain.xml'), domainXml('web01', DISKS));
    DISKS.forEach((disk) =>
      writeFileSync(
        join(collected, 'images', `${disk.target}.json`),
        info([{ file: disk.source, bitmaps: NAMES }]),
      ),
    );
    const backup = folder('backup-checkpoints');
    writeCheckpoints(backup);
    const r = await runMain('check', collected, backup);
    const lines = r.out.trim().split('\n');
    expect(lines.filter((l) => l.includes('bitmap without checkpoint'))).toEqual([]);
    expect(lines.slice(-3)).toEqual([
      'vda: once the checkpoints are redefined, incremental since bk.2',
      'vdb: once the checkpoints are redefined, incremental since bk.2',
      'web01: redefine these checkpoints (the redefine script): libvirt knows none of bk.1 and bk.2, whose bitmaps are in the images',
    ]);
    expect(r.code).toBe(1);
    // The same folder with its checkpoints in checkpoints/: libvirt knows them.
    writeCheckpoints(join(collected, 'checkpoints'));
    const known = await runMain('check', collected);
    expect(known.out.trim().split('\n').slice(-1)).toEqual(['web01: incremental since bk.2']);
    expect(known.code).toBe(0);
  });
});
