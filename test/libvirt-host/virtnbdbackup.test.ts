import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForestEntry } from '../../src/core/index.ts';
import { mapBackups, parseCheckpoint } from '../../src/core/index.ts';
import { runCli } from '../cli/run-cli.ts';
import { haveQemuUtils, imageDir } from '../images/qemu-img.ts';
import { skipWithout } from '../require.ts';
import { hostRunning, URI } from './host.ts';
import { backUpGuest, haveVirtnbdbackup, listing } from './virtnbdbackup.ts';

/**
 * Issue 25.6 on the real host: a folder virtnbdbackup 1.9.15 wrote (a full and two incrementals of
 * a running guest), read by core and by the CLI; then with a data file taken away, as an operator
 * finds a folder copied in part. virtnbdrestore is the tool's own word on what it can restore.
 */
const NAMES = ['virtnbdbackup.0', 'virtnbdbackup.1', 'virtnbdbackup.2'];
const errors = (text: string) => text.split('\n').filter((l) => /\berror: /.test(l));

if (
  !skipWithout(
    haveQemuUtils && haveVirtnbdbackup && hostRunning(),
    'a libvirt host with QEMU (scripts/libvirt-host.sh start), qemu-utils and virtnbdbackup',
  )
) {
  describe('a virtnbdbackup folder from the real tool (issue 25.6)', () => {
    const work = imageDir('libvirt-nbd');
    let folder = '';
    beforeAll(() => {
      folder = backUpGuest(work.dir, `ckpt-nbd-${process.pid}-x`);
      console.log(`virtnbdbackup wrote (name, bytes):\n${listing(folder).join('\n')}`);
    }, 180_000);
    afterAll(() => work.remove());

    /**
     * The folder copied, less the files named: what an operator may find. Its name has no "full"
     * in it: virtnbdrestore 1.9.15 looks for the word in the data file's whole path.
     */
    function without(name: string, ...gone: string[]): string {
      const copy = join(work.dir, name);
      // virtnbdrestore orders the data files by their times: a copy keeps them.
      cpSync(folder, copy, { recursive: true, preserveTimestamps: true });
      for (const g of gone) rmSync(join(copy, g));
      return copy;
    }

    function restore(input: string, out: string) {
      const r = spawnSync('virtnbdrestore', ['-U', URI, '-i', input, '-o', join(work.dir, out)], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      return { status: r.status, said: `${r.stdout}${r.stderr}` };
    }

    it('writes what core reads by name: a data file per disk and backup, checkpoints/, logs', () => {
      const names = listing(folder).map((l) => l.slice(0, l.lastIndexOf(' ')));
      for (const disk of ['vda', 'vdb']) {
        expect(names).toContain(`${disk}.full.data`);
        expect(names).toContain(`${disk}.inc.virtnbdbackup.1.data`);
        expect(names).toContain(`${disk}.inc.virtnbdbackup.2.data`);
      }
      for (const n of NAMES) {
        expect(names).toContain(`checkpoints/${n}.xml`);
        expect(names).toContain(`vmconfig.${n}.xml`);
      }
      expect(names.filter((n) => /^backup\.(full|inc)\.\d+\.log$/.test(n))).toHaveLength(3);
      expect(names.some((n) => n.endsWith('.partial'))).toBe(false);
    });

    it('core maps the full to virtnbdbackup.0 and each incremental to its checkpoint, every disk present', () => {
      const entries: ForestEntry[] = NAMES.map((n) => {
        const file = join(folder, 'checkpoints', `${n}.xml`);
        const parsed = parseCheckpoint(readFileSync(file, 'utf8'));
        if (!parsed.ok) throw new Error(`${file}: ${parsed.problems[0]?.message}`);
        return { file, checkpoint: parsed.value };
      });
      const mapped = mapBackups(readdirSync(folder), entries);
      expect(mapped.problems).toEqual([]);
      expect(
        mapped.checkpoints.map(
          (c) =>
            `${c.checkpoint} ${c.level}: ${c.disks.map((d) => `${d.file} ${d.state} ${d.restorable}`).join(', ')}`,
        ),
      ).toEqual([
        'virtnbdbackup.0 full: vda.full.data present true, vdb.full.data present true',
        'virtnbdbackup.1 inc: vda.inc.virtnbdbackup.1.data present true, vdb.inc.virtnbdbackup.1.data present true',
        'virtnbdbackup.2 inc: vda.inc.virtnbdbackup.2.data present true, vdb.inc.virtnbdbackup.2.data present true',
      ]);
    });

    it('check and tree of the whole folder: each checkpoint backed up, no chain problem; virtnbdrestore restores it', async () => {
      const check = await runCli(['check', folder]);
      expect(check.out).toContain(
        'virtnbdbackup.0: backup full: vda vda.full.data, vdb vdb.full.data',
      );
      expect(check.out).toContain(
        'virtnbdbackup.2: backup inc: vda vda.inc.virtnbdbackup.2.data, vdb vdb.inc.virtnbdbackup.2.data',
      );
      // -z: each data file's header says it is compressed.
      expect(check.out).toContain(
        'virtnbdbackup.1: backup inc: vda vda.inc.virtnbdbackup.1.data (lz4), vdb vdb.inc.virtnbdbackup.1.data (lz4)',
      );
      // virtnbdbackup's qemu-img info (taken with --force-share) is not read as the images now.
      expect(check.out).toContain('note: 6 qemu-img info files of virtnbdbackup');
      expect(errors(check.out)).toEqual([]);
      const tree = await runCli(['tree', folder]);
      expect(tree.code).toBe(0);
      expect(errors(tree.err)).toEqual([]);
      expect(restore(folder, 'restored').status).toBe(0);
    });

    it('without vda.full.data: "incremental virtnbdbackup.1 has no full backup before it", as virtnbdrestore cannot find the base', async () => {
      const broken = without('base-gone', 'vda.full.data');
      const said =
        'error: incremental virtnbdbackup.1 has no full backup before it: disk vda has no vda.full.data (checkpoint virtnbdbackup.0)';
      const check = await runCli(['check', broken]);
      expect(check.code).toBe(1);
      expect(errors(check.out).map((l) => l.slice(l.indexOf('error: ')))).toEqual([said]);
      expect(check.out).toContain(
        'virtnbdbackup.2: backup inc: vda vda.inc.virtnbdbackup.2.data (chain broken before it), vdb vdb.inc.virtnbdbackup.2.data',
      );
      const tree = await runCli(['tree', broken]);
      expect(tree.code).toBe(1);
      expect(errors(tree.err)).toEqual([
        `error: ${join(broken, 'checkpoints', 'virtnbdbackup.0.xml')}:1: ${said.slice('error: '.length)}`,
      ]);
      // check --json says it too, with its code.
      const json = JSON.parse((await runCli(['check', '--json', broken])).out) as {
        vms: { problems: { code: string; message: string; file: string }[] }[];
      };
      expect(json.vms[0]?.problems.filter((p) => p.code.startsWith('backup-'))).toEqual([
        {
          severity: 'error',
          code: 'backup-no-full',
          message: said.slice('error: '.length),
          file: join(broken, 'checkpoints', 'virtnbdbackup.0.xml'),
          line: 1,
          column: 1,
        },
      ]);
      const r = restore(broken, 'restored-base-gone');
      expect(r.status).toBe(1);
      expect(r.said).toContain('Unable to locate base full or copy backup');
    });

    it('without vdb.inc.virtnbdbackup.1.data: "checkpoint virtnbdbackup.1 has no data file" for vdb', async () => {
      const broken = without('inc-gone', 'vdb.inc.virtnbdbackup.1.data');
      const said =
        'checkpoint virtnbdbackup.1 has no data file for disk vdb: no vdb.inc.virtnbdbackup.1.data in the folder';
      const check = await runCli(['check', broken]);
      expect(check.code).toBe(1);
      expect(errors(check.out)).toEqual([
        `${join(broken, 'checkpoints', 'virtnbdbackup.1.xml')}:1: error: ${said}`,
      ]);
      const tree = await runCli(['tree', broken]);
      expect(tree.code).toBe(1);
      expect(errors(tree.err)).toEqual([
        `error: ${join(broken, 'checkpoints', 'virtnbdbackup.1.xml')}:1: ${said}`,
      ]);
      // virtnbdrestore does not notice (1.9.15 restores what it finds, in time order): a vdb with
      // virtnbdbackup.1's changes missing. What the folder lacks is only said here.
      console.log(
        `virtnbdrestore without vdb.inc.virtnbdbackup.1.data: exit ${restore(broken, 'restored-inc-gone').status}`,
      );
    });

    it('an offline incremental (the VM shut off) written over virtnbdbackup.2’s: its header says so, the chain is broken there', async () => {
      const offline = backUpGuest(join(work.dir, 'offline'), `ckpt-nbd-${process.pid}-off`, {
        offline: true,
      });
      console.log(`with an offline -l inc after them:\n${listing(offline).join('\n')}`);
      const names = listing(offline).map((l) => l.slice(0, l.lastIndexOf(' ')));
      // No new checkpoint, no new data file name: the offline backup took virtnbdbackup.2's.
      expect(names.filter((n) => n.endsWith('.data'))).toHaveLength(6);
      expect(names.filter((n) => n.startsWith('checkpoints/'))).toHaveLength(3);
      const check = await runCli(['check', offline]);
      expect(check.code).toBe(1);
      const file = join(offline, 'checkpoints', 'virtnbdbackup.2.xml');
      expect(errors(check.out)).toEqual(
        ['vda', 'vdb'].map(
          (d) =>
            `${file}:1: error: checkpoint virtnbdbackup.2 has no data file for disk ${d}: ${d}.inc.virtnbdbackup.2.data holds the changes since virtnbdbackup.2, not those up to it: an offline backup (the VM shut off) saves "only delta" under the latest checkpoint's name, over its incremental`,
        ),
      );
      expect(check.out).toContain(
        'virtnbdbackup.2: backup inc: vda other data in vda.inc.virtnbdbackup.2.data, vdb other data in vdb.inc.virtnbdbackup.2.data',
      );
    });
  });
}
