import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { BitmapReport, ForestEntry, ImageInfo, TargetDomain } from '../../src/core/index.ts';
import {
  backupReadiness,
  backupVm,
  backupXml,
  bitmapVerdicts,
  describeProblem,
  matchImages,
  parseCheckpoint,
  readTargetDomain,
  repairScript,
  STALE,
} from '../../src/core/index.ts';
import { skipWithout } from '../require.ts';
import {
  addBitmap,
  bitmapLine,
  bitmapNames,
  crashWhileWriting,
  createImage,
  haveQemuUtils,
  imageDir,
  imageInfo,
  imageLine,
  markCorrupt,
  runRepairScript,
} from './qemu-img.ts';
import type { VmDisk } from './scenario.ts';
import { domainXml, imageInfoOf, writeChain } from './scenario.ts';

/** The VM's own definition, as `virsh dumpxml` gives it: what the editor takes as the target VM. */
function targetOf(vm: string, disks: readonly VmDisk[]): TargetDomain {
  const read = readTargetDomain(domainXml(vm, disks));
  if (!read.ok) throw new Error(read.problems[0]?.message);
  return read.value;
}

const dirs: (() => void)[] = [];
afterAll(() => dirs.forEach((remove) => remove()));

function workDir(prefix: string) {
  const d = imageDir(prefix);
  dirs.push(d.remove);
  return d;
}

/** What the page shows of a report: the cells by row, the problems as `FILE:LINE: message`. */
function judge(
  entries: ForestEntry[],
  images: ImageInfo[],
  running = false,
  target?: TargetDomain,
) {
  const vm = backupVm(entries, target);
  const report = bitmapVerdicts(entries, matchImages(vm.disks, images), {
    running,
    ...(vm.name ? { vm: vm.name } : {}),
  });
  return {
    report,
    rows: report.rows.map(
      (r) => `${r.checkpoint}: ${r.cells.map((c) => `${c.disk} ${c.text}`).join(', ')}`,
    ),
    problems: report.problems.map((p) => `${p.severity} ${describeProblem(p)}`),
    readiness: backupReadiness(report).lines,
  };
}

/** The checkpoint files left in a folder after a repair, read back. */
function checkpointsIn(dir: string): ForestEntry[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((file) => {
      const parsed = parseCheckpoint(readFileSync(`${dir}/${file}`, 'utf8'));
      if (!parsed.ok) throw new Error(file);
      return { file, checkpoint: parsed.value };
    });
}

const evidenceOf = (report: BitmapReport) => report.disks.map((d) => d.evidence);

if (!skipWithout(haveQemuUtils, "qemu-img and qemu-io (Debian's qemu-utils)")) {
  describe('a chain of 5 checkpoints over 2 disks with backing chains (real qemu-img)', () => {
    const d = workDir('bitmaps-chain');
    const p = d.path;
    // vda: a base and an overlay; bk.2 only in the base (missing from the top), bk.4 disabled,
    // bk.5 with 128 KiB granularity, an old bitmap no checkpoint keeps, and libvirt's own.
    const vdaBase = createImage(p('web01-vda.base.qcow2'));
    for (const b of ['bk.1', 'bk.2', 'old.0']) addBitmap(vdaBase, b);
    const vda = createImage(p('web01-vda.qcow2'), { backing: vdaBase });
    addBitmap(vda, 'bk.1');
    addBitmap(vda, 'bk.3');
    addBitmap(vda, 'bk.4', { disable: true });
    addBitmap(vda, 'bk.5', { granularity: '128K' });
    addBitmap(vda, 'libvirt-tmp-activewrite');
    // vdb: base, middle and top; bk.1 in the top and the base but not the middle (a gap), bk.3 in
    // no image at all (metadata without bitmap).
    const vdbBase = createImage(p('web01-vdb.base.qcow2'));
    addBitmap(vdbBase, 'bk.1');
    addBitmap(vdbBase, 'bk.2');
    const vdbMid = createImage(p('web01-vdb.mid.qcow2'), { backing: vdbBase });
    addBitmap(vdbMid, 'bk.2');
    const vdb = createImage(p('web01-vdb.qcow2'), { backing: vdbMid });
    for (const b of ['bk.1', 'bk.2', 'bk.4', 'bk.5']) addBitmap(vdb, b);
    const json = imageInfo(vda) + imageInfo(vdb);
    writeFileSync(p('images.json'), json);
    const disks: VmDisk[] = [
      { target: 'vda', source: vda },
      { target: 'vdb', source: vdb },
    ];
    const names = ['bk.1', 'bk.2', 'bk.3', 'bk.4', 'bk.5'];
    const entries = writeChain(d.dir, 'web01', disks, names);
    const judged = judge(entries, [imageInfoOf(json)]);

    it('judges every checkpoint on every disk by libvirt 9.0 rule', () => {
      expect(judged.rows).toEqual([
        'bk.1: vda ok, vdb gap (web01-vdb.mid.qcow2)',
        'bk.2: vda missing, vdb ok',
        'bk.3: vda ok, vdb missing',
        'bk.4: vda disabled, vdb ok',
        'bk.5: vda ok, vdb ok',
      ]);
      const cell = (cp: number, disk: number) => judged.report.rows[cp]?.cells[disk];
      expect(cell(0, 1)?.chain).toMatchObject({
        verdict: 'gap',
        image: { filename: vdbMid },
        above: { filename: vdb },
        below: { filename: vdbBase },
      });
      expect(cell(1, 0)?.chain).toMatchObject({
        verdict: 'missing',
        image: { filename: vda },
        below: { filename: vdaBase },
      });
      expect(cell(2, 1)?.chain).toEqual({
        verdict: 'missing',
        image: expect.objectContaining({ filename: vdb }),
      });
      expect(cell(4, 0)?.chain).toEqual({ verdict: 'ok', layers: 1 });
      expect(cell(0, 0)?.chain).toEqual({ verdict: 'ok', layers: 2 });
      expect(cell(1, 1)?.chain).toEqual({ verdict: 'ok', layers: 3 });
      expect(judged.report.disks.map((x) => [x.match, x.layers.map((l) => l.filename)])).toEqual([
        ['path', [vda, vdaBase]],
        ['path', [vdb, vdbMid, vdbBase]],
      ]);
      expect(evidenceOf(judged.report)).toEqual(['qemu-img', 'qemu-img']);
      expect(judged.report.rows.flatMap((r) => r.cells.map((c) => c.evidence))).toEqual(
        Array(10).fill('qemu-img'),
      );
    });

    it('reads the granularity as qemu-img gives it', () => {
      const top = judged.report.disks[0]?.layers[0];
      expect(top?.bitmaps.map((b) => [b.name, b.granularity, b.recording])).toEqual([
        ['bk.1', 65536, true],
        ['bk.3', 65536, true],
        ['bk.4', 65536, false],
        ['bk.5', 131072, true],
        ['libvirt-tmp-activewrite', 65536, true],
      ]);
    });

    it('lists each problem with its file and line', () => {
      expect(judged.problems).toEqual([
        `error images.json:${imageLine(json, vdbMid)}: bitmap bk.1 of checkpoint bk.1 has a gap on vdb: it is missing from ${vdbMid}, between ${vdb} and ${vdbBase}`,
        `error images.json:${imageLine(json, vda)}: bitmap bk.2 of checkpoint bk.2 is missing from vda's top image ${vda}, though ${vdaBase} below has it: libvirt's bitmap chain starts at the top image`,
        `error bk.3.xml:9: checkpoint bk.3 keeps bitmap bk.3 on disk vdb, but no image of vdb holds it (metadata without bitmap): libvirt refuses an incremental backup from bk.3, and deleting the checkpoint needs --metadata`,
        `error images.json:${bitmapLine(json, vda, 'bk.4')}: bitmap bk.4 is disabled in ${vda}: it has not recorded writes since, so libvirt refuses it`,
        `warning images.json:${bitmapLine(json, vdaBase, 'old.0')}: bitmap old.0 in ${vdaBase} (disk vda) is kept by no loaded checkpoint (bitmap without checkpoint): a checkpoint of that name cannot be made ('Bitmap already exists')`,
      ]);
    });

    it('says from which checkpoint each disk and the VM can take an incremental backup', () => {
      expect(judged.readiness).toEqual([
        'vda: incremental since bk.5',
        'vdb: incremental since bk.5',
        'web01: incremental since bk.5',
      ]);
      expect(backupReadiness(judged.report).ready).toBe(true);
    });

    const script = repairScript(judged.report);

    it('writes a repair script: each broken checkpoint deleted after its bitmaps, and the stray one removed', () => {
      const remove = (n: number, image: string, bitmap: string) =>
        `act ${n} qemu-img bitmap --remove -f qcow2 -- ${image} ${bitmap}`;
      const forget = (n: number, cp: string) =>
        `act ${n} run_virsh checkpoint-delete --domain "$DOMAIN" --checkpointname ${cp} --metadata`;
      expect(script.match(/^act .*$/gm)).toEqual([
        remove(1, vda, 'bk.1'),
        remove(2, vdaBase, 'bk.1'),
        remove(3, vdb, 'bk.1'),
        remove(4, vdbBase, 'bk.1'),
        forget(5, 'bk.1'),
        remove(6, vdaBase, 'bk.2'),
        remove(7, vdb, 'bk.2'),
        remove(8, vdbMid, 'bk.2'),
        remove(9, vdbBase, 'bk.2'),
        forget(10, 'bk.2'),
        remove(11, vda, 'bk.3'),
        forget(12, 'bk.3'),
        remove(13, vda, 'bk.4'),
        remove(14, vdb, 'bk.4'),
        forget(15, 'bk.4'),
        remove(16, vdaBase, 'old.0'),
      ]);
      // What each action relies on is checked first: the disks' images, the bitmaps as seen.
      expect(script).toContain(`\ncheck_top vda ${vda}\ncheck_top vdb ${vdb}\n`);
      expect(script).toContain(`\ncheck_bitmap 1 ${vda} bk.1 '"bk.1"' auto\n`);
      expect(script).toContain(`\ncheck_bitmap 13 ${vda} bk.4 '"bk.4"' none\n`);
      expect(script).toContain(`\ncheck_flags ${vdb} bk.3 '"bk.3"' gone\n`);
      expect(script).toContain('\nin_order 1 1 2 3 4 5\n');
      expect(script).toContain(`\ncheck_no_checkpoint old.0 '"old.0"'\n`);
      expect(script).toContain(
        "\ncheck_domain '' 'qemu-img must not write an image QEMU has open, and the plan was made from the images of the shut-off VM' 'shut off'\n",
      );
      for (const why of [
        '# 1. Why this checkpoint goes: its bitmap has a gap on a disk',
        "# 2. Why this checkpoint goes: its bitmap is missing from a disk's top image",
        '# 3. Why this checkpoint goes: it keeps a bitmap that no image of a disk holds',
        '# 4. Why this checkpoint goes: its bitmap is disabled on a disk',
        '# 5. Why: no loaded checkpoint keeps this bitmap (bitmap without checkpoint)',
      ])
        expect(script).toContain(`\n${why}`);
    });

    it('runs the repair script on the real images: the bitmaps are gone, and nothing is left to repair', () => {
      const virsh = runRepairScript(script, d.dir, d.dir, disks);
      expect(virsh).toEqual([
        ...['bk.1', 'bk.2', 'bk.3', 'bk.4'].map(
          (n) => `checkpoint-delete --domain web01 --checkpointname ${n} --metadata`,
        ),
      ]);
      expect(bitmapNames(vda)).toEqual(['bk.5', 'libvirt-tmp-activewrite']);
      expect(bitmapNames(vdaBase)).toEqual([]);
      expect(bitmapNames(vdb)).toEqual(['bk.5']);
      expect(bitmapNames(vdbMid)).toEqual([]);
      expect(bitmapNames(vdbBase)).toEqual([]);
      const after = judge(checkpointsIn(d.dir), [imageInfoOf(imageInfo(vda) + imageInfo(vdb))]);
      expect(after.rows).toEqual(['bk.5: vda ok, vdb ok']);
      expect(after.problems).toEqual([]);
      expect(after.readiness).toEqual([
        'vda: incremental since bk.5',
        'vdb: incremental since bk.5',
        'web01: incremental since bk.5',
      ]);
      expect(repairScript(after.report)).toContain(
        '# Nothing to repair: every checkpoint has a valid bitmap where it keeps one, and every bitmap is\n# kept by a checkpoint.\n',
      );
      expect(repairScript(after.report)).not.toMatch(/^act /m);
    });
  });

  describe('a crash leaves every bitmap of an image in-use (real qemu-io, kill -9)', async () => {
    const d = workDir('bitmaps-crash');
    const p = d.path;
    const names = ['bk.1', 'bk.2', 'bk.3', 'bk.4'];
    const vda = createImage(p('web01-vda.qcow2'));
    const vdb = createImage(p('web01-vdb.qcow2'));
    for (const b of names) {
      addBitmap(vda, b);
      addBitmap(vdb, b);
    }
    await crashWhileWriting(vdb);
    const disks: VmDisk[] = [
      { target: 'vda', source: vda },
      { target: 'vdb', source: vdb },
    ];
    const entries = writeChain(d.dir, 'web01', disks, names);
    const json = imageInfo(vda, { force: true }) + imageInfo(vdb, { force: true });
    const judged = judge(entries, [imageInfoOf(json)]);

    it('reads in-use from the image, and judges it as libvirt does on a shut-off VM', () => {
      expect(
        judged.report.disks[1]?.layers[0]?.bitmaps.map((b) => [b.name, b.inconsistent]),
      ).toEqual(names.map((n) => [n, true]));
      expect(judged.rows).toEqual(names.map((n) => `${n}: vda ok, vdb in-use`));
      expect(judged.problems).toEqual(
        names.map(
          (n) =>
            `error images.json:${bitmapLine(json, vdb, n)}: bitmap ${n} is in-use in ${vdb} while the VM is shut off: QEMU did not close the image (a crash or a kill), so libvirt takes it as inconsistent`,
        ),
      );
      expect(judged.readiness).toEqual([
        'vda: incremental since bk.4',
        'vdb: full backup needed: bitmap bk.4 is in-use (inconsistent) in web01-vdb.qcow2',
        'web01: full backup needed: vdb has no valid bitmap',
      ]);
      expect(backupReadiness(judged.report).ready).toBe(false);
    });

    it('says unknown when the VM is running (images read with -U): the file cannot tell a crash’s in-use from QEMU’s', () => {
      const running = judge(entries, [imageInfoOf(json)], true);
      expect(running.rows).toEqual(names.map((n) => `${n}: vda unknown, vdb unknown`));
      expect(running.report.problems.map((p) => p.code)).toEqual([
        'image-data-stale',
        'image-data-stale',
      ]);
      expect(running.problems[0]).toContain(
        `disk vda: ${vda} was read with qemu-img info -U while the VM runs: its bitmaps are as of the last shutdown`,
      );
      expect(evidenceOf(running.report)).toEqual(['qemu-img -U', 'qemu-img -U']);
      expect(running.report.rows.flatMap((r) => r.cells.map((c) => c.unproven))).toEqual(
        names.flatMap(() => [STALE, STALE]),
      );
      expect(running.readiness).toEqual([
        'vda: unknown (VM running: image data are from its last shutdown; collect with QMP)',
        'vdb: unknown (VM running: image data are from its last shutdown; collect with QMP)',
        'web01: unknown (VM running: image data are from its last shutdown; collect with QMP)',
      ]);
      // Nothing to repair is built from such data.
      expect(repairScript(running.report)).not.toMatch(/checkpoint-delete|qemu-img bitmap/);
    });

    const script = repairScript(judged.report);

    it("repairs by deleting every checkpoint but bk.4, vda's readiness base, which stays with its bitmaps", () => {
      expect(script.match(/^act .*$/gm)).toEqual(
        names
          .slice(0, -1)
          .flatMap((n, i) => [
            `act ${3 * i + 1} qemu-img bitmap --remove -f qcow2 -- ${vda} ${n}`,
            `act ${3 * i + 2} qemu-img bitmap --remove -f qcow2 -- ${vdb} ${n}`,
            `act ${3 * i + 3} run_virsh checkpoint-delete --domain "$DOMAIN" --checkpointname ${n} --metadata`,
          ]),
      );
      expect(script).toContain(
        '# 1. Why this checkpoint goes: its bitmap is in-use (inconsistent) on a disk',
      );
      // Comments read as one text, however they wrap.
      expect(script.replaceAll('\n# ', ' ')).toContain(
        'for each disk whose bitmap goes, an incremental backup of the disk from a checkpoint that stays still works, or no checkpoint stays valid on the disk, so its next backup must be full',
      );
      expect(script).toContain(
        "printf 'Kept: checkpoint %s, though libvirt refuses it on %s: %s'\\''s incremental since %s rests on it, so neither it nor its bitmaps go.\\n' bk.4 vdb vda bk.4",
      );
      const virsh = runRepairScript(script, d.dir, d.dir, disks);
      expect(virsh).toHaveLength(names.length - 1);
      expect(bitmapNames(vda)).toEqual(['bk.4']);
      expect(bitmapNames(vdb)).toEqual(['bk.4']);
      const after = judge(
        checkpointsIn(d.dir),
        [imageInfoOf(imageInfo(vda) + imageInfo(vdb))],
        false,
        targetOf('web01', disks),
      );
      expect(after.rows).toEqual(['bk.4: vda ok, vdb in-use']);
      expect(after.readiness).toEqual([
        'vda: incremental since bk.4',
        'vdb: full backup needed: bitmap bk.4 is in-use (inconsistent) in web01-vdb.qcow2',
        'web01: full backup needed: vdb has no valid bitmap',
      ]);
    });
  });

  describe('a crash before the older bitmaps were added: only the newest is in-use', async () => {
    const d = workDir('bitmaps-partial');
    const p = d.path;
    const names = ['bk.1', 'bk.2', 'bk.3', 'bk.4'];
    const vda = createImage(p('web01-vda.qcow2'));
    const vdb = createImage(p('web01-vdb.qcow2'));
    for (const b of names) addBitmap(vda, b);
    addBitmap(vdb, 'bk.4');
    await crashWhileWriting(vdb);
    for (const b of names.slice(0, 3)) addBitmap(vdb, b);
    const disks: VmDisk[] = [
      { target: 'vda', source: vda },
      { target: 'vdb', source: vdb },
    ];
    const entries = writeChain(d.dir, 'web01', disks, names);
    const judged = judge(entries, [imageInfoOf(imageInfo(vda) + imageInfo(vdb))]);

    it('gives each disk its own newest valid checkpoint, and the VM the newest valid on both', () => {
      expect(judged.rows).toEqual([
        'bk.1: vda ok, vdb ok',
        'bk.2: vda ok, vdb ok',
        'bk.3: vda ok, vdb ok',
        'bk.4: vda ok, vdb in-use',
      ]);
      expect(judged.readiness).toEqual([
        'vda: incremental since bk.4',
        'vdb: incremental since bk.3',
        'web01: incremental since bk.3',
      ]);
      const script = repairScript(judged.report);
      expect(script.match(/^act .*$/gm)).toEqual([
        `act 1 qemu-img bitmap --remove -f qcow2 -- ${vda} bk.4`,
        `act 2 qemu-img bitmap --remove -f qcow2 -- ${vdb} bk.4`,
        'act 3 run_virsh checkpoint-delete --domain "$DOMAIN" --checkpointname bk.4 --metadata',
      ]);
      // An older checkpoint stays valid on both disks: no backup has to be full, and bk.4, vda's
      // newest, is not its only incremental: it goes.
      expect(script).not.toContain('must be full');
      expect(script).not.toContain('Kept:');
    });
  });

  describe('images that cannot hold bitmaps, and a disk without an image (real qemu-img)', () => {
    const d = workDir('bitmaps-formats');
    const p = d.path;
    const vda = createImage(p('legacy-vda.qcow2'));
    addBitmap(vda, 'bk.1', { granularity: '1M' });
    addBitmap(vda, 'bk.2', { granularity: '1M' });
    const vdb = createImage(p('legacy-vdb.img'), { format: 'raw' });
    const vdc = createImage(p('legacy-vdc.qcow2'), { compat: '0.10' });
    const vdd = createImage(p('legacy-vdd.qcow2'));
    addBitmap(vdd, 'bk.1');
    addBitmap(vdd, 'bk.2');
    markCorrupt(vdd);
    const disks: VmDisk[] = [
      { target: 'vda', source: vda },
      { target: 'vdb', source: vdb, type: 'raw' },
      { target: 'vdc', source: vdc },
      { target: 'vdd', source: vdd },
      { target: 'vde', source: p('legacy-vde.qcow2') },
    ];
    const entries = writeChain(d.dir, 'legacy', disks, ['bk.1', 'bk.2'], () => [
      'vda',
      'vdc',
      'vdd',
      'vde',
    ]);
    const json = [vda, vdb, vdc, vdd].map((i) => imageInfo(i)).join('');
    const judged = judge(entries, [imageInfoOf(json)]);

    it('reads the format, compat and the corrupt flag as qemu-img gives them', () => {
      expect(
        judged.report.disks.map((x) =>
          x.layers.map((l) => [l.format, l.compat, l.corrupt, l.bitmaps.length]),
        ),
      ).toEqual([
        [['qcow2', '1.1', false, 2]],
        [['raw', undefined, false, 0]],
        [['qcow2', '0.10', false, 0]],
        [['qcow2', '1.1', true, 2]],
        [],
      ]);
      expect(judged.report.disks[0]?.layers[0]?.bitmaps[0]?.granularity).toBe(1048576);
    });

    it('judges every cell', () => {
      expect(judged.rows).toEqual([
        'bk.1: vda ok, vdb no, vdc missing, vdd missing, vde no image',
        'bk.2: vda ok, vdb no, vdc missing, vdd missing, vde no image',
      ]);
      expect(evidenceOf(judged.report)).toEqual([
        'qemu-img',
        'qemu-img',
        'qemu-img',
        'qemu-img',
        undefined,
      ]);
    });

    it('says which images cannot hold bitmaps, with the line of each', () => {
      expect(judged.problems).toEqual([
        `warning images.json:${imageLine(json, vdb)}: disk vdb: image ${vdb} is raw: it cannot hold bitmaps, so every backup of vdb is full`,
        `error images.json:${imageLine(json, vdc)}: disk vdc: image ${vdc} is qcow2 compat 0.10: it cannot hold bitmaps, so every backup of vdc is full`,
        `error images.json:${imageLine(json, vdd)}: disk vdd: image ${vdd} is marked corrupt: QEMU opens it read-only at most, and its bitmaps cannot be trusted; qemu-img check -r all repairs it (VM shut off)`,
      ]);
    });

    it('gives each disk its line, and the VM is not known without every image', () => {
      expect(judged.readiness).toEqual([
        'vda: incremental since bk.2',
        'vdb: legacy-vdb.img is raw, and no checkpoint keeps a bitmap on it: every backup of it is full',
        'vdc: full backup needed: legacy-vdc.qcow2 is qcow2 compat 0.10: it cannot hold bitmaps',
        'vdd: full backup needed: legacy-vdd.qcow2 is marked corrupt: it cannot hold bitmaps',
        'vde: no image: load its qemu-img info to judge its bitmaps',
        'legacy: not known: no image for vde',
      ]);
    });

    it('builds no step that would leave a bitmap without checkpoint: a corrupt image, a disk without its image', () => {
      const script = repairScript(judged.report);
      expect(script).not.toMatch(/^act /m);
      expect(script.match(/^printf 'Not planned: .*$/gm)).toEqual([
        "printf 'Not planned: deleting checkpoint %s: a disk'\\''s image is not loaded, so its bitmap could not go with the checkpoint: load it.\\n' bk.1",
      ]);
      // bk.2 is vda's readiness base, its only incremental: kept.
      expect(script.match(/^printf 'Kept: .*$/gm)).toEqual([
        "printf 'Kept: checkpoint %s, though libvirt refuses it on %s, %s: %s'\\''s incremental since %s rests on it, so neither it nor its bitmaps go.\\n' bk.2 vdc vdd vda bk.2",
      ]);
      expect(script).toContain(
        '\n# Disks whose image is not loaded were not judged, and are not touched.\n',
      );
    });

    it('lets the user choose the image of a disk', () => {
      const vm = backupVm(entries);
      const match = matchImages(vm.disks, [imageInfoOf(json)], { vdc: vda, vde: null });
      expect(match.disks.map((x) => [x.disk.target, x.match, x.layers[0]?.filename])).toEqual([
        ['vda', 'path', vda],
        ['vdb', 'path', vdb],
        ['vdc', 'chosen', vda],
        ['vdd', 'path', vdd],
        ['vde', 'none', undefined],
      ]);
    });
  });

  describe('two disks valid from different checkpoints only', () => {
    const d = workDir('bitmaps-apart');
    const vda = createImage(d.path('vda.qcow2'));
    const vdb = createImage(d.path('vdb.qcow2'));
    addBitmap(vda, 'bk.1');
    addBitmap(vda, 'bk.2', { disable: true });
    addBitmap(vdb, 'bk.1', { disable: true });
    addBitmap(vdb, 'bk.2');
    const disks: VmDisk[] = [
      { target: 'vda', source: vda },
      { target: 'vdb', source: vdb },
    ];
    const entries = writeChain(d.dir, 'apart', disks, ['bk.1', 'bk.2']);
    const judged = judge(entries, [imageInfoOf(imageInfo(vda) + imageInfo(vdb))]);

    it('takes one backup job, each disk incremental from its own checkpoint (libvirt 9.0)', () => {
      expect(judged.rows).toEqual(['bk.1: vda ok, vdb disabled', 'bk.2: vda disabled, vdb ok']);
      expect(judged.readiness).toEqual([
        'vda: incremental since bk.1',
        'vdb: incremental since bk.2',
        'apart: one backup job: vda incremental since bk.1, vdb since bk.2',
      ]);
      const readiness = backupReadiness(judged.report);
      expect(readiness.ready).toBe(true);
      expect(backupXml(judged.report, readiness, { now: 1700000000 }))
        .toBe(`<domainbackup mode='push'>
  <disks>
    <disk name='vda' backup='yes' type='file' backupmode='incremental' incremental='bk.1'>
      <target file='${vda}.1700000000'/>
      <driver type='qcow2'/>
    </disk>
    <disk name='vdb' backup='yes' type='file' backupmode='incremental' incremental='bk.2'>
      <target file='${vdb}.1700000000'/>
      <driver type='qcow2'/>
    </disk>
  </disks>
</domainbackup>
`);
    });
  });
}
