import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ForestEntry } from '../../src/core/index.ts';
import {
  backupReadiness,
  backupVm,
  bitmapVerdicts,
  describeProblem,
  matchImages,
  parseCheckpoint,
  readImageInfo,
  readTargetDomain,
} from '../../src/core/index.ts';
import { skipWithout } from '../require.ts';
import {
  addBitmap,
  bitmapLine,
  createImage,
  haveQemuUtils,
  imageDir,
  imageInfo,
  imageLine,
  QEMU_IMG,
} from './qemu-img.ts';
import { imageInfoOf } from './scenario.ts';

const refusal = (text: string) => {
  const read = readImageInfo(text, 'x.json');
  if (read.ok) throw new Error('read');
  return read.problems.map(describeProblem);
};

describe('readImageInfo refuses what is not qemu-img info or QMP output', () => {
  it('names the file, and the line where there is one', () => {
    expect(refusal('')).toEqual([
      'x.json: empty: neither qemu-img info --output=json nor query-named-block-nodes output',
    ]);
    expect(refusal('image: vda.qcow2\nfile format: qcow2\n')).toEqual([
      "x.json:1: qemu-img info's text output, not JSON: run qemu-img info with --output=json",
    ]);
    expect(
      refusal('{\n  "filename": "a.qcow2",\n  "format": "qcow2"\n}\n{\n  "a": [1,\n}'),
    ).toEqual([
      'x.json:7: not JSON: expected a value: neither qemu-img info --output=json nor query-named-block-nodes output',
    ]);
    expect(refusal('{"filename": "a.qcow2", "format": "qcow2"}\n\n{"name": "vda"}\n')).toEqual([
      'x.json:3: neither qemu-img info --output=json nor query-named-block-nodes output',
    ]);
    expect(refusal('{"error": {"class": "GenericError", "desc": "x"}}')).toEqual([
      'x.json:1: a QMP error answer, not the answer of query-named-block-nodes',
    ]);
    expect(refusal('{"return": []}')).toEqual(['x.json:1: a QMP answer with no block nodes']);
    expect(refusal('[]')).toEqual([
      'x.json:1: neither qemu-img info --output=json nor query-named-block-nodes output',
    ]);
    expect(
      refusal(
        '{"filename": "a", "format": "qcow2", "format-specific": {"type": "qcow2", "data": {\n"bitmaps": [\n{"flags": ["auto"]}]}}}',
      ),
    ).toEqual(['x.json:3: a bitmap of qemu-img info is not an object with a name and flags']);
    expect(refusal('"a string"')).toHaveLength(1);
    expect(refusal('{"a": "\\x"}')).toEqual([
      'x.json:1: not JSON: an invalid escape in a string: neither qemu-img info --output=json nor query-named-block-nodes output',
    ]);
  });

  it('takes a name given twice as its last value, never as a prototype', () => {
    const read = readImageInfo(
      '{"filename": "a", "__proto__": {"x": 1}, "format": "raw", "format": "qcow2"}',
      'x.json',
    );
    expect(read.ok && read.value.layers[0]?.format).toBe('qcow2');
  });

  it('refuses JSON nested deeper than any output of QEMU', () => {
    expect(refusal(`${'['.repeat(300)}${']'.repeat(300)}`)).toEqual([
      'x.json:1: not JSON: nested deeper than 256 levels: neither qemu-img info --output=json nor query-named-block-nodes output',
    ]);
  });
});

describe('the live view of a running VM: QMP query-named-block-nodes (libvirt 9.0, QEMU 7.2)', () => {
  const dir = new URL('./fixtures/web02/', import.meta.url);
  const text = (name: string) => readFileSync(new URL(name, dir), 'utf8');
  const entries: ForestEntry[] = ['bk.1', 'bk.2', 'bk.3'].map((name) => {
    const parsed = parseCheckpoint(text(`${name}.xml`));
    if (!parsed.ok) throw new Error(name);
    return { file: `${name}.xml`, checkpoint: parsed.value };
  });
  const target = readTargetDomain(text('web02.xml'));
  if (!target.ok) throw new Error('web02.xml');
  const qmp = imageInfoOf(text('qmp.json'), 'qmp.json');
  const F = '/tmp/ckpt-qmp-fixture';

  it('reads the format nodes with their live bitmaps, and passes over the protocol nodes', () => {
    expect(
      qmp.layers.map((l) => [
        l.nodeName,
        l.filename,
        l.backing,
        l.line,
        l.bitmaps.map(
          (b) => `${b.name}${b.recording ? '' : ' off'}${b.inconsistent ? ' inconsistent' : ''}`,
        ),
      ]),
    ).toEqual([
      [
        'libvirt-1-format',
        `${F}/web02-vdb.qcow2`,
        `${F}/web02-vdb.base.qcow2`,
        1,
        ['bk.1 off inconsistent', 'bk.2 off inconsistent', 'bk.3 off inconsistent'],
      ],
      ['libvirt-2-format', `${F}/web02-vdb.base.qcow2`, undefined, 1, ['bk.1']],
      ['libvirt-3-format', `${F}/web02-vda.qcow2`, undefined, 1, ['bk.1', 'bk.2 off', 'bk.3']],
    ]);
  });

  it('judges by the same rule, saying the evidence is live', () => {
    const vm = backupVm(entries, target.value);
    const report = bitmapVerdicts(entries, matchImages(vm.disks, [qmp]), { vm: 'web02' });
    expect(report.disks.map((d) => [d.disk.target, d.evidence, d.layers.length])).toEqual([
      ['vda', 'qmp', 1],
      ['vdb', 'qmp', 2],
    ]);
    expect(report.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ['ok', 'in-use'],
      ['disabled', 'in-use'],
      ['ok', 'in-use'],
    ]);
    expect(report.problems.map(describeProblem)).toEqual([
      `qmp.json:1: bitmap bk.1 is inconsistent in the running VM's ${F}/web02-vdb.qcow2: QEMU found it in-use when it opened the image`,
      `qmp.json:1: bitmap bk.2 is disabled in ${F}/web02-vda.qcow2: it has not recorded writes since, so libvirt refuses it`,
      `qmp.json:1: bitmap bk.2 is inconsistent in the running VM's ${F}/web02-vdb.qcow2: QEMU found it in-use when it opened the image`,
      `qmp.json:1: bitmap bk.3 is inconsistent in the running VM's ${F}/web02-vdb.qcow2: QEMU found it in-use when it opened the image`,
    ]);
    // QMP says what QEMU holds: "the VM is running" does not excuse an inconsistent bitmap there.
    const running = bitmapVerdicts(entries, matchImages(vm.disks, [qmp]), {
      vm: 'web02',
      running: true,
    });
    expect(running.rows.map((r) => r.cells.map((c) => c.text))).toEqual(
      report.rows.map((r) => r.cells.map((c) => c.text)),
    );
    expect(backupReadiness(report).lines).toEqual([
      'vda: incremental since bk.3 (≈ 0 B changed)',
      'vdb: full backup needed: bitmap bk.3 is in-use (inconsistent) in web02-vdb.qcow2',
      'web02: full backup needed: vdb has no valid bitmap',
    ]);
  });

  it('reads virsh --pretty output the same, lines and all', () => {
    const pretty = JSON.stringify(JSON.parse(text('qmp.json')), null, 2);
    const read = imageInfoOf(pretty, 'pretty.json');
    expect(read.layers.map((l) => l.bitmaps.map((b) => b.name))).toEqual(
      qmp.layers.map((l) => l.bitmaps.map((b) => b.name)),
    );
    const lines = pretty.split('\n');
    for (const layer of read.layers) {
      expect(lines[layer.line - 1]).toBe('    {');
      for (const b of layer.bitmaps) {
        expect(lines[b.line]).toContain(`"name": "${b.name}"`);
      }
    }
  });
});

if (!skipWithout(haveQemuUtils, "qemu-img (Debian's qemu-utils)")) {
  describe('qemu-img info as operators save it (real qemu-img)', () => {
    const d = imageDir('image-info');
    afterAll(d.remove);
    const base = createImage(d.path('base.qcow2'));
    addBitmap(base, 'bk.1');
    const top = createImage(d.path('top.qcow2'), { backing: base });
    addBitmap(top, 'bk.1');
    addBitmap(top, 'bk.2');
    createImage(d.path('other.qcow2'));
    // As `cd DIR; for i in top other; do qemu-img info --output=json --backing-chain $i.qcow2; done`
    const loop = ['top.qcow2', 'other.qcow2']
      .map((image) =>
        execFileSync(QEMU_IMG, ['info', '--output=json', '--backing-chain', image], {
          cwd: d.dir,
          encoding: 'utf8',
        }),
      )
      .join('');

    it('reads several outputs one after another, each chain from its top down', () => {
      const read = imageInfoOf(loop, 'loop.json');
      expect(read.layers.map((l) => [l.filename, l.backing, l.line, l.source])).toEqual([
        // qemu-img names a backing image by the path it resolved.
        ['top.qcow2', base, imageLine(loop, 'top.qcow2'), 'qemu-img'],
        [base, undefined, imageLine(loop, base), 'qemu-img'],
        ['other.qcow2', undefined, imageLine(loop, 'other.qcow2'), 'qemu-img'],
      ]);
    });

    it('matches images named relative to where qemu-img ran by their base name', () => {
      const domain = readTargetDomain(`<domain><name>vm</name><devices>
        <disk type='file'><driver type='qcow2'/><source file='${top}'/><target dev='vda'/></disk>
        <disk type='file'><driver type='qcow2'/><source file='/elsewhere/other.qcow2'/><target dev='vdb'/></disk>
        <disk type='file'><driver type='qcow2'/><source file='${d.path('gone.qcow2')}'/><target dev='vdc'/></disk>
        </devices></domain>`);
      if (!domain.ok) throw new Error('domain');
      const match = matchImages(domain.value.disks, [imageInfoOf(loop, 'loop.json')]);
      expect(
        match.disks.map((x) => [x.disk.target, x.match, x.layers.map((l) => l.filename)]),
      ).toEqual([
        ['vda', 'base name', ['top.qcow2', base]],
        ['vdb', 'base name', ['other.qcow2']],
        ['vdc', 'none', []],
      ]);
      expect(match.unmatched).toEqual([]);
      expect(match.problems).toEqual([]);
    });

    it('says when a base name is ambiguous, an image matches no disk, a backing file is not loaded, or an image is described twice', () => {
      const elsewhere = imageDir('image-info-2');
      try {
        const twin = createImage(elsewhere.path('top.qcow2'));
        const lone = createImage(elsewhere.path('lone.qcow2'));
        const first = imageInfo(top, { chain: false });
        addBitmap(top, 'bk.3');
        const again = imageInfo(top, { chain: false });
        const json = first + imageInfo(twin) + imageInfo(lone) + again;
        const images = imageInfoOf(json, 'all.json');
        const domain = readTargetDomain(`<domain><name>vm</name><devices>
          <disk type='file'><source file='/somewhere/top.qcow2'/><target dev='vda'/></disk>
          <disk type='file'><source file='${top}'/><target dev='vdb'/></disk>
          </devices></domain>`);
        if (!domain.ok) throw new Error('domain');
        const match = matchImages(domain.value.disks, [images]);
        expect(match.disks.map((x) => [x.match, x.candidates?.map((c) => c.filename)])).toEqual([
          ['none', [top, twin]],
          ['path', undefined],
        ]);
        expect(match.disks[1]?.backingNotLoaded).toBe(base);
        const report = bitmapVerdicts([], match, {});
        const lineOf = (image: string, nth = 0) => imageLine(json, image, nth);
        expect(report.problems.map((p) => `${p.severity} ${describeProblem(p)}`)).toEqual([
          `warning all.json:${lineOf(top, 1)}: image ${top} is described again, differently (first at all.json:1); the first is used`,
          `warning all.json:${lineOf(top)}: disk vda: 2 images have the base name of its source (${top}, ${twin}): none is taken, choose one`,
          `warning all.json:${lineOf(top)}: disk vdb: the backing file ${base} of ${top} is in no loaded output, so bitmaps below it are not judged (run qemu-img info with --backing-chain)`,
          `warning all.json:${lineOf(twin)}: image ${twin} matches no disk of the VM, by path or by base name`,
          `warning all.json:${lineOf(lone)}: image ${lone} matches no disk of the VM, by path or by base name`,
          ...['bk.1', 'bk.2'].map(
            (b) =>
              `warning all.json:${bitmapLine(json, top, b)}: bitmap ${b} in ${top} (disk vdb) is kept by no loaded checkpoint (bitmap without checkpoint): a checkpoint of that name cannot be made ('Bitmap already exists'), and QEMU updates it on every write`,
          ),
        ]);
      } finally {
        elsewhere.remove();
      }
    });
  });
}
