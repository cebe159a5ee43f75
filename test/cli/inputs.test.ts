import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../require.ts';
import { addBitmap, createImage, haveQemuUtils, imageDir, imageInfo } from '../images/qemu-img.ts';
import type { VmDisk } from '../images/scenario.ts';
import { domainXml, writeChain } from '../images/scenario.ts';
import { runCli, runMain } from './run-cli.ts';

// The CLI reads what the page reads: folders walked through, VM definitions recognised by their
// <domain> root, data and logs counted once, collect.sh's folder and its bundles (issue 23).

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'vms');

/** A virtnbdbackup folder: checkpoints/, a vmconfig per backup, the data and the logs. */
function virtnbdbackupFolder(dir: string): void {
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  const disks: VmDisk[] = [{ target: 'vda', source: '/var/lib/libvirt/images/app01.qcow2' }];
  const names = ['virtnbdbackup.0', 'virtnbdbackup.1', 'virtnbdbackup.2'];
  writeChain(join(dir, 'checkpoints'), 'app01', disks, names);
  names.forEach((n, i) => {
    writeFileSync(join(dir, `vmconfig.${n}.xml`), `${domainXml('app01', disks).trim()}\n`);
    // As virtnbdbackup 1.9.15 names them: DISK.full.data, DISK.inc.CHECKPOINT.data.
    writeFileSync(join(dir, i ? `vda.inc.${n}.data` : 'vda.full.data'), 'QEMU data\n');
    writeFileSync(join(dir, `backup.${i ? 'inc' : 'full'}.${i}.log`), 'log\n');
  });
}

describe('a virtnbdbackup folder: checkpoints/ read, vmconfig files the VM, data and logs counted', () => {
  const d = imageDir('inputs-nbd');
  afterAll(d.remove);
  const folder = d.path('bk-app01');
  virtnbdbackupFolder(folder);

  it('tree prints the chain, says once what it skipped, exit 0', async () => {
    const r = await runCli(['tree', folder]);
    expect(r.out).toBe(
      'virtnbdbackup.0\n  |\n  +- virtnbdbackup.1\n      |\n      +- virtnbdbackup.2\n        \n',
    );
    expect(r.err).toBe('skipped 6 files that are not .xml or .json\n');
    expect(r.code).toBe(0);
  });

  it('validate validates the checkpoints and says the vmconfig files are VM definitions', async () => {
    const r = await runMain('validate', folder);
    expect(r.out.split('\n')).toEqual([
      ...[0, 1, 2].map(
        (i) =>
          `${join(folder, `vmconfig.virtnbdbackup.${i}.xml`)}: a VM definition (<domain>), not a checkpoint: not validated`,
      ),
      ...[0, 1, 2].map((i) => `${join(folder, 'checkpoints', `virtnbdbackup.${i}.xml`)}: valid`),
      '',
    ]);
    expect(r.code).toBe(0);
  });
});

describe('a folder of several VMs: one listing each, grouped as the page groups them (groupByVm)', () => {
  it('tree --leaves vms/: db01 (no <domain>, by its folder) and web01 (by uuid), headed', async () => {
    const r = await runMain('tree', '--leaves', join(FIXTURES, 'vms'));
    expect(r.out).toBe('VM db01:\ndb01.2\n\nVM web01:\nweb01.2\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('one VM prints exactly what virsh prints, no heading', async () => {
    const r = await runMain('tree', '--roots', join(FIXTURES, 'vms', 'web01'));
    expect(r).toEqual({ code: 0, out: 'web01.0\n', err: '' });
  });
});

if (!skipWithout(haveQemuUtils, "qemu-img (Debian's qemu-utils)")) {
  describe("collect.sh's folder and its bundles: domain.xml the target VM, images/*.json the images", () => {
    const d = imageDir('inputs-collected');
    afterAll(d.remove);
    const vda = createImage(d.path('web01-vda.qcow2'));
    addBitmap(vda, 'bk.1');
    addBitmap(vda, 'bk.2');
    const disks: VmDisk[] = [{ target: 'vda', source: vda }];
    /** DIR/NAME-checkpoints/ as scripts/collect.sh writes it, and its bundle beside it. */
    function collected(dir: string, vm: string): string {
      const folder = join(dir, `${vm}-checkpoints`);
      mkdirSync(join(folder, 'checkpoints'), { recursive: true });
      mkdirSync(join(folder, 'images'));
      writeFileSync(join(folder, 'domain.xml'), `${domainXml(vm, disks).trim()}\n`);
      writeChain(join(folder, 'checkpoints'), vm, disks, ['bk.1', 'bk.2']);
      writeFileSync(join(folder, 'images', 'vda.json'), imageInfo(vda));
      execFileSync('tar', ['-czf', `${vm}-checkpoints.tar.gz`, `${vm}-checkpoints`], { cwd: dir });
      return folder;
    }
    const folder = collected(d.dir, 'web01');
    const lines = (prefix: string) => [
      `${prefix}/images/vda.json:2: vda: image ${vda}, matched by path; evidence: qemu-img info of the image of the shut-off VM`,
      `${prefix}/checkpoints/bk.1.xml:1: bk.1: vda ok`,
      `${prefix}/checkpoints/bk.2.xml:1: bk.2: vda ok`,
      'vda: incremental since bk.2',
      'web01: incremental since bk.2',
      '',
    ];

    it('check web01-checkpoints/ reads domain.xml as the target VM, not as a broken checkpoint', async () => {
      const r = await runMain('check', folder);
      expect(r.err).toBe('');
      expect(r.out.split('\n')).toEqual(lines(folder));
      expect(r.code).toBe(0);
      // The same as spelled out.
      const spelled = await runMain(
        'check',
        '--target-vm',
        join(folder, 'domain.xml'),
        join(folder, 'checkpoints'),
        join(folder, 'images'),
      );
      expect(spelled.out).toBe(r.out);
    });

    it('check web01-checkpoints.tar.gz opens the bundle as its folder: files named ARCHIVE/PATH', async () => {
      const bundle = d.path('web01-checkpoints.tar.gz');
      const r = await runCli(['check', bundle]);
      expect(r.err).toBe('');
      expect(r.out.split('\n')).toEqual(lines(`${bundle}/web01-checkpoints`));
      expect(r.code).toBe(0);
    });

    it('.tgz, .tar and .zip as well', async () => {
      const tgz = d.path('web01-checkpoints.tgz');
      cpSync(d.path('web01-checkpoints.tar.gz'), tgz);
      const tar = d.path('web01-checkpoints.tar');
      execFileSync('tar', ['-cf', tar, 'web01-checkpoints'], { cwd: d.dir });
      const zip = d.path('web01-checkpoints.zip');
      const entry = (p: string) => new Uint8Array(readFileSync(join(d.dir, p)));
      const paths = [
        'web01-checkpoints/domain.xml',
        'web01-checkpoints/checkpoints/bk.1.xml',
        'web01-checkpoints/checkpoints/bk.2.xml',
        'web01-checkpoints/images/vda.json',
      ];
      writeFileSync(zip, zipSync(Object.fromEntries(paths.map((p) => [p, entry(p)]))));
      for (const bundle of [tgz, tar, zip]) {
        const r = await runMain('check', bundle);
        expect(r.out.split('\n')).toEqual(lines(`${bundle}/web01-checkpoints`));
        expect(r.code).toBe(0);
      }
    });

    it('check . where collect.sh ran (the folder and its bundle): each file read once, as the page opens it', async () => {
      // ran/ holds web01-checkpoints/ and web01-checkpoints.tar.gz, as collect.sh leaves them.
      const ran = d.path('ran');
      mkdirSync(ran);
      const folder = collected(ran, 'web01');
      const r = await runMain('check', ran);
      expect(r.out.split('\n')).toEqual(lines(folder));
      const bundle = join(ran, 'web01-checkpoints.tar.gz');
      const repeats = [
        'checkpoints/bk.1.xml',
        'checkpoints/bk.2.xml',
        'domain.xml',
        'images/vda.json',
      ];
      expect(r.err.split('\n').filter((l) => l.includes('already read'))).toEqual(
        repeats.map(
          (p) =>
            `skipped ${bundle}/web01-checkpoints/${p}: already read: the same file, byte for byte, as ${join(folder, p)}`,
        ),
      );
      expect(r.err).not.toContain('defined twice');
      expect(r.code).toBe(0);
      const json = JSON.parse((await runMain('check', '--json', ran)).out) as {
        repeated: { path: string; sameAs: string }[];
        vms: unknown[];
      };
      expect(json.vms).toHaveLength(1);
      expect(json.repeated).toHaveLength(4);
      const tree = await runMain('tree', ran);
      expect(tree.out).toBe('bk.1\n  |\n  +- bk.2\n    \n');
      expect(tree.code).toBe(0);
    });

    it('validate . where collect.sh ran: each file validated once, the repeats said, exit 0', async () => {
      const ran = d.path('ran-validate');
      mkdirSync(ran);
      const folder = collected(ran, 'web01');
      const bundle = join(ran, 'web01-checkpoints.tar.gz');
      const r = await runMain('validate', ran);
      expect(r.out.split('\n').filter((l) => l.endsWith(': valid'))).toEqual([
        `${join(folder, 'checkpoints', 'bk.1.xml')}: valid`,
        `${join(folder, 'checkpoints', 'bk.2.xml')}: valid`,
      ]);
      expect(r.out).not.toContain(bundle);
      expect(r.err.split('\n').filter((l) => l.includes('already read'))).toEqual(
        ['checkpoints/bk.1.xml', 'checkpoints/bk.2.xml', 'domain.xml', 'images/vda.json'].map(
          (p) =>
            `skipped ${bundle}/web01-checkpoints/${p}: already read: the same file, byte for byte, as ${join(folder, p)}`,
        ),
      );
      expect(r.code).toBe(0);
    });

    it('a fleet/ folder of hosts: one block per VM, headed with its host', async () => {
      const fleet = d.path('fleet');
      for (const host of ['kvm1', 'kvm2']) {
        mkdirSync(join(fleet, host), { recursive: true });
        const vm = host === 'kvm1' ? 'web01' : 'db01';
        // The playbook fetches the bundles alone.
        rmSync(collected(join(fleet, host), vm), { recursive: true });
      }
      const r = await runMain('check', fleet);
      const headings = r.out.split('\n').filter((l) => l.startsWith('VM '));
      expect(headings).toEqual(['VM web01 on kvm1:', 'VM db01 on kvm2:']);
      // The VM's line names its host as the heading does: greppable across hosts.
      expect(r.out).toContain('\nweb01 on kvm1: incremental since bk.2\n');
      expect(r.out).toContain('\ndb01 on kvm2: incremental since bk.2\n');
      expect(r.code).toBe(0);
    });

    it('the same VM (name and uuid) on two hosts is two VMs, each headed with its host', async () => {
      const fleet = d.path('fleet-same');
      for (const host of ['kvm1', 'kvm2']) {
        mkdirSync(join(fleet, host), { recursive: true });
        rmSync(collected(join(fleet, host), 'web01'), { recursive: true });
      }
      const r = await runMain('check', fleet);
      const headings = r.out.split('\n').filter((l) => l.startsWith('VM '));
      expect(headings).toEqual(['VM web01 on kvm1:', 'VM web01 on kvm2:']);
      expect(r.err).not.toContain('already read');
      expect(r.code).toBe(0);
    });

    it('a bundle entry that climbs out is skipped, said with its archive: exit 1', async () => {
      const zip = d.path('bad-checkpoints.zip');
      writeFileSync(
        zip,
        zipSync({
          'x/../../etc/evil.xml': new TextEncoder().encode('<domaincheckpoint/>'),
          'x/checkpoints/bk.1.xml': new Uint8Array(
            readFileSync(join(folder, 'checkpoints/bk.1.xml')),
          ),
        }),
      );
      const r = await runMain('tree', zip);
      expect(r.out).toBe('bk.1\n\n');
      expect(r.err).toBe(
        `error: ${zip}: x/../../etc/evil.xml: path leaves the bundle (..), skipped\n`,
      );
      expect(r.code).toBe(1);
    });

    it('a FIFO named as a bundle in a folder is skipped by what it is, never opened (no block)', async () => {
      const dir = d.path('with-fifo');
      mkdirSync(dir);
      execFileSync('mkfifo', [join(dir, 'web01-checkpoints.tar.gz')]);
      const r = await runCli(['tree', dir], 10_000);
      expect(r.timedOut).toBe(false);
      expect(r.err).toBe(
        `error: ${join(dir, 'web01-checkpoints.tar.gz')}: not a regular file (FIFO), skipped\n`,
      );
      expect(r.code).toBe(1);
    });

    it('a file that is no bundle, named as one: exit 2 naming it', async () => {
      const fake = d.path('fake.tar.gz');
      writeFileSync(fake, 'not gzip');
      const r = await runMain('check', fake);
      expect(r.err).toBe(`error: ${fake}: not a gzip file: no gzip header\n`);
      expect(r.code).toBe(2);
    });
  });
}
