import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { ForestEntry, ImageInfo, TargetDomain } from '../../src/core/index.ts';
import {
  aboutBytes,
  backupReadiness,
  backupVm,
  backupXml,
  bitmapVerdicts,
  matchImages,
  parseCheckpoint,
  readImageInfo,
  readTargetDomain,
  repairScript,
  STALE,
} from '../../src/core/index.ts';
import type { VmDisk } from '../images/scenario.ts';
import { checkpointXml, domainXml } from '../images/scenario.ts';

const IMG = '/var/lib/libvirt/images';

/** A checkpoint chain as libvirt dumps it, every disk keeping a bitmap unless `bitmapsOf` says. */
function chain(
  disks: readonly VmDisk[],
  names: readonly string[],
  bitmapsOf: (name: string) => readonly string[] = () => disks.map((d) => d.target),
  vm = 'web01',
): ForestEntry[] {
  return names.map((name, i) => {
    const parsed = parseCheckpoint(
      checkpointXml(vm, disks, name, i + 1, names[i - 1], bitmapsOf(name)),
    );
    if (!parsed.ok) throw new Error(parsed.problems[0]?.message);
    return { file: `${name}.xml`, checkpoint: parsed.value };
  });
}

interface Layer {
  file: string;
  backing?: string;
  bitmaps?: readonly string[];
  flags?: Record<string, readonly string[]>;
  format?: string;
}

/** `qemu-img info --output=json --backing-chain` of a chain, top first, as qemu-img prints it. */
function qemuImg(layers: readonly Layer[], file = 'images.json'): ImageInfo {
  const text = JSON.stringify(
    layers.map((l) => ({
      filename: l.file,
      format: l.format ?? 'qcow2',
      ...(l.backing ? { 'backing-filename': l.backing, 'full-backing-filename': l.backing } : {}),
      'format-specific': {
        type: l.format ?? 'qcow2',
        data: {
          compat: '1.1',
          corrupt: false,
          bitmaps: (l.bitmaps ?? []).map((name) => ({
            name,
            flags: l.flags?.[name] ?? ['auto'],
            granularity: 65536,
          })),
        },
      },
    })),
    null,
    2,
  );
  const read = readImageInfo(text, file);
  if (!read.ok) throw new Error(read.problems[0]?.message);
  return read.value;
}

/** Each image's own `qemu-img info --output=json`, one output after another. */
function qemuImgEach(layers: readonly Layer[]): ImageInfo[] {
  return layers.map((l, i) => qemuImg([l], `image-${i}.json`));
}

/** QMP query-named-block-nodes of a running VM: one format node per image, bitmaps with `count`. */
function qmp(nodes: readonly { file: string; backing?: string; counts: Record<string, number> }[]) {
  const text = JSON.stringify({
    return: nodes.map((n, i) => ({
      'node-name': `libvirt-${i + 1}-format`,
      drv: 'qcow2',
      file: n.file,
      ...(n.backing ? { backing_file: n.backing } : {}),
      image: { filename: n.file, format: 'qcow2' },
      'dirty-bitmaps': Object.entries(n.counts).map(([name, count]) => ({
        name,
        recording: true,
        persistent: true,
        busy: false,
        granularity: 65536,
        count,
      })),
    })),
  });
  const read = readImageInfo(text, 'qmp.json');
  if (!read.ok) throw new Error(read.problems[0]?.message);
  return read.value;
}

function target(disks: readonly VmDisk[], vm = 'web01'): TargetDomain {
  const read = readTargetDomain(domainXml(vm, disks));
  if (!read.ok) throw new Error(read.problems[0]?.message);
  return read.value;
}

function judge(
  entries: ForestEntry[],
  images: ImageInfo[],
  options: { running?: boolean; target?: TargetDomain; defined?: ReadonlySet<string> } = {},
) {
  const vm = backupVm(entries, options.target);
  const report = bitmapVerdicts(entries, matchImages(vm.disks, images), {
    running: options.running ?? false,
    currentDefinition: options.target !== undefined,
    ...(options.defined ? { defined: options.defined } : {}),
    ...(vm.name ? { vm: vm.name } : {}),
  });
  const readiness = backupReadiness(report);
  return {
    report,
    readiness,
    rows: [...report.rows, ...report.notDefined].map(
      (r) => `${r.checkpoint}: ${r.cells.map((c) => `${c.disk} ${c.text}`).join(', ')}`,
    ),
    codes: report.problems.map((p) => p.code),
    lines: readiness.lines,
  };
}

const DISKS: VmDisk[] = [
  { target: 'vda', source: `${IMG}/web01-vda.qcow2` },
  { target: 'vdb', source: `${IMG}/web01-vdb.qcow2` },
];
const NAMES = ['bk.1', 'bk.2'];

describe('an overlay added under both disks, the VM redefined onto it (issue 22)', () => {
  // The checkpoints' <domain> still names the old images; the JSON holds each overlay's chain.
  const overlays: VmDisk[] = DISKS.map((d) => ({
    ...d,
    source: d.source.replace('.qcow2', '.ov'),
  }));
  const images = overlays.map((o, i) =>
    qemuImg(
      [
        { file: o.source, backing: DISKS[i]?.source as string },
        { file: DISKS[i]?.source as string, bitmaps: NAMES },
      ],
      `${o.target}.json`,
    ),
  );

  it('without the VM definition: unknown, never "incremental since", and no repair', () => {
    const r = judge(chain(DISKS, NAMES), images);
    expect(r.rows).toEqual(['bk.1: vda unknown, vdb unknown', 'bk.2: vda unknown, vdb unknown']);
    const why = (disk: string) =>
      `load the VM's definition: web01-${disk}.ov lies above web01-${disk}.qcow2 in the loaded images, so web01-${disk}.qcow2 may not be ${disk}'s top image`;
    expect(r.lines).toEqual([
      `vda: unknown: ${why('vda')}`,
      `vdb: unknown: ${why('vdb')}`,
      `web01: unknown on vda and vdb`,
    ]);
    expect(r.readiness.ready).toBe(false);
    expect(r.codes).toEqual([
      'image-not-top',
      'image-not-top',
      'image-unmatched',
      'image-unmatched',
    ]);
    expect(backupXml(r.report, r.readiness, { now: 1700000000 })).toBeUndefined();
    expect(repairScript(r.report)).not.toMatch(/checkpoint-delete|qemu-img bitmap/);
  });

  it('with it: the overlay is the top, and its bitmaps are missing there, as libvirt says', () => {
    const r = judge(chain(DISKS, NAMES), images, { target: target(overlays) });
    expect(r.rows).toEqual(['bk.1: vda missing, vdb missing', 'bk.2: vda missing, vdb missing']);
    expect(r.lines).toEqual([
      'vda: full backup needed: bitmap bk.2 is missing from the top image web01-vda.ov (it is in web01-vda.qcow2)',
      'vdb: full backup needed: bitmap bk.2 is missing from the top image web01-vdb.ov (it is in web01-vdb.qcow2)',
      'web01: full backup needed: vda and vdb have no valid bitmap',
    ]);
  });

  it('with no newer layer loaded above it, the image the checkpoint names is taken as before', () => {
    const r = judge(
      chain(DISKS, NAMES),
      qemuImgEach(DISKS.map((d) => ({ file: d.source, bitmaps: NAMES }))),
    );
    expect(r.lines).toEqual([
      'vda: incremental since bk.2',
      'vdb: incremental since bk.2',
      'web01: incremental since bk.2',
    ]);
  });
});

describe('a running VM read with qemu-img info -U', () => {
  it('a checkpoint made since start (no bitmap in the file yet) is unknown, not metadata without bitmap', () => {
    const images = qemuImgEach(DISKS.map((d) => ({ file: d.source, bitmaps: ['bk.1'] })));
    const r = judge(chain(DISKS, NAMES), images, { running: true, target: target(DISKS) });
    expect(r.rows).toEqual(['bk.1: vda unknown, vdb unknown', 'bk.2: vda unknown, vdb unknown']);
    expect(r.codes).toEqual(['image-data-stale', 'image-data-stale']);
    expect(r.codes).not.toContain('bitmap-metadata-only');
    expect(r.report.rows[1]?.cells.map((c) => c.unproven)).toEqual([STALE, STALE]);
    expect(r.lines.at(-1)).toBe(
      'web01: unknown (VM running: image data are from its last shutdown; collect with QMP)',
    );
    // The repair script of the issue deleted bk.2 here: now nothing is built from such data.
    expect(repairScript(r.report)).not.toMatch(/checkpoint-delete|qemu-img bitmap/);
  });

  it('a stray bitmap in the file is not called one: it may be a checkpoint’s deleted since start', () => {
    const images = qemuImgEach(DISKS.map((d) => ({ file: d.source, bitmaps: ['bk.1', 'old'] })));
    const r = judge(chain(DISKS, ['bk.1']), images, { running: true, target: target(DISKS) });
    expect(r.report.orphans.map((o) => `${o.disk} ${o.bitmap.name} ${o.unproven}`)).toEqual([
      `vda old ${STALE}`,
      `vdb old ${STALE}`,
    ]);
    expect(r.codes).not.toContain('bitmap-without-checkpoint');
    expect(repairScript(r.report)).not.toMatch(/qemu-img bitmap/);
  });

  it('what the read-only layers below show still stands: a gap there is a gap', () => {
    const vda = DISKS[0] as VmDisk;
    const mid = `${IMG}/web01-vda.mid.qcow2`;
    const base = `${IMG}/web01-vda.base.qcow2`;
    const images = [
      qemuImg([
        {
          file: vda.source,
          backing: mid,
          bitmaps: ['bk.1'],
          flags: { 'bk.1': ['in-use', 'auto'] },
        },
        { file: mid, backing: base },
        { file: base, bitmaps: ['bk.1'] },
      ]),
    ];
    const r = judge(chain([vda], ['bk.1']), images, { running: true, target: target([vda]) });
    expect(r.rows).toEqual(['bk.1: vda gap (web01-vda.mid.qcow2)']);
    expect(r.lines[0]).toBe(
      'vda: full backup needed: bitmap bk.1 has a gap: missing from web01-vda.mid.qcow2 between web01-vda.qcow2 and web01-vda.base.qcow2',
    );
  });

  it('QMP is live: the same data from QMP are judged, with what each incremental copies', () => {
    const r = judge(
      chain(DISKS, NAMES),
      [
        qmp([
          { file: DISKS[0]?.source as string, counts: { 'bk.1': 2 ** 31, 'bk.2': 1288490188 } },
          { file: DISKS[1]?.source as string, counts: { 'bk.1': 5 * 2 ** 20, 'bk.2': 65536 } },
        ]),
      ],
      { running: true, target: target(DISKS) },
    );
    expect(r.rows).toEqual(['bk.1: vda ok, vdb ok', 'bk.2: vda ok, vdb ok']);
    expect(r.report.rows.map((row) => row.cells.map((c) => c.changed))).toEqual([
      [2 ** 31, 5 * 2 ** 20],
      [1288490188, 65536],
    ]);
    expect(r.lines).toEqual([
      'vda: incremental since bk.2 (≈ 1.2 GiB changed)',
      'vdb: incremental since bk.2 (≈ 64 KiB changed)',
      'web01: incremental since bk.2',
    ]);
  });
});

describe('undefined and defined again: the bitmaps in the images, libvirt knows no checkpoint', () => {
  const images = qemuImgEach(DISKS.map((d) => ({ file: d.source, bitmaps: NAMES })));

  it('with the checkpoints’ XML at hand: redefine them, no stray bitmap', () => {
    const r = judge(chain(DISKS, NAMES), images, { target: target(DISKS), defined: new Set() });
    expect(r.report.rows).toEqual([]);
    expect(r.report.redefine).toEqual(['bk.1', 'bk.2']);
    expect(r.report.orphans).toEqual([]);
    expect(r.codes).toEqual(['checkpoint-not-defined', 'checkpoint-not-defined']);
    expect(r.report.problems[1]?.message).toBe(
      "checkpoint bk.2 is not in libvirt's list of web01's checkpoints, but its bitmap is in the images of vda, vdb: redefine it (the redefine script, virsh checkpoint-create --redefine) rather than removing its bitmaps",
    );
    expect(r.lines).toEqual([
      'vda: once the checkpoints are redefined, incremental since bk.2',
      'vdb: once the checkpoints are redefined, incremental since bk.2',
      'web01: redefine these checkpoints (the redefine script): libvirt knows none of bk.1 and bk.2, whose bitmaps are in the images',
    ]);
    expect(r.readiness.ready).toBe(false);
    expect(repairScript(r.report)).not.toMatch(/checkpoint-delete|qemu-img bitmap/);
  });

  it('without them: the bitmaps are strays, as libvirt says (a checkpoint of that name cannot be made)', () => {
    const r = judge([], images, { target: target(DISKS), defined: new Set() });
    expect(r.report.orphans.map((o) => `${o.disk} ${o.bitmap.name}`)).toEqual([
      'vda bk.1',
      'vda bk.2',
      'vdb bk.1',
      'vdb bk.2',
    ]);
  });

  it('libvirt knows some: those count, the others are to be redefined', () => {
    const r = judge(chain(DISKS, NAMES), images, {
      target: target(DISKS),
      defined: new Set(['bk.1']),
    });
    expect(r.lines).toEqual([
      'vda: incremental since bk.1',
      'vdb: incremental since bk.1',
      'web01: incremental since bk.1',
      "web01: redefine bk.2 (the redefine script): libvirt's list lacks them, their bitmaps are in the images",
    ]);
  });
});

describe('per-disk incremental: one backup job', () => {
  const vdc: VmDisk = { target: 'vdc', source: `${IMG}/web01-vdc.img`, type: 'raw' };
  const disks = [...DISKS, vdc];
  // vda's bk.1 and vdb's bk.2 disabled (qemu-img bitmap --disable): no checkpoint is valid on both.
  const entries = chain(disks, ['bk.1', 'bk.2'], () => ['vda', 'vdb']);
  const images = qemuImgEach([
    { file: DISKS[0]?.source as string, bitmaps: ['bk.1', 'bk.2'], flags: { 'bk.1': [] } },
    { file: DISKS[1]?.source as string, bitmaps: ['bk.1', 'bk.2'], flags: { 'bk.2': [] } },
    { file: vdc.source, format: 'raw' },
  ]);
  const r = judge(entries, images, { target: target(disks) });
  const xml = backupXml(r.report, r.readiness, { now: 1700000000 }) as string;

  it('says the job, each disk from its own checkpoint, a disk without bitmaps full', () => {
    expect(r.rows).toEqual([
      'bk.1: vda disabled, vdb ok, vdc no',
      'bk.2: vda ok, vdb disabled, vdc no',
    ]);
    expect(r.lines).toEqual([
      'vda: incremental since bk.2',
      'vdb: incremental since bk.1',
      'vdc: web01-vdc.img is raw, and no checkpoint keeps a bitmap on it: every backup of it is full',
      'web01: one backup job: vda incremental since bk.2, vdb since bk.1',
    ]);
    expect(r.readiness.ready).toBe(true);
    expect(xml).toBe(`<domainbackup mode='push'>
  <disks>
    <disk name='vda' backup='yes' type='file' backupmode='incremental' incremental='bk.2'>
      <target file='${IMG}/web01-vda.qcow2.1700000000'/>
      <driver type='qcow2'/>
    </disk>
    <disk name='vdb' backup='yes' type='file' backupmode='incremental' incremental='bk.1'>
      <target file='${IMG}/web01-vdb.qcow2.1700000000'/>
      <driver type='qcow2'/>
    </disk>
    <disk name='vdc' backup='yes' type='file' backupmode='full'>
      <target file='${IMG}/web01-vdc.img.1700000000'/>
      <driver type='qcow2'/>
    </disk>
  </disks>
</domainbackup>
`);
  });

  it('from one checkpoint valid everywhere: <incremental> once', () => {
    const one = judge(
      chain(DISKS, NAMES),
      qemuImgEach(DISKS.map((d) => ({ file: d.source, bitmaps: NAMES }))),
    );
    expect(backupXml(one.report, one.readiness, { now: 1700000000 })).toContain(
      `<domainbackup mode='push'>\n  <incremental>bk.2</incremental>\n  <disks>\n    <disk name='vda' backup='yes' type='file'>\n      <target file='${IMG}/web01-vda.qcow2.1700000000'/>`,
    );
  });

  const schemas = '/usr/share/libvirt/schemas';
  it.runIf(existsSync(join(schemas, 'domainbackup.rng')))(
    "is valid by libvirt's domainbackup.rng (real xmllint-wasm)",
    async () => {
      const files: { fileName: string; contents: string }[] = [];
      const visit = (name: string) => {
        if (files.some((f) => f.fileName === name)) return;
        const contents = readFileSync(join(schemas, name), 'utf8');
        files.push({ fileName: name, contents });
        for (const m of contents.matchAll(/<(?:include|externalRef)\s+href="([^"]+)"/g))
          visit(m[1] as string);
      };
      visit('domainbackup.rng');
      const one = judge(
        chain(DISKS, NAMES),
        qemuImgEach(DISKS.map((d) => ({ file: d.source, bitmaps: NAMES }))),
      );
      for (const text of [
        xml,
        backupXml(one.report, one.readiness, { now: 1700000000 }) as string,
      ]) {
        const result = await validateXML({
          xml: [{ fileName: 'backup.xml', contents: text }],
          schema: files[0] as { fileName: string; contents: string },
          preload: files.slice(1),
          extension: 'relaxng',
        });
        expect(result.errors).toEqual([]);
        expect(result.valid).toBe(true);
      }
      // The schema is strict enough to refuse what the issue first wrote: a push disk without type.
      const bad = await validateXML({
        xml: [
          {
            fileName: 'bad.xml',
            contents:
              "<domainbackup><disks><disk name='vda' backupmode='incremental' incremental='bk.2'/></disks></domainbackup>",
          },
        ],
        schema: files[0] as { fileName: string; contents: string },
        preload: files.slice(1),
        extension: 'relaxng',
      });
      expect(bad.valid).toBe(false);
    },
  );
});

describe('smaller wordings', () => {
  it('no checkpoint at all: a full backup with a new checkpoint makes the next one incremental', () => {
    const r = judge([], qemuImgEach(DISKS.map((d) => ({ file: d.source }))), {
      target: target(DISKS),
    });
    expect(r.lines).toEqual([
      'vda: no checkpoint yet: a full backup with a new checkpoint makes the next one incremental',
      'vdb: no checkpoint yet: a full backup with a new checkpoint makes the next one incremental',
      'web01: full backup needed: no checkpoint loaded',
    ]);
    expect(r.lines.join('\n')).not.toContain('every backup of it is full');
  });

  it("checkpoint='no' reads no; a disk the checkpoint predates reads absent", () => {
    const vdc: VmDisk = { target: 'vdc', source: `${IMG}/web01-vdc.qcow2` };
    const old = chain(DISKS, ['bk.1'], () => ['vda']);
    const now = target([...DISKS, vdc]);
    const r = judge(
      old,
      qemuImgEach([...DISKS, vdc].map((d) => ({ file: d.source, bitmaps: ['bk.1'] }))),
      {
        target: now,
      },
    );
    expect(r.rows).toEqual(['bk.1: vda ok, vdb no, vdc absent']);
    expect(r.report.rows[0]?.cells.map((c) => c.reason)).toEqual([
      undefined,
      "checkpoint bk.1 keeps no bitmap on vdb (checkpoint='no')",
      'checkpoint bk.1 does not have disk vdc (absent: the checkpoint predates it)',
    ]);
  });

  it('sizes read as an operator plans a backup window', () => {
    expect([0, 1023, 65536, 1288490188, 2 ** 31, 15 * 2 ** 40].map(aboutBytes)).toEqual([
      '0 B',
      '1023 B',
      '64 KiB',
      '1.2 GiB',
      '2 GiB',
      '15 TiB',
    ]);
  });
});
