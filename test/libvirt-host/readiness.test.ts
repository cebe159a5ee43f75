import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../cli/run-cli.ts';
import { createImage, haveQemuUtils, imageDir, imageInfo, qemuImg } from '../images/qemu-img.ts';
import { skipWithout } from '../require.ts';
import type { GuestDisk, Run } from './host.ts';
import {
  defineGuest,
  hostRunning,
  incrementalBackup,
  removeGuest,
  URI,
  virsh,
  virshOk,
  waitForJob,
} from './host.ts';

/**
 * Issue 22's scenarios on the real libvirt host: the editor's per-disk verdict (what `check`
 * prints) against libvirt's own answer (`virsh backup-begin`). Each scenario's lines and libvirt's
 * words are printed at the end, for the closing note.
 */
const DISKS = ['vda', 'vdb'];
const QMP = '{"execute":"query-named-block-nodes","arguments":{"flat":true}}';
const readiness = (out: string) =>
  out.split('\n').filter((l) => /^(vda|vdb|ckpt-readiness-\S+): /.test(l));

if (
  !skipWithout(
    haveQemuUtils && hostRunning(),
    'a libvirt host with QEMU (scripts/libvirt-host.sh start) and qemu-utils',
  )
) {
  describe('readiness against libvirt 9.0 on a real host (issue 22)', () => {
    const work = imageDir('libvirt-readiness');
    const guests: string[] = [];
    const notes: string[] = [];
    afterAll(() => {
      guests.forEach(removeGuest);
      work.remove();
      console.log(`issue 22 scenarios, check vs libvirt:\n${notes.join('\n')}`);
    });

    function guest(round: string) {
      const dir = join(work.dir, round);
      mkdirSync(dir);
      const name = `ckpt-readiness-${process.pid}-${round}`;
      guests.push(name);
      return { dir, name };
    }

    function twoDisks(dir: string, name: string): GuestDisk[] {
      const disks = DISKS.map((target) => ({
        target,
        source: createImage(join(dir, `${target}.qcow2`)),
      }));
      defineGuest(dir, name, disks);
      return disks;
    }

    /** The checkpoints as libvirt dumps them, saved as an operator saves them. */
    function saveCheckpoints(name: string, folder: string): string {
      mkdirSync(folder, { recursive: true });
      for (const cp of virshOk('checkpoint-list', name, '--name', '--topological')
        .split('\n')
        .filter(Boolean))
        writeFileSync(join(folder, `${cp}.xml`), virshOk('checkpoint-dumpxml', name, cp));
      return folder;
    }

    const said = (r: Run) => (r.ok ? 'accepted' : `refused: ${r.error}`);

    function note(scenario: string, check: { code: number; out: string }, libvirt: string) {
      notes.push(
        `${scenario}\n  check (exit ${check.code}):\n${readiness(check.out)
          .map((l) => `    ${l}`)
          .join('\n')}\n  libvirt: ${libvirt}`,
      );
    }

    it('an overlay added under both disks, the VM redefined onto it: unknown without its definition, libvirt’s answer with it', async () => {
      const { dir, name } = guest('overlay');
      const disks = twoDisks(dir, name);
      virshOk('start', name);
      virshOk('checkpoint-create-as', name, 'bk.1');
      virshOk('checkpoint-create-as', name, 'bk.2');
      virshOk('destroy', name);
      const overlays = disks.map((d) => ({
        ...d,
        source: createImage(join(dir, `${d.target}.ov.qcow2`), { backing: d.source }),
      }));
      // The VM redefined onto the overlays: its own definition (uuid and all), new sources.
      let xml = virshOk('dumpxml', '--inactive', name);
      for (const [i, d] of disks.entries())
        xml = xml.replace(`'${d.source}'`, `'${overlays[i]?.source as string}'`);
      writeFileSync(join(dir, `${name}.xml`), xml);
      virshOk('define', join(dir, `${name}.xml`));
      const checkpoints = saveCheckpoints(name, join(dir, 'checkpoints'));
      const images = overlays.map((o) => {
        const file = join(dir, `${o.target}.json`);
        writeFileSync(file, imageInfo(o.source));
        return file;
      });

      const blind = await runMain(
        'check',
        '--images',
        images[0] as string,
        '--images',
        images[1] as string,
        checkpoints,
      );
      const vmFile = join(dir, 'dumpxml.xml');
      writeFileSync(vmFile, virshOk('dumpxml', name));
      const seeing = await runMain(
        'check',
        '--target-vm',
        vmFile,
        '--images',
        images[0] as string,
        '--images',
        images[1] as string,
        checkpoints,
      );

      virshOk('start', name);
      // One disk at a time, as the verdicts are per disk.
      const answers: Run[] = [];
      for (const d of DISKS) answers.push(await incrementalBackup(dir, name, 'bk.2', DISKS, [d]));
      virshOk('destroy', name);

      expect(answers.map((a) => a.ok)).toEqual([false, false]);
      expect(readiness(blind.out)).toEqual([
        `vda: unknown: load the VM's definition: vda.ov.qcow2 lies above vda.qcow2 in the loaded images, so vda.qcow2 may not be vda's top image`,
        `vdb: unknown: load the VM's definition: vdb.ov.qcow2 lies above vdb.qcow2 in the loaded images, so vdb.qcow2 may not be vdb's top image`,
        `${name}: unknown on vda and vdb`,
      ]);
      expect(blind.code).toBe(1);
      expect(readiness(seeing.out)).toEqual([
        'vda: full backup needed: bitmap bk.2 is missing from the top image vda.ov.qcow2 (it is in vda.qcow2)',
        'vdb: full backup needed: bitmap bk.2 is missing from the top image vdb.ov.qcow2 (it is in vdb.qcow2)',
        `${name}: full backup needed: vda and vdb have no valid bitmap`,
      ]);
      expect(seeing.code).toBe(1);
      note('overlay, no VM definition', blind, answers.map(said).join(' | '));
      note('overlay, --target-vm', seeing, answers.map(said).join(' | '));
    }, 300_000);

    it('a running VM read with -U after a checkpoint made since start: unknown, not metadata without bitmap; QMP agrees with libvirt', async () => {
      const { dir, name } = guest('running');
      const disks = twoDisks(dir, name);
      virshOk('start', name);
      virshOk('checkpoint-create-as', name, 'bk.1');
      virshOk('destroy', name);
      virshOk('start', name);
      virshOk('checkpoint-create-as', name, 'bk.2');
      // What -U shows: bk.2 is in QEMU only, not yet in the files.
      const inFile = (image: string) =>
        (
          JSON.parse(imageInfo(image, { force: true, chain: false })) as {
            'format-specific': { data: { bitmaps?: { name: string }[] } };
          }
        )['format-specific'].data.bitmaps?.map((b) => b.name);
      expect(disks.map((d) => inFile(d.source))).toEqual([['bk.1'], ['bk.1']]);
      const checkpoints = saveCheckpoints(name, join(dir, 'checkpoints'));
      const vmFile = join(dir, 'dumpxml.xml');
      writeFileSync(vmFile, virshOk('dumpxml', name));
      const u = join(dir, 'u.json');
      writeFileSync(u, disks.map((d) => imageInfo(d.source, { force: true })).join(''));
      const stale = await runMain(
        'check',
        '--running',
        '--target-vm',
        vmFile,
        '--images',
        u,
        checkpoints,
      );
      const live = join(dir, 'qmp.json');
      writeFileSync(live, virshOk('qemu-monitor-command', name, QMP));
      const qmp = await runMain('check', '--target-vm', vmFile, '--images', live, checkpoints);
      const answers: Run[] = [];
      for (const d of DISKS) answers.push(await incrementalBackup(dir, name, 'bk.2', DISKS, [d]));
      virshOk('destroy', name);

      expect(answers.map((a) => a.ok)).toEqual([true, true]);
      expect(stale.out).not.toContain('metadata without bitmap');
      const unknown = '(VM running: image data are from its last shutdown; collect with QMP)';
      expect(readiness(stale.out)).toEqual([
        `vda: unknown ${unknown}`,
        `vdb: unknown ${unknown}`,
        `${name}: unknown ${unknown}`,
      ]);
      expect(stale.code).toBe(1);
      expect(readiness(qmp.out)).toEqual([
        expect.stringMatching(/^vda: incremental since bk\.2 \(≈ \d+(\.\d)? \S+ changed\)$/),
        expect.stringMatching(/^vdb: incremental since bk\.2 \(≈ \d+(\.\d)? \S+ changed\)$/),
        `${name}: incremental since bk.2`,
      ]);
      expect(qmp.code).toBe(0);
      note('running, -U, bk.2 made since start', stale, answers.map(said).join(' | '));
      note('running, QMP', qmp, answers.map(said).join(' | '));
    }, 300_000);

    it('undefined and defined again, the checkpoints’ XML saved: redefine them (not strays), and libvirt then accepts', async () => {
      const { dir, name } = guest('redefine');
      twoDisks(dir, name);
      virshOk('start', name);
      virshOk('checkpoint-create-as', name, 'bk.1');
      virshOk('checkpoint-create-as', name, 'bk.2');
      virshOk('destroy', name);
      const saved = saveCheckpoints(name, join(dir, 'backup', 'checkpoints'));
      const definition = join(dir, 'definition.xml');
      writeFileSync(definition, virshOk('dumpxml', '--inactive', name));
      virshOk('undefine', name, '--checkpoints-metadata');
      virshOk('define', definition);
      expect(virshOk('checkpoint-list', name, '--name').trim()).toBe('');

      const collected = join(dir, `${name}-checkpoints`);
      const collect = await runMain('collect', '--connect', URI, name, collected);
      expect(collect.code).toBe(0);
      expect(readdirSync(join(collected, 'checkpoints'))).toEqual([]);
      const check = await runMain('check', collected, saved);

      virshOk('start', name);
      const before = await incrementalBackup(dir, name, 'bk.2', DISKS, DISKS);
      virshOk('destroy', name);
      // What the finding says: redefine, parents first, from the saved XML.
      for (const cp of ['bk.1', 'bk.2'])
        virshOk('checkpoint-create', name, join(saved, `${cp}.xml`), '--redefine');
      virshOk('start', name);
      const after = await incrementalBackup(dir, name, 'bk.2', DISKS, DISKS);
      virshOk('destroy', name);

      expect(before.ok).toBe(false);
      expect(after.ok).toBe(true);
      expect(check.out).not.toContain('bitmap without checkpoint');
      expect(readiness(check.out)).toEqual([
        'vda: once the checkpoints are redefined, incremental since bk.2',
        'vdb: once the checkpoints are redefined, incremental since bk.2',
        `${name}: redefine these checkpoints (the redefine script): libvirt knows none of bk.1 and bk.2, whose bitmaps are in the images`,
      ]);
      expect(check.code).toBe(1);
      note(
        'undefine + define, XML saved',
        check,
        `before the redefine ${said(before)}; after it ${said(after)}`,
      );
    }, 300_000);

    it('per-disk checkpoints: one backup job, the generated <domainbackup> accepted by backup-begin', async () => {
      const { dir, name } = guest('perdisk');
      const disks = twoDisks(dir, name);
      virshOk('start', name);
      virshOk('checkpoint-create-as', name, 'bk.1');
      virshOk('checkpoint-create-as', name, 'bk.2');
      virshOk('destroy', name);
      // vda valid since bk.2 only, vdb since bk.1 only.
      qemuImg('bitmap', '--disable', '-f', 'qcow2', disks[0]?.source as string, 'bk.1');
      qemuImg('bitmap', '--disable', '-f', 'qcow2', disks[1]?.source as string, 'bk.2');
      const checkpoints = saveCheckpoints(name, join(dir, 'checkpoints'));
      const vmFile = join(dir, 'dumpxml.xml');
      writeFileSync(vmFile, virshOk('dumpxml', name));
      const images = join(dir, 'images.json');
      writeFileSync(images, disks.map((d) => imageInfo(d.source)).join(''));
      const check = await runMain(
        'check',
        '--backup-xml',
        '--target-vm',
        vmFile,
        '--images',
        images,
        checkpoints,
      );
      const xml = join(dir, 'backup.xml');
      writeFileSync(xml, check.out);

      virshOk('start', name);
      const cells: Run[] = [];
      for (const cp of ['bk.1', 'bk.2'])
        for (const d of DISKS) cells.push(await incrementalBackup(dir, name, cp, DISKS, [d]));
      const common: Run[] = [];
      for (const cp of ['bk.1', 'bk.2'])
        common.push(await incrementalBackup(dir, name, cp, DISKS, DISKS));
      const job = virsh('backup-begin', name, '--backupxml', xml);
      if (job.ok) await waitForJob(name);
      virshOk('destroy', name);

      expect(cells.map((c) => c.ok)).toEqual([false, true, true, false]);
      expect(common.map((c) => c.ok)).toEqual([false, false]);
      expect(check.err.split('\n').filter((l) => /^(vda|vdb|ckpt)/.test(l))).toEqual([
        'vda: incremental since bk.2',
        'vdb: incremental since bk.1',
        `${name}: one backup job: vda incremental since bk.2, vdb since bk.1`,
      ]);
      expect(check.out).toContain("backupmode='incremental' incremental='bk.2'");
      expect(job).toMatchObject({ ok: true });
      // The backup files libvirt wrote beside each image (no <target> given).
      const written = readdirSync(dir).filter((f) => /^vd[ab]\.qcow2\.\d+$/.test(f));
      expect(written).toHaveLength(2);
      note(
        'per-disk checkpoints (--backup-xml)',
        { code: check.code, out: check.err },
        `each disk from bk.1: ${cells.slice(0, 2).map(said).join(' | ')}; from bk.2: ${cells
          .slice(2)
          .map(said)
          .join(
            ' | ',
          )}; the whole VM from bk.1/bk.2: ${common.map(said).join(' | ')}; backup-begin --backupxml (generated): ${said(job)}`,
      );
    }, 300_000);
  });
}
