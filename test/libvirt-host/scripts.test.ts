// The generated scripts against libvirt 9.0 on the real host: made by the core from what `collect`
// gathers there, run with dash as an operator runs them. A dry run changes nothing; --apply does
// what the dry run said and libvirt then accepts what the script promised; a run whose check fails
// (the VM started meanwhile, a bitmap removed first) changes nothing and says why.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BitmapReport, ForestEntry, TargetDomain } from '../../src/core/index.ts';
import {
  backupReadiness,
  backupVm,
  backupXml,
  bitmapVerdicts,
  buildForest,
  matchImages,
  parseCheckpoint,
  readImageInfo,
  readTargetDomain,
  redefineScript,
  repairScript,
} from '../../src/core/index.ts';
import { runMain } from '../cli/run-cli.ts';
import {
  addBitmap,
  bitmapNames,
  createImage,
  haveQemuUtils,
  imageDir,
  qemuImg,
} from '../images/qemu-img.ts';
import { skipWithout } from '../require.ts';
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

/** What `collect` gathered of a VM, read by the core as the page reads a bundle. */
interface Collected {
  folder: string;
  target: TargetDomain;
  entries: ForestEntry[];
  report: BitmapReport;
}

interface ScriptRun {
  status: number | null;
  out: string;
  err: string;
}

if (
  !skipWithout(
    haveQemuUtils && hostRunning(),
    'a libvirt host with QEMU (scripts/libvirt-host.sh start) and qemu-utils',
  )
) {
  describe('generated scripts on a real libvirt host: check, dry run, --apply', () => {
    const work = imageDir('scripts-host');
    const guests: string[] = [];
    let collects = 0;
    afterAll(() => {
      guests.forEach(removeGuest);
      work.remove();
    });

    /** A shut-off guest of this run with qcow2 disks, and checkpoints libvirt made while it ran. */
    function guest(round: string, disks: readonly string[], checkpoints: readonly string[]) {
      const dir = join(work.dir, round);
      mkdirSync(dir);
      const name = `ckpt-scripts-${process.pid}-${round}`;
      guests.push(name);
      const images = disks.map((target) => ({
        target,
        source: createImage(join(dir, `${target} disk é.qcow2`)),
      }));
      defineGuest(dir, name, images);
      virshOk('start', name);
      for (const cp of checkpoints) virshOk('checkpoint-create-as', name, cp);
      virshOk('destroy', name);
      return { dir, name, images };
    }

    /** `collect --connect` as an operator runs it, read back with the core. */
    async function collect(dir: string, name: string): Promise<Collected> {
      const folder = join(dir, `collect-${++collects}`);
      const r = await runMain('collect', '--connect', URI, name, folder);
      expect(r.code, r.err).toBe(0);
      const target = readTargetDomain(readFileSync(join(folder, 'domain.xml'), 'utf8'));
      if (!target.ok) throw new Error(target.problems[0]?.message);
      const entries = readdirSync(join(folder, 'checkpoints')).map((file) => {
        const parsed = parseCheckpoint(readFileSync(join(folder, 'checkpoints', file), 'utf8'));
        if (!parsed.ok) throw new Error(parsed.problems[0]?.message);
        return { file, checkpoint: parsed.value };
      });
      const images = readdirSync(join(folder, 'images')).map((file) => {
        const read = readImageInfo(readFileSync(join(folder, 'images', file), 'utf8'), file);
        if (!read.ok) throw new Error(read.problems[0]?.message);
        return read.value;
      });
      const vm = backupVm(entries, target.value);
      const report = bitmapVerdicts(entries, matchImages(vm.disks, images), { vm: name });
      return { folder, target: target.value, entries, report };
    }

    function repair(c: Collected): string {
      const uuid = c.target.uuid;
      return repairScript(c.report, {
        ...(c.target.name !== undefined ? { domain: c.target.name } : {}),
        ...(uuid !== undefined ? { uuid } : {}),
      });
    }

    /** Writes the script (beside `at`'s files) and runs it with dash, `args` after it. */
    function run(at: string, file: string, script: string, ...args: string[]): ScriptRun {
      const path = join(at, file);
      writeFileSync(path, script);
      const r = spawnSync('dash', [path, '-c', URI, ...args], {
        cwd: work.dir,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: work.dir },
      });
      return { status: r.status, out: r.stdout, err: r.stderr };
    }

    const checkpointList = (name: string) =>
      virshOk('checkpoint-list', name, '--name', '--topological').split('\n').filter(Boolean);

    it('a stray bitmap on a shut-off VM: refused once the VM runs; dry run; --apply removes it, and libvirt makes a checkpoint of its name', async () => {
      const { dir, name, images } = guest('stray', ['vda', 'vdb'], ['bk.1', 'bk.2']);
      const vda = images[0]!.source;
      addBitmap(vda, 'stray.1');
      const c = await collect(dir, name);
      expect(c.report.orphans.map((o) => o.bitmap.name)).toEqual(['stray.1']);
      const script = repair(c);
      console.log(`stray: the repair script\n${script}`);

      // The VM started between making the script and running it: refused, nothing changed.
      virshOk('start', name);
      const started = run(dir, 'repair.sh', script, '--apply');
      expect(started.status).toBe(1);
      expect(started.err).toContain(`VM ${name} is running, but the plan needs it shut off`);
      expect(started.err).toContain('Nothing was changed');
      virshOk('destroy', name);
      expect(bitmapNames(vda).sort()).toEqual(['bk.1', 'bk.2', 'stray.1']);

      const dry = run(dir, 'repair.sh', script);
      expect(dry.err).toBe('');
      expect(dry.status).toBe(0);
      expect(dry.out).toContain(`[to do] remove bitmap stray.1 from image ${vda}`);
      expect(dry.out).toContain('Dry run: nothing was changed');
      expect(bitmapNames(vda).sort()).toEqual(['bk.1', 'bk.2', 'stray.1']);
      expect(checkpointList(name).sort()).toEqual(['bk.1', 'bk.2']);

      const applied = run(dir, 'repair.sh', script, '--apply');
      expect(applied.err).toBe('');
      expect(applied.status).toBe(0);
      expect(bitmapNames(vda).sort()).toEqual(['bk.1', 'bk.2']);
      expect(checkpointList(name).sort()).toEqual(['bk.1', 'bk.2']);
      const again = run(dir, 'repair.sh', script, '--apply');
      expect(again.status).toBe(0);
      expect(again.out).toContain('[already done] remove bitmap stray.1');

      // What the script promised: a checkpoint of that name can be made ('Bitmap already exists'
      // before), and incremental backups from the checkpoints that stay still work.
      virshOk('start', name);
      expect(virsh('checkpoint-create-as', name, 'stray.1').error).toBe('');
      const backup = await incrementalBackup(dir, name, 'bk.2', ['vda', 'vdb'], ['vda', 'vdb']);
      expect(backup.error).toBe('');
      virshOk('destroy', name);
    }, 600_000);

    it('the running VM: no step is built from it that needs it shut off, and the plan says why', async () => {
      const { dir, name, images } = guest('running', ['vda'], ['bk.1']);
      addBitmap(images[0]!.source, 'stray.1');
      virshOk('start', name);
      const c = await collect(dir, name);
      expect(c.report.disks[0]?.evidence).toBe('qmp');
      const script = repair(c);
      expect(script).not.toMatch(/^act /m);
      const r = run(dir, 'repair.sh', script, '--apply');
      expect(r.err).toBe('');
      expect(r.status).toBe(0);
      expect(r.out).toContain(
        'Not planned: removing bitmap stray.1: qemu-img must not write an image QEMU has open',
      );
      virshOk('destroy', name);
      expect(bitmapNames(images[0]!.source).sort()).toEqual(['bk.1', 'stray.1']);
    }, 600_000);

    it('metadata without bitmap on a running VM, from QMP: dry run; refused while QEMU has the bitmap again; --apply deletes the metadata once it is gone', async () => {
      const round = 'live-metadata';
      const dir = join(work.dir, round);
      mkdirSync(dir);
      const name = `ckpt-gap22-${process.pid}-${round}`;
      guests.push(name);
      defineGuest(dir, name, [
        { target: 'vda', source: createImage(join(dir, 'vda disk é.qcow2')) },
      ]);
      virshOk('start', name);
      virshOk('checkpoint-create-as', name, 'bk.1');
      virshOk('checkpoint-create-as', name, 'bk.2');
      const qmp = (command: object) =>
        virshOk('qemu-monitor-command', '--domain', name, '--pretty', JSON.stringify(command));
      const nodes = () => qmp({ execute: 'query-named-block-nodes', arguments: { flat: true } });
      const node = (
        JSON.parse(nodes()) as {
          return: { 'node-name': string; 'dirty-bitmaps'?: { name: string }[] }[];
        }
      ).return.find((n) => n['dirty-bitmaps']?.some((b) => b.name === 'bk.2'))?.['node-name'];
      expect(node).toBeDefined();
      console.log(`live metadata: query-named-block-nodes with bk.2\n${nodes()}`);
      // libvirt still lists bk.2, but QEMU has no bitmap of it.
      qmp({ execute: 'block-dirty-bitmap-remove', arguments: { node, name: 'bk.2' } });
      expect(nodes()).not.toContain('"name": "bk.2"');
      expect(checkpointList(name)).toEqual(['bk.1', 'bk.2']);

      const c = await collect(dir, name);
      expect(c.report.disks[0]?.evidence).toBe('qmp');
      expect(c.report.rows.map((r) => r.cells.map((x) => x.verdict))).toEqual([
        ['ok'],
        ['missing'],
      ]);
      const script = repair(c);
      expect(script).toMatch(/^check_live_gone /m);
      console.log(`live metadata: the repair script\n${script}`);

      const dry = run(dir, 'repair.sh', script);
      expect(dry.err).toBe('');
      expect(dry.status).toBe(0);
      expect(dry.out).toContain('[to do] delete checkpoint bk.2');
      expect(dry.out).toContain('Dry run: nothing was changed');
      expect(checkpointList(name)).toEqual(['bk.1', 'bk.2']);

      // The bitmap is back (persistent, same name) between making the script and running it.
      qmp({
        execute: 'block-dirty-bitmap-add',
        arguments: { node, name: 'bk.2', persistent: true },
      });
      const back = run(dir, 'repair.sh', script, '--apply');
      console.log(`live metadata: bitmap back\n${back.out}${back.err}`);
      expect(back.status).toBe(1);
      expect(back.err).toContain(
        'Check failed: bitmap bk.2 is in the running VM now (query-named-block-nodes), but the plan relies on it being gone',
      );
      expect(back.err).toContain('Nothing was changed');
      expect(checkpointList(name)).toEqual(['bk.1', 'bk.2']);

      qmp({ execute: 'block-dirty-bitmap-remove', arguments: { node, name: 'bk.2' } });
      const applied = run(dir, 'repair.sh', script, '--apply');
      console.log(`live metadata: --apply\n${applied.out}${applied.err}`);
      expect(applied.err).toBe('');
      expect(applied.status).toBe(0);
      expect(checkpointList(name)).toEqual(['bk.1']);
      // libvirt now makes a checkpoint of the old name.
      expect(virsh('checkpoint-create-as', name, 'bk.2').error).toBe('');
      virshOk('destroy', name);
    }, 600_000);

    it('metadata without bitmap on a shut-off VM: the bitmap goes from the other disk first, then the metadata; libvirt accepts an incremental backup from the parent', async () => {
      const { dir, name, images } = guest('metadata', ['vda', 'vdb'], ['bk.1', 'bk.2']);
      const [vda, vdb] = images.map((i) => i.source) as [string, string];
      qemuImg('bitmap', '--remove', '-f', 'qcow2', vdb, 'bk.2');
      const c = await collect(dir, name);
      expect(c.report.rows.map((r) => r.cells.map((x) => x.verdict))).toEqual([
        ['ok', 'ok'],
        ['ok', 'missing'],
      ]);
      const script = repair(c);
      console.log(`metadata without bitmap: the repair script\n${script}`);
      // The CLI writes the same script from what it collects itself.
      const cli = await runMain('check', '--connect', URI, '--repair-script', name);
      expect(cli.err).toContain('vdb missing');
      expect(cli.out).toBe(script);

      const dry = run(dir, 'repair.sh', script);
      expect(dry.status).toBe(0);
      expect(dry.out).toMatch(
        /\[to do\] remove bitmap bk\.2 from image .*vda disk é\.qcow2\n {2}\[to do\] delete checkpoint bk\.2/,
      );
      expect(checkpointList(name).sort()).toEqual(['bk.1', 'bk.2']);
      expect(bitmapNames(vda).sort()).toEqual(['bk.1', 'bk.2']);

      // Before it, libvirt refuses an incremental backup from bk.2 and deletes it only with --metadata.
      virshOk('start', name);
      const refused = await incrementalBackup(dir, name, 'bk.2', ['vda', 'vdb'], ['vda', 'vdb']);
      expect(refused.error).toContain("missing or broken bitmap 'bk.2' for disk 'vdb'");
      virshOk('destroy', name);

      const applied = run(dir, 'repair.sh', script, '--apply');
      expect(applied.err).toBe('');
      expect(applied.status).toBe(0);
      expect(checkpointList(name)).toEqual(['bk.1']);
      expect(bitmapNames(vda)).toEqual(['bk.1']);
      expect(bitmapNames(vdb)).toEqual(['bk.1']);
      virshOk('start', name);
      const backup = await incrementalBackup(dir, name, 'bk.1', ['vda', 'vdb'], ['vda', 'vdb']);
      expect(backup.error).toBe('');
      // And a new checkpoint of the old name: no bitmap of it is left behind.
      expect(virsh('checkpoint-create-as', name, 'bk.2').error).toBe('');
      virshOk('destroy', name);
    }, 600_000);

    it("per-disk readiness: each disk's base stays, though the other disk refuses it; libvirt then takes the one backup job, each disk from its own", async () => {
      const { dir, name, images } = guest('per-disk', ['vda', 'vdb'], ['bk.1', 'bk.2', 'bk.3']);
      const [vda, vdb] = images.map((i) => i.source) as [string, string];
      for (const [image, bitmap] of [
        [vda, 'bk.1'],
        [vdb, 'bk.2'],
        [vda, 'bk.3'],
        [vdb, 'bk.3'],
      ] as const)
        qemuImg('bitmap', '--disable', '-f', 'qcow2', image, bitmap);
      const c = await collect(dir, name);
      expect(c.report.rows.map((r) => r.cells.map((x) => x.verdict))).toEqual([
        ['disabled', 'ok'],
        ['ok', 'disabled'],
        ['disabled', 'disabled'],
      ]);
      expect(backupReadiness(c.report).vm.line).toBe(
        `${name}: one backup job: vda incremental since bk.2, vdb since bk.1`,
      );
      const applied = run(dir, 'repair.sh', repair(c), '--apply');
      expect(applied.err).toBe('');
      expect(applied.status).toBe(0);
      expect(applied.out).toContain(
        "Kept: checkpoint bk.1, though libvirt refuses it on vda: vdb's incremental since bk.1 rests on it",
      );
      // bk.3 rests under no disk: it goes, with its bitmaps.
      expect(checkpointList(name)).toEqual(['bk.1', 'bk.2']);
      expect(bitmapNames(vda).sort()).toEqual(['bk.1', 'bk.2']);
      expect(bitmapNames(vdb).sort()).toEqual(['bk.1', 'bk.2']);
      const after = await collect(dir, name);
      const job = backupXml(after.report, backupReadiness(after.report), { now: 1700000000 });
      expect(job).toContain(
        "<disk name='vdb' backup='yes' type='file' backupmode='incremental' incremental='bk.1'>",
      );
      virshOk('start', name);
      const file = join(dir, 'per-disk-backup.xml');
      writeFileSync(file, job as string);
      const r = virsh('backup-begin', name, file);
      expect(r.error).toBe('');
      await waitForJob(name);
      virshOk('destroy', name);
    }, 600_000);

    it('after undefine --checkpoints-metadata and define: the redefine script, refused while the VM runs or a bitmap is gone, redefines with --apply', async () => {
      const { dir, name, images } = guest('redefine', ['vda'], ['bk.1', 'bk.2', 'bk.3']);
      const vda = images[0]!.source;
      const c = await collect(dir, name);
      const domainXml = join(c.folder, 'domain.xml');
      const forgetCheckpoints = () => {
        virshOk('undefine', name, '--checkpoints-metadata');
        virshOk('define', domainXml);
        expect(checkpointList(name)).toEqual([]);
      };
      forgetCheckpoints();
      const forest = buildForest(c.entries);
      const vm = { ...(c.target.uuid ? { uuid: c.target.uuid } : {}), disks: c.target.disks };
      const script = redefineScript(forest, { vm });
      console.log(`redefine: the script\n${script}`);
      const checkpoints = join(c.folder, 'checkpoints');

      virshOk('start', name);
      const running = run(checkpoints, 'redefine.sh', script, '--apply');
      expect(running.status).toBe(1);
      expect(running.err).toContain(`VM ${name} is running, but the plan needs it shut off`);
      expect(checkpointList(name)).toEqual([]);
      virshOk('destroy', name);

      const dry = run(checkpoints, 'redefine.sh', script);
      expect(dry.err).toBe('');
      expect(dry.status).toBe(0);
      expect(dry.out).toContain('[to do] redefine checkpoint bk.3 from bk.3.xml');
      expect(checkpointList(name)).toEqual([]);

      const applied = run(checkpoints, 'redefine.sh', script, '--apply');
      expect(applied.err).toBe('');
      expect(applied.status).toBe(0);
      expect(checkpointList(name)).toEqual(['bk.1', 'bk.2', 'bk.3']);
      expect(virshOk('checkpoint-dumpxml', name, 'bk.3')).toContain('<name>bk.2</name>');
      virshOk('start', name);
      const backup = await incrementalBackup(dir, name, 'bk.1', ['vda'], ['vda']);
      expect(backup.error).toBe('');

      // --redefine-validate: libvirt checks the bitmaps in the running VM. (libvirt drops the
      // checkpoints' metadata at undefine only of an inactive VM: qemuDomainUndefineFlags.)
      const validating = redefineScript(forest, { vm, validate: true });
      virshOk('destroy', name);
      forgetCheckpoints();
      virshOk('start', name);
      const validated = run(checkpoints, 'redefine-validate.sh', validating, '--apply');
      expect(validated.err).toBe('');
      expect(validated.status).toBe(0);
      expect(checkpointList(name)).toEqual(['bk.1', 'bk.2', 'bk.3']);
      virshOk('destroy', name);
      const shutOff = run(checkpoints, 'redefine-validate.sh', validating, '--apply');
      expect(shutOff.status).toBe(1);
      expect(shutOff.err).toContain('is shut off, but the plan needs it running');

      // A bitmap removed with qemu-img first: refused, naming it; nothing redefined.
      forgetCheckpoints();
      qemuImg('bitmap', '--remove', '-f', 'qcow2', vda, 'bk.3');
      const gone = run(checkpoints, 'redefine.sh', script, '--apply');
      expect(gone.status).toBe(1);
      expect(gone.err).toContain(`bitmap bk.3 in ${vda}: gone now, but the plan relies on auto`);
      expect(checkpointList(name)).toEqual([]);
    }, 600_000);
  });
}
