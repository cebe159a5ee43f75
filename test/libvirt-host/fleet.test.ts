import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckJson } from '../../src/cli/check-json.ts';
import { runMain } from '../cli/run-cli.ts';
import { bitmapNames, createImage, haveQemuUtils, imageDir, qemuImg } from '../images/qemu-img.ts';
import { skipWithout } from '../require.ts';
import { defineGuest, hostRunning, incrementalBackup, removeGuest, URI, virshOk } from './host.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const PLAYBOOK = join(ROOT, 'contrib', 'ansible', 'collect.yml');
const ANSIBLE = '/usr/bin/ansible-playbook';

if (
  !skipWithout(
    haveQemuUtils && hostRunning() && existsSync(ANSIBLE),
    "a libvirt host with QEMU (scripts/libvirt-host.sh start), qemu-utils and Debian's ansible-core",
  )
) {
  describe('a fleet through Ansible: contrib/ansible/collect.yml against the real libvirt host', () => {
    const work = imageDir('fleet-ansible');
    const guests: string[] = [];
    afterAll(() => {
      guests.forEach(removeGuest);
      work.remove();
    });

    /** A guest with its disks and checkpoints made by libvirt, running. */
    function guest(suffix: string, disks: string[], checkpoints: string[]) {
      const dir = join(work.dir, suffix);
      mkdirSync(dir);
      const name = `ckpt-fleet-${process.pid}-${suffix}`;
      guests.push(name);
      const sources = disks.map((target) => ({
        target,
        source: createImage(join(dir, `${target}.qcow2`)),
      }));
      defineGuest(dir, name, sources);
      virshOk('start', name);
      for (const cp of checkpoints) virshOk('checkpoint-create-as', name, cp);
      return { dir, name, disks, checkpoints, sources };
    }

    it('collects both VMs read-only into fleet/HOST/, and the JSON says what backup-begin says', async () => {
      // a: running, its checkpoints whole (QMP's live answer). b: shut off, bk.3's bitmap removed
      // from vdb with qemu-img (a broken chain: metadata without bitmap).
      const a = guest('a', ['vda'], ['bk.1', 'bk.2']);
      const b = guest('b', ['vda', 'vdb'], ['bk.1', 'bk.2', 'bk.3']);
      virshOk('destroy', b.name);
      const vdb = b.sources[1]?.source as string;
      qemuImg('bitmap', '--remove', '-f', 'qcow2', vdb, 'bk.3');
      const before = {
        a: virshOk('checkpoint-list', a.name, '--name'),
        b: virshOk('checkpoint-list', b.name, '--name'),
        vdb: bitmapNames(vdb).sort(),
      };

      const fleet = join(work.dir, 'fleet');
      const inventory = join(work.dir, 'inventory.ini');
      writeFileSync(
        inventory,
        `[libvirt_hosts]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`,
      );
      const vars = {
        libvirt_uri: URI,
        vms: [a.name, b.name],
        fleet_dir: fleet,
        checkpoint_editor: [process.execPath, join(ROOT, 'bin', 'checkpoint-editor.mjs')],
      };
      const tmp = join(work.dir, 'ansible-tmp');
      const run = spawnSync(ANSIBLE, ['-i', inventory, PLAYBOOK, '-e', JSON.stringify(vars)], {
        encoding: 'utf8',
        timeout: 280_000,
        env: {
          ...process.env,
          ANSIBLE_NOCOLOR: '1',
          ANSIBLE_LOCAL_TEMP: tmp,
          ANSIBLE_REMOTE_TEMP: tmp,
          ANSIBLE_RETRY_FILES_ENABLED: '0',
        },
      });
      if (run.status !== 0) throw new Error(`ansible-playbook: ${run.stdout}\n${run.stderr}`);
      expect(run.stdout).toMatch(/localhost\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0/);

      // Both bundles, and nothing else, under fleet/localhost/.
      expect(readdirSync(join(fleet, 'localhost')).sort()).toEqual([
        `${a.name}-checkpoints.tar.gz`,
        `${b.name}-checkpoints.tar.gz`,
      ]);
      const doc = JSON.parse(readFileSync(`${fleet}-check.json`, 'utf8')) as CheckJson;
      expect(doc.version).toBe(1);
      expect(doc.vms.map((v) => [v.host, v.name])).toEqual([
        ['localhost', a.name],
        ['localhost', b.name],
      ]);
      const [va, vb] = doc.vms as [CheckJson['vms'][0], CheckJson['vms'][0]];
      expect(va.disks.map((d) => d.evidence)).toEqual(['qmp']);
      expect(vb.disks.map((d) => d.evidence)).toEqual(['qemu-img', 'qemu-img']);
      expect(va.readiness.line).toBe(`${a.name}: incremental since bk.2`);
      expect(vb.readiness.line).toBe(`${b.name}: incremental since bk.2`);
      expect(vb.problems.map((p) => p.code)).toContain('bitmap-metadata-only');
      expect([va.status, vb.status, doc.status]).toEqual([0, 1, 1]);

      // check --connect --json on one VM: the same document, the same answer.
      const one = await runMain('check', '--connect', URI, '--json', a.name);
      const single = JSON.parse(one.out) as CheckJson;
      expect(single.vms.map((v) => [v.name, v.readiness.line])).toEqual([
        [a.name, va.readiness.line],
      ]);
      expect(one.code).toBe(0);

      // Read-only: libvirt's checkpoints, the images' bitmaps and the VMs' states are as they were.
      expect(virshOk('checkpoint-list', a.name, '--name')).toBe(before.a);
      expect(virshOk('checkpoint-list', b.name, '--name')).toBe(before.b);
      expect(bitmapNames(vdb).sort()).toEqual(before.vdb);
      expect(virshOk('domstate', a.name).trim()).toBe('running');
      expect(virshOk('domstate', b.name).trim()).toBe('shut off');

      // libvirt's answer, checkpoint by checkpoint and disk by disk: backup-begin --incremental.
      virshOk('start', b.name);
      for (const [vm, g] of [
        [va, a],
        [vb, b],
      ] as const) {
        for (const cp of vm.checkpoints) {
          for (const cell of cp.verdicts) {
            const answer = await incrementalBackup(g.dir, g.name, cp.name as string, g.disks, [
              cell.disk,
            ]);
            expect(`${g.name} ${cp.name} ${cell.disk}: ${answer.ok ? 'accepted' : 'refused'}`).toBe(
              `${g.name} ${cp.name} ${cell.disk}: ${cell.verdict === 'ok' ? 'accepted' : 'refused'}`,
            );
          }
        }
        // The VM's line: the newest checkpoint libvirt takes for all its disks at once.
        const since = vm.readiness.since as string;
        expect((await incrementalBackup(g.dir, g.name, since, g.disks, g.disks)).ok).toBe(true);
      }
      expect(vb.checkpoints.map((c) => c.verdicts.map((v) => v.verdict).join(' '))).toEqual([
        'ok ok',
        'ok ok',
        'ok missing',
      ]);
    }, 300_000);
  });
}
