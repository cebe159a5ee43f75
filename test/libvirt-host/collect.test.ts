import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/core/index.ts';
import { runMain } from '../cli/run-cli.ts';
import { bitmapNames, createImage, haveQemuUtils, imageDir, qemuImg } from '../images/qemu-img.ts';
import { skipWithout } from '../require.ts';
import { defineGuest, hostRunning, incrementalBackup, removeGuest, URI, virshOk } from './host.ts';

const SCRIPT = resolve(import.meta.dirname, '..', '..', 'scripts', 'collect.sh');
const DISKS = ['vda', 'vdb'];
const CHECKPOINTS = ['bk.1', 'bk.2', 'bk.3'];

/** The readiness lines `check` ends with: one per disk, then the VM's. */
function readiness(out: string, vm: string): string[] {
  return out
    .split('\n')
    .filter(
      (l) =>
        [...DISKS, vm].some((d) => l.startsWith(`${d}: `) || l.startsWith(`${vm} on `)) &&
        !l.includes(': image '),
    );
}

/** A VM's line without the host `check --connect` names in it (`web01 on kvm7: …`). */
const withoutHost = (lines: string[], vm: string, host: string) =>
  lines.map((l) => l.replace(`${vm} on ${host}: `, `${vm}: `));

/** The checkpoint a readiness line names, or undefined for "full backup needed". */
const since = (line: string | undefined) =>
  /: incremental since (\S+)(?: \(≈ [^)]*\))?$/.exec(line ?? '')?.[1];

if (
  !skipWithout(
    haveQemuUtils && hostRunning(),
    'a libvirt host with QEMU (scripts/libvirt-host.sh start) and qemu-utils',
  )
) {
  describe('collect from a real libvirt host: the script, `collect` and `check --connect` against backup-begin', () => {
    const work = imageDir('collect-host');
    const guests: string[] = [];
    afterAll(() => {
      guests.forEach(removeGuest);
      work.remove();
    });

    /** A guest with two qcow2 disks and three checkpoints made by libvirt; its name needs quoting. */
    function guest(round: string) {
      const dir = join(work.dir, round);
      mkdirSync(dir);
      const name = `ckpt collect '${round}' ${process.pid}`;
      guests.push(name);
      const disks = DISKS.map((target) => ({
        target,
        source: createImage(join(dir, `${target} disk.qcow2`)),
      }));
      defineGuest(dir, name, disks);
      virshOk('start', name);
      for (const cp of CHECKPOINTS) virshOk('checkpoint-create-as', name, cp);
      return { dir, name, disks };
    }

    /** scripts/collect.sh as an operator runs it, with dash, in a folder of its own. */
    function runScript(dir: string, name: string) {
      const cwd = join(dir, 'script');
      mkdirSync(cwd);
      const r = spawnSync('dash', [SCRIPT, '-c', URI, name], { cwd, encoding: 'utf8' });
      return { ...r, cwd, folder: join(cwd, `${name}-checkpoints`) };
    }

    /** libvirt's own answer: the newest checkpoint an incremental backup of `disks` starts from. */
    async function newestAccepted(dir: string, name: string, disks: readonly string[]) {
      let newest: string | undefined;
      for (const cp of CHECKPOINTS)
        if ((await incrementalBackup(dir, name, cp, DISKS, disks)).ok) newest = cp;
      return newest;
    }

    it('a running VM: the script and `collect` ask QEMU; check --connect says what backup-begin does', async () => {
      const { dir, name } = guest('running');
      const script = runScript(dir, name);
      expect(script.stderr).toBe('');
      expect(script.status).toBe(0);
      expect(script.stdout.split('\n')).toEqual([
        `wrote ${name}-checkpoints/domain.xml (virsh dumpxml, the VM running)`,
        `wrote 3 checkpoint(s) in ${name}-checkpoints/checkpoints/ (virsh checkpoint-dumpxml)`,
        `wrote ${name}-checkpoints/images/qmp.json (QMP query-named-block-nodes, the VM running)`,
        `wrote ${name}-checkpoints.tar.gz: open it in the checkpoint editor`,
        '',
      ]);
      const bundle = await readBundle(
        new Uint8Array(readFileSync(join(script.cwd, `${name}-checkpoints.tar.gz`))),
        'tar.gz',
      );
      expect(bundle.ok && bundle.value.entries.map((e) => e.path).sort()).toEqual(
        [
          'checkpoints/bk.1.xml',
          'checkpoints/bk.2.xml',
          'checkpoints/bk.3.xml',
          'domain.xml',
          'images/qmp.json',
        ].map((p) => `${name}-checkpoints/${p}`),
      );
      expect(bundle.ok && bundle.value.skipped).toEqual([]);

      const cli = await runMain('collect', '--connect', URI, name, join(dir, 'cli'));
      expect(cli.code).toBe(0);
      expect(cli.out).toContain('(QMP query-named-block-nodes, the VM running)');
      for (const cp of CHECKPOINTS)
        expect(readFileSync(join(dir, 'cli', 'checkpoints', `${cp}.xml`), 'utf8')).toBe(
          readFileSync(join(script.folder, 'checkpoints', `${cp}.xml`), 'utf8'),
        );

      const check = await runMain('check', '--connect', URI, name);
      expect(check.err).toBe('');
      const lines = readiness(check.out, name);
      // check --connect names the host in the VM's line: qemu:///system's is `virsh hostname`.
      const host = virshOk('hostname').trim();
      // QMP counts what changed since the checkpoint: nothing, the guest has no OS.
      expect(lines).toEqual([
        'vda: incremental since bk.3 (≈ 0 B changed)',
        'vdb: incremental since bk.3 (≈ 0 B changed)',
        `${name} on ${host}: incremental since bk.3`,
      ]);
      expect(check.code).toBe(0);
      // What the script's folder says, read by `check` as an operator would, is the same.
      const folder = await runMain(
        'check',
        '--target-vm',
        join(script.folder, 'domain.xml'),
        join(script.folder, 'checkpoints'),
        join(script.folder, 'images'),
      );
      expect(readiness(folder.out, name)).toEqual(withoutHost(lines, name, host));
      // libvirt's answer.
      expect(await newestAccepted(dir, name, ['vda'])).toBe(since(lines[0]));
      expect(await newestAccepted(dir, name, ['vdb'])).toBe(since(lines[1]));
      expect(await newestAccepted(dir, name, DISKS)).toBe(since(lines[2]));
    }, 300_000);

    it('a shut-off VM with a bitmap removed: qemu-img -U of each disk; check --connect says what backup-begin does', async () => {
      const { dir, name, disks } = guest('shut off');
      virshOk('destroy', name);
      const vdb = disks[1]?.source as string;
      // The fault an operator meets: bk.3's bitmap gone from vdb (so vdb can only start from bk.2).
      qemuImg('bitmap', '--remove', '-f', 'qcow2', vdb, 'bk.3');
      expect(bitmapNames(vdb).sort()).toEqual(['bk.1', 'bk.2']);

      const script = runScript(dir, name);
      expect(script.stderr).toBe('');
      expect(script.status).toBe(0);
      expect(script.stdout.split('\n')).toEqual([
        `wrote ${name}-checkpoints/domain.xml (virsh dumpxml, the VM shut off)`,
        `wrote 3 checkpoint(s) in ${name}-checkpoints/checkpoints/ (virsh checkpoint-dumpxml)`,
        ...disks.map(
          (d) =>
            `wrote ${name}-checkpoints/images/${d.target}.json (qemu-img info -f qcow2 of ${d.source})`,
        ),
        `wrote ${name}-checkpoints.tar.gz: open it in the checkpoint editor`,
        '',
      ]);
      const cli = await runMain('collect', '--connect', URI, name, join(dir, 'cli'));
      expect(cli.code).toBe(0);
      for (const d of DISKS)
        expect(readFileSync(join(dir, 'cli', 'images', `${d}.json`), 'utf8')).toBe(
          readFileSync(join(script.folder, 'images', `${d}.json`), 'utf8'),
        );

      const check = await runMain('check', '--connect', URI, name);
      const lines = readiness(check.out, name);
      expect(lines).toEqual([
        'vda: incremental since bk.3',
        'vdb: incremental since bk.2',
        `${name} on ${virshOk('hostname').trim()}: incremental since bk.2`,
      ]);
      expect(check.out).toContain(
        `${name}-checkpoints/checkpoints/bk.3.xml:1: bk.3: vda ok, vdb missing`,
      );
      // bk.3's metadata without its bitmap on vdb is an error, though vdb can start from bk.2.
      expect(check.code).toBe(1);
      // Nothing on the host changed: the images hold what they held.
      expect(bitmapNames(vdb).sort()).toEqual(['bk.1', 'bk.2']);
      expect(virshOk('domstate', name).trim()).toBe('shut off');

      virshOk('start', name);
      expect(await newestAccepted(dir, name, ['vda'])).toBe(since(lines[0]));
      expect(await newestAccepted(dir, name, ['vdb'])).toBe(since(lines[1]));
      expect(await newestAccepted(dir, name, DISKS)).toBe(since(lines[2]));
      virshOk('destroy', name);
    }, 300_000);
  });
}
