import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type {
  BitmapReport,
  Evidence,
  ForestEntry,
  ImageInfo,
  TargetDomain,
} from '../../src/core/index.ts';
import {
  backupReadiness,
  bitmapVerdicts,
  matchImages,
  parseCheckpoint,
  readImageInfo,
  readTargetDomain,
  repairScript,
} from '../../src/core/index.ts';
import {
  addBitmap,
  bitmapNames,
  crashWhileWriting,
  createImage,
  haveQemuUtils,
  imageDir,
  imageInfo,
  markCorrupt,
  qemuImg,
} from '../images/qemu-img.ts';
import { runMain } from '../cli/run-cli.ts';
import { skipWithout } from '../require.ts';
import type { GuestDisk, Run } from './host.ts';
import {
  defineGuest,
  fullBackupWithCheckpoint,
  hostRunning,
  incrementalBackup,
  removeGuest,
  URI,
  virsh,
  virshOk,
} from './host.ts';

/** One question put to both: the editor's verdict, libvirt's answer, and whether they agree. */
interface Comparison {
  round: string;
  /** A cell (checkpoint × disk), a whole checkpoint (redefine-validate), the VM, or an image. */
  kind: 'cell' | 'redefine-validate' | 'vm' | 'image' | 'stray bitmap';
  evidence?: Evidence;
  what: string;
  ours: string;
  libvirt: string;
  agree: boolean;
  /** The editor said unknown (the evidence cannot prove it): no answer to be wrong, counted apart. */
  unknown?: boolean;
}

const QMP = '{"execute":"query-named-block-nodes","arguments":{"flat":true}}';
const DISKS = ['vda', 'vdb'];
const inconsistent = (cp: string, disk: string) =>
  `checkpoint inconsistent: missing or broken bitmap '${cp}' for disk '${disk}'`;

if (
  !skipWithout(
    haveQemuUtils && hostRunning(),
    `a libvirt host with QEMU (scripts/libvirt-host.sh start) and qemu-utils`,
  )
) {
  describe('the editor against libvirt 9.0 on a real host: faults made with qemu-img and qemu-io', () => {
    const work = imageDir('libvirt-host');
    const guests: string[] = [];
    const figures: Comparison[] = [];
    afterAll(() => {
      guests.forEach(removeGuest);
      work.remove();
      printFigures(figures);
    });

    /** A guest of this run: its folder, its name, removed at the end whatever happens. */
    function guest(round: string) {
      const dir = join(work.dir, round);
      mkdirSync(dir);
      const name = `ckpt-editor-${round}-${process.pid}`;
      guests.push(name);
      return { dir, name };
    }

    /** The checkpoints as libvirt dumps them, written to files as an operator would save them. */
    function checkpoints(dir: string, name: string): ForestEntry[] {
      const out = join(dir, `checkpoints-${Date.now()}`);
      mkdirSync(out);
      const names = virshOk('checkpoint-list', name, '--name', '--topological')
        .split('\n')
        .filter(Boolean);
      return names.map((cp) => {
        const text = virshOk('checkpoint-dumpxml', name, cp);
        writeFileSync(join(out, `${cp}.xml`), text);
        const parsed = parseCheckpoint(text);
        if (!parsed.ok) throw new Error(`${cp}: ${parsed.problems[0]?.message}`);
        return { file: `${cp}.xml`, checkpoint: parsed.value };
      });
    }

    function target(name: string): TargetDomain {
      const read = readTargetDomain(virshOk('dumpxml', name));
      if (!read.ok) throw new Error(read.problems[0]?.message);
      return read.value;
    }

    function read(text: string, file: string): ImageInfo {
      const r = readImageInfo(text, file);
      if (!r.ok) throw new Error(r.problems[0]?.message);
      return r.value;
    }

    /** The editor's report on the guest, from the evidence of one kind. */
    function ours(dir: string, name: string, evidence: Evidence): BitmapReport {
      const vm = target(name);
      const tops = vm.disks.map((d) => d.source as string);
      const images =
        evidence === 'qmp'
          ? [read(virshOk('qemu-monitor-command', name, QMP), 'qmp.json')]
          : [
              read(
                tops.map((t) => imageInfo(t, { force: evidence === 'qemu-img -U' })).join(''),
                'images.json',
              ),
            ];
      const report = bitmapVerdicts(checkpoints(dir, name), matchImages(vm.disks, images), {
        running: evidence === 'qemu-img -U',
        vm: name,
      });
      for (const d of report.disks) expect(d.evidence).toBe(evidence);
      return report;
    }

    const rows = (report: BitmapReport) =>
      report.rows.map(
        (r) => `${r.checkpoint}: ${r.cells.map((c) => `${c.disk} ${c.text}`).join(', ')}`,
      );

    /** libvirt's answer on every checkpoint × disk, on the whole VM, and on redefine-validate. */
    async function askLibvirt(dir: string, name: string) {
      const cells = new Map<string, Run>();
      const vm = new Map<string, Run>();
      const validate = new Map<string, Run>();
      for (const entry of checkpoints(dir, name)) {
        const cp = entry.checkpoint.name as string;
        for (const disk of DISKS)
          cells.set(`${cp}/${disk}`, await incrementalBackup(dir, name, cp, DISKS, [disk]));
        vm.set(cp, await incrementalBackup(dir, name, cp, DISKS, DISKS));
        const file = join(dir, `validate-${cp}.xml`);
        writeFileSync(file, virshOk('checkpoint-dumpxml', name, cp));
        validate.set(
          cp,
          virsh('checkpoint-create', name, file, '--redefine', '--redefine-validate'),
        );
      }
      return { cells, vm, validate };
    }

    const answer = (r: Run | undefined) => (r?.ok ? 'accepted' : `refused: ${r?.error}`);

    function compare(
      round: string,
      report: BitmapReport,
      libvirt: Awaited<ReturnType<typeof askLibvirt>>,
    ) {
      const evidence = report.disks[0]?.evidence;
      for (const row of report.rows) {
        for (const cell of row.cells) {
          const run = libvirt.cells.get(`${row.checkpoint}/${cell.disk}`);
          if (cell.verdict === 'unknown') {
            figures.push({
              round,
              kind: 'cell',
              ...(evidence ? { evidence } : {}),
              what: `${row.checkpoint} × ${cell.disk}`,
              ours: cell.text,
              libvirt: answer(run),
              agree: true,
              unknown: true,
            });
            continue;
          }
          const agree =
            cell.verdict === 'ok'
              ? run?.ok === true
              : run?.ok === false && run.error === inconsistent(row.checkpoint, cell.disk);
          figures.push({
            round,
            kind: 'cell',
            ...(evidence ? { evidence } : {}),
            what: `${row.checkpoint} × ${cell.disk}`,
            ours: cell.text,
            libvirt: answer(run),
            agree,
          });
        }
        const allOk = row.cells.every((c) => c.verdict === 'ok');
        if (row.cells.some((c) => c.verdict === 'unknown')) continue;
        const firstBroken = row.cells.find((c) => c.verdict !== 'ok');
        const validate = libvirt.validate.get(row.checkpoint);
        figures.push({
          round,
          kind: 'redefine-validate',
          ...(evidence ? { evidence } : {}),
          what: row.checkpoint,
          ours: allOk ? 'valid' : `not valid (${firstBroken?.disk} ${firstBroken?.text})`,
          libvirt: answer(validate),
          agree: allOk
            ? validate?.ok === true
            : validate?.ok === false &&
              validate.error === inconsistent(row.checkpoint, firstBroken?.disk ?? ''),
        });
        const vm = libvirt.vm.get(row.checkpoint);
        figures.push({
          round,
          kind: 'vm',
          ...(evidence ? { evidence } : {}),
          what: `incremental from ${row.checkpoint}, every disk`,
          ours: allOk ? 'possible' : 'full backup needed',
          libvirt: answer(vm),
          agree: allOk === (vm?.ok === true),
        });
      }
      // The VM's readiness line names the newest checkpoint libvirt accepts for every disk.
      const readiness = backupReadiness(report);
      const newest = [...report.rows]
        .reverse()
        .find((r) => libvirt.vm.get(r.checkpoint)?.ok)?.checkpoint;
      if (readiness.vm.state === 'unknown') return;
      figures.push({
        round,
        kind: 'vm',
        ...(evidence ? { evidence } : {}),
        what: 'readiness line',
        ours: readiness.vm.line,
        libvirt: newest ? `newest accepted: ${newest}` : 'none accepted',
        agree: readiness.vm.since === newest,
      });
    }

    /** Runs a repair script with the real virsh and qemu-img, as an operator would. */
    function runRepair(dir: string, script: string): void {
      const file = join(dir, `repair-${Date.now()}.sh`);
      writeFileSync(file, script);
      const r = spawnSync('sh', [file, '--apply'], {
        encoding: 'utf8',
        env: { ...process.env, LIBVIRT_DEFAULT_URI: URI, LC_ALL: 'C.UTF-8' },
      });
      if (r.status !== 0) throw new Error(`repair script failed: ${r.stderr}\n${script}`);
    }

    /**
     * What `check` prints on the shut-off guest, as an operator runs it: the checkpoints libvirt
     * dumps and qemu-img's output of each disk, saved in a folder, the VM's definition beside it.
     */
    async function checkOutput(dir: string, name: string): Promise<{ code: number; out: string }> {
      const folder = join(dir, `check-${Date.now()}`);
      mkdirSync(folder);
      for (const entry of checkpoints(dir, name)) {
        const cp = entry.checkpoint.name as string;
        writeFileSync(join(folder, `${cp}.xml`), virshOk('checkpoint-dumpxml', name, cp));
      }
      const vm = target(name);
      writeFileSync(
        join(folder, 'images.json'),
        vm.disks.map((d) => imageInfo(d.source as string)).join(''),
      );
      const vmFile = join(dir, `${name}.dumpxml`);
      writeFileSync(vmFile, virshOk('dumpxml', name));
      const r = await runMain('check', '--target-vm', vmFile, folder);
      return { code: r.code, out: r.out };
    }

    const disagreements = (round: string, evidence?: Evidence) =>
      figures.filter(
        (f) => f.round === round && !f.agree && (evidence === undefined || f.evidence === evidence),
      );

    it('round 1: a chain of 6 checkpoints over 2 disks across two external snapshots; a bitmap removed, a gap, one missing from the top, two disabled, a stray bitmap', async () => {
      const { dir, name } = guest('chain');
      const vda = createImage(join(dir, 'vda.qcow2'));
      const vdbBase = createImage(join(dir, 'vdb.base.qcow2'));
      const vdbMid = join(dir, 'vdb.mid.qcow2');
      const vdbTop = join(dir, 'vdb.qcow2');
      const disks: GuestDisk[] = [
        { target: 'vda', source: vda },
        { target: 'vdb', source: vdbBase },
      ];
      defineGuest(dir, name, disks);
      virshOk('start', name);
      const snapshot = (file: string) =>
        virshOk(
          'snapshot-create-as',
          name,
          '--disk-only',
          '--no-metadata',
          '--diskspec',
          'vda,snapshot=no',
          '--diskspec',
          `vdb,file=${file}`,
        );
      virshOk('checkpoint-create-as', name, 'bk.1');
      virshOk('checkpoint-create-as', name, 'bk.2');
      snapshot(vdbMid);
      virshOk('checkpoint-create-as', name, 'bk.3');
      snapshot(vdbTop);
      for (const cp of ['bk.4', 'bk.5', 'bk.6']) virshOk('checkpoint-create-as', name, cp);
      virshOk('destroy', name);
      // What libvirt made: every bitmap in the top image, the older ones in the layers below.
      expect(bitmapNames(vdbTop).sort()).toEqual(['bk.1', 'bk.2', 'bk.3', 'bk.4', 'bk.5', 'bk.6']);
      expect(bitmapNames(vdbMid).sort()).toEqual(['bk.1', 'bk.2', 'bk.3']);
      expect(bitmapNames(vdbBase).sort()).toEqual(['bk.1', 'bk.2']);

      // The faults, the VM shut off.
      for (const image of [vdbTop, vdbMid, vdbBase])
        qemuImg('bitmap', '--remove', '-f', 'qcow2', image, 'bk.1');
      qemuImg('bitmap', '--remove', '-f', 'qcow2', vdbMid, 'bk.2');
      qemuImg('bitmap', '--remove', '-f', 'qcow2', vdbTop, 'bk.3');
      qemuImg('bitmap', '--disable', '-f', 'qcow2', vda, 'bk.4');
      qemuImg('bitmap', '--disable', '-f', 'qcow2', vdbTop, 'bk.6');
      addBitmap(vda, 'stray.1');
      // bk.5 of vda made again with 128 KiB granularity: libvirt's rule does not look at it.
      qemuImg('bitmap', '--remove', '-f', 'qcow2', vda, 'bk.5');
      addBitmap(vda, 'bk.5', { granularity: '128K' });

      const shutOff = ours(dir, name, 'qemu-img');
      expect(rows(shutOff)).toEqual([
        'bk.1: vda ok, vdb missing',
        'bk.2: vda ok, vdb gap (vdb.mid.qcow2)',
        'bk.3: vda ok, vdb missing',
        'bk.4: vda disabled, vdb ok',
        'bk.5: vda ok, vdb ok',
        'bk.6: vda ok, vdb disabled',
      ]);
      expect(
        shutOff.disks[0]?.layers[0]?.bitmaps.map((b) => `${b.name} ${b.granularity}`).sort(),
      ).toEqual([
        'bk.1 65536',
        'bk.2 65536',
        'bk.3 65536',
        'bk.4 65536',
        'bk.5 131072',
        'bk.6 65536',
        'stray.1 65536',
      ]);
      expect(backupReadiness(shutOff).lines).toEqual([
        'vda: incremental since bk.6',
        'vdb: incremental since bk.5',
        `${name}: incremental since bk.5`,
      ]);
      expect(shutOff.orphans.map((o) => `${o.disk} ${o.bitmap.name}`)).toEqual(['vda stray.1']);

      virshOk('start', name);
      const libvirt = await askLibvirt(dir, name);
      compare('chain', shutOff, libvirt);
      compare('chain', ours(dir, name, 'qmp'), libvirt);
      compare('chain', ours(dir, name, 'qemu-img -U'), libvirt);
      // libvirt's word on the stray bitmap: no checkpoint of its name can be made.
      const stray = virsh('checkpoint-create-as', name, 'stray.1');
      figures.push({
        round: 'chain',
        kind: 'stray bitmap',
        what: 'checkpoint-create-as stray.1',
        ours: 'bitmap without checkpoint',
        libvirt: answer(stray),
        agree: !stray.ok && /Bitmap already exists: stray\.1/.test(stray.error),
      });
      virshOk('destroy', name);

      // The repair, for real; then libvirt accepts an incremental backup from what is left.
      const check = await checkOutput(dir, name);
      // An incremental backup can run, but check found errors (the gap, the bitmaps disabled).
      expect(check.code).toBe(1);
      const script = repairScript(shutOff);
      console.log(`round 1: check prints\n${check.out}\nround 1: the repair script\n${script}`);
      runRepair(dir, script);
      const repaired = ours(dir, name, 'qemu-img');
      expect(rows(repaired)).toEqual(['bk.5: vda ok, vdb ok']);
      expect(repaired.problems).toEqual([]);
      expect(backupReadiness(repaired).lines).toEqual([
        'vda: incremental since bk.5',
        'vdb: incremental since bk.5',
        `${name}: incremental since bk.5`,
      ]);
      virshOk('start', name);
      const after = await askLibvirt(dir, name);
      compare('chain, repaired', repaired, after);
      const again = virsh('checkpoint-create-as', name, 'stray.1');
      figures.push({
        round: 'chain, repaired',
        kind: 'stray bitmap',
        what: 'checkpoint-create-as stray.1',
        ours: 'no stray bitmap',
        libvirt: answer(again),
        agree: again.ok,
      });
      virshOk('destroy', name);

      expect(disagreements('chain')).toEqual([]);
      expect(disagreements('chain, repaired')).toEqual([]);
    }, 600_000);

    it('round 2: a crash leaves vdb’s bitmaps in-use (qemu-io, kill -9); the repair deletes the chain but bk.5, vda’s only incremental, and a full backup starts a new one', async () => {
      const { dir, name } = guest('crash');
      const vda = createImage(join(dir, 'vda.qcow2'));
      const vdb = createImage(join(dir, 'vdb.qcow2'));
      defineGuest(dir, name, [
        { target: 'vda', source: vda },
        { target: 'vdb', source: vdb },
      ]);
      virshOk('start', name);
      const names = ['bk.1', 'bk.2', 'bk.3', 'bk.4', 'bk.5'];
      for (const cp of names) virshOk('checkpoint-create-as', name, cp);
      virshOk('destroy', name);
      await crashWhileWriting(vdb);

      const shutOff = ours(dir, name, 'qemu-img');
      expect(rows(shutOff)).toEqual(names.map((n) => `${n}: vda ok, vdb in-use`));
      expect(backupReadiness(shutOff).lines).toEqual([
        'vda: incremental since bk.5',
        'vdb: full backup needed: bitmap bk.5 is in-use (inconsistent) in vdb.qcow2',
        `${name}: full backup needed: vdb has no valid bitmap`,
      ]);

      virshOk('start', name);
      const libvirt = await askLibvirt(dir, name);
      compare('crash', shutOff, libvirt);
      compare('crash', ours(dir, name, 'qmp'), libvirt);
      // -U of a running VM cannot tell a bitmap a crash left in-use from one QEMU holds now:
      // the editor says unknown (issue 22), and QMP tells them apart.
      const blind = ours(dir, name, 'qemu-img -U');
      expect(rows(blind)).toEqual(names.map((n) => `${n}: vda unknown, vdb unknown`));
      compare('crash, -U blind spot', blind, libvirt);
      virshOk('destroy', name);

      const check = await checkOutput(dir, name);
      expect(check.code).toBe(1);
      console.log(`round 2: check prints\n${check.out}`);
      // bk.5 is the base of vda's incremental, and no checkpoint valid on both disks stays: kept.
      runRepair(dir, repairScript(shutOff));
      expect(bitmapNames(vda)).toEqual(['bk.5']);
      expect(bitmapNames(vdb)).toEqual(['bk.5']);
      const repaired = ours(dir, name, 'qemu-img');
      expect(rows(repaired)).toEqual(['bk.5: vda ok, vdb in-use']);
      expect(backupReadiness(repaired).lines[0]).toBe('vda: incremental since bk.5');
      virshOk('start', name);
      const full = await fullBackupWithCheckpoint(dir, name, 'bk.full', DISKS);
      expect(full).toMatchObject({ ok: true });
      const live = ours(dir, name, 'qmp');
      expect(rows(live)).toEqual(['bk.5: vda ok, vdb in-use', 'bk.full: vda ok, vdb ok']);
      expect(backupReadiness(live).vm.line).toBe(`${name}: incremental since bk.full`);
      compare('crash, repaired', live, await askLibvirt(dir, name));
      virshOk('destroy', name);

      expect(disagreements('crash')).toEqual([]);
      expect(disagreements('crash, repaired')).toEqual([]);
      // What -U cannot see is said unknown, never a wrong ok (it was, before issue 22).
      expect(disagreements('crash, -U blind spot')).toEqual([]);
      expect(figures.filter((f) => f.round === 'crash, -U blind spot' && f.unknown)).toHaveLength(
        names.length * DISKS.length,
      );
    }, 600_000);

    it('round 3: images that cannot hold bitmaps — raw, qcow2 compat 0.10, corrupt', async () => {
      const { dir, name } = guest('formats');
      const vda = createImage(join(dir, 'vda.qcow2'));
      const vdb = createImage(join(dir, 'vdb.img'), { format: 'raw' });
      const vdc = createImage(join(dir, 'vdc.qcow2'), { compat: '0.10' });
      defineGuest(dir, name, [
        { target: 'vda', source: vda },
        { target: 'vdb', source: vdb, format: 'raw' },
        { target: 'vdc', source: vdc },
      ]);
      virshOk('start', name);
      const image = (what: string, ours: string, run: Run, agree: boolean) =>
        figures.push({ round: 'formats', kind: 'image', what, ours, libvirt: answer(run), agree });
      const all = virsh('checkpoint-create-as', name, 'bk.1');
      image(
        'a checkpoint with a bitmap on the raw vdb',
        'vdb.img is raw: it cannot hold bitmaps',
        all,
        !all.ok && /unsupported for storage type raw/.test(all.error),
      );
      // Named disks only: libvirt gives every disk a --diskspec leaves out checkpoint='no'.
      const spec = (vdcToo: boolean) => [
        '--diskspec',
        'vda,checkpoint=bitmap',
        '--diskspec',
        'vdb,checkpoint=no',
        '--diskspec',
        `vdc,checkpoint=${vdcToo ? 'bitmap' : 'no'}`,
      ];
      const v2 = virsh('checkpoint-create-as', name, 'bk.1', ...spec(true));
      image(
        'a checkpoint with a bitmap on the compat 0.10 vdc',
        'vdc.qcow2 is qcow2 compat 0.10: it cannot hold bitmaps',
        v2,
        !v2.ok && /Cannot store dirty bitmaps in qcow2 v2 files/.test(v2.error),
      );
      virshOk('checkpoint-create-as', name, 'bk.1', ...spec(false));
      virshOk('destroy', name);
      const vm = target(name);
      const report = bitmapVerdicts(
        checkpoints(dir, name),
        matchImages(vm.disks, [
          read([vda, vdb, vdc].map((i) => imageInfo(i)).join(''), 'images.json'),
        ]),
        { vm: name },
      );
      expect(rows(report)).toEqual(['bk.1: vda ok, vdb no, vdc no']);
      expect(backupReadiness(report).lines).toEqual([
        'vda: incremental since bk.1',
        'vdb: vdb.img is raw, and no checkpoint keeps a bitmap on it: every backup of it is full',
        'vdc: vdc.qcow2 is qcow2 compat 0.10, and no checkpoint keeps a bitmap on it: every backup of it is full',
        `${name}: incremental since bk.1`,
      ]);
      virshOk('start', name);
      const vdaOnly = await incrementalBackup(dir, name, 'bk.1', ['vda', 'vdb', 'vdc'], ['vda']);
      image('incremental from bk.1 of the disks it keeps', 'possible', vdaOnly, vdaOnly.ok);
      const withRaw = await incrementalBackup(
        dir,
        name,
        'bk.1',
        ['vda', 'vdb', 'vdc'],
        ['vda', 'vdb'],
      );
      image(
        'incremental from bk.1 of the raw vdb too',
        "vdb: checkpoint='no', every backup of it is full",
        withRaw,
        !withRaw.ok && withRaw.error === inconsistent('bk.1', 'vdb'),
      );
      virshOk('destroy', name);
      markCorrupt(vda);
      const corrupt = bitmapVerdicts(
        checkpoints(dir, name),
        matchImages(vm.disks, [read(imageInfo(vda), 'vda.json')]),
        { vm: name },
      );
      expect(corrupt.problems.map((p) => p.code)).toContain('image-corrupt');
      const start = virsh('start', name);
      image(
        'starting the VM on the corrupt vda',
        'vda.qcow2 is marked corrupt: QEMU opens it read-only at most',
        start,
        !start.ok && /Image is corrupt; cannot be opened read\/write/.test(start.error),
      );
      expect(disagreements('formats')).toEqual([]);
    }, 600_000);
  });
}

/** The figures for the closing note: how many questions, how many answers agree, by kind. */
function printFigures(figures: readonly Comparison[]): void {
  const lines = ['libvirt host differential (libvirt 9.0, QEMU 7.2, TCG):'];
  const groups = new Map<string, Comparison[]>();
  for (const f of figures) {
    const key = `${f.round} | ${f.kind}${f.evidence ? ` | ${f.evidence}` : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const [key, list] of groups) {
    const unknown = list.filter((f) => f.unknown).length;
    lines.push(
      `  ${key}: ${list.length} compared, ${list.filter((f) => f.agree && !f.unknown).length} agree${unknown ? `, ${unknown} unknown (no verdict)` : ''}`,
    );
  }
  const blind = figures.filter((f) => f.round.includes('blind spot'));
  const rest = figures.filter((f) => !f.round.includes('blind spot'));
  lines.push(
    `  total: ${rest.length} compared, ${rest.filter((f) => f.agree && !f.unknown).length} agree, ${rest.filter((f) => f.unknown).length} unknown` +
      ` (and ${blind.length} through -U on a crashed image: ${blind.filter((f) => f.unknown).length} unknown, ${blind.filter((f) => !f.agree).length} wrong)`,
  );
  for (const f of figures.filter((x) => !x.agree && !x.round.includes('blind spot'))) {
    lines.push(`  DISAGREE ${f.round} ${f.kind} ${f.what}: ours ${f.ours}; libvirt ${f.libvirt}`);
  }
  console.log(lines.join('\n'));
}
