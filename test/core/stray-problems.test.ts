// A bitmap no checkpoint keeps (a stray): its problem as `check --json` prints it, key for key.
import { describe, expect, it } from 'vitest';
import type { ForestEntry } from '../../src/core/index.ts';
import { backupVm, bitmapVerdicts, matchImages, parseCheckpoint } from '../../src/core/index.ts';
import type { VmDisk } from '../images/scenario.ts';
import { checkpointXml, imageInfoOf, qcow2Info } from '../images/scenario.ts';

const DISKS: VmDisk[] = [{ target: 'vda', source: '/images/vda.top.qcow2' }];

function entries(names: string[]): ForestEntry[] {
  return names.map((name, i) => {
    const parsed = parseCheckpoint(
      checkpointXml('web01', DISKS, name, i + 1, names[i - 1], ['vda']),
    );
    if (!parsed.ok) throw new Error(parsed.problems[0]?.message);
    return { file: `${name}.xml`, checkpoint: parsed.value };
  });
}

const INFO = JSON.stringify(
  [
    qcow2Info('/images/vda.top.qcow2', ['bk.1', 'stray.on', { name: 'stray.off', flags: [] }], {
      'backing-filename': '/images/vda.base.qcow2',
    }),
    qcow2Info('/images/vda.base.qcow2', ['stray.below']),
  ],
  null,
  2,
);

describe('stray bitmaps', () => {
  it('are each a warning with the JSON file and the bitmap’s line, its keys in problem()’s order', () => {
    const list = entries(['bk.1']);
    const info = imageInfoOf(INFO);
    const vm = backupVm(list);
    const report = bitmapVerdicts(list, matchImages(vm.disks, [info]), { currentDefinition: true });
    // A bitmap's line is the one its object opens on: the line before its name's.
    const lineOf = (name: string) =>
      INFO.split('\n').findIndex((l) => l.includes(`"name": "${name}"`));
    const strays = report.problems.filter((p) => p.code === 'bitmap-without-checkpoint');
    expect(strays.map((p) => JSON.stringify(p))).toEqual(
      [
        ['stray.on', '/images/vda.top.qcow2', ', and QEMU updates it on every write'],
        ['stray.off', '/images/vda.top.qcow2', ''],
        ['stray.below', '/images/vda.base.qcow2', ''],
      ].map(([name, image, tail]) =>
        JSON.stringify({
          code: 'bitmap-without-checkpoint',
          severity: 'warning',
          message: `bitmap ${name} in ${image} (disk vda) is kept by no loaded checkpoint (bitmap without checkpoint): a checkpoint of that name cannot be made ('Bitmap already exists')${tail}`,
          file: 'images.json',
          line: lineOf(name as string),
        }),
      ),
    );
    expect(report.orphans.map((o) => [o.disk, o.bitmap.name, o.unproven])).toEqual([
      ['vda', 'stray.on', undefined],
      ['vda', 'stray.off', undefined],
      ['vda', 'stray.below', undefined],
    ]);
  });

  it('of a running VM’s top image are unproven: no problem, the orphan says why', () => {
    const list = entries(['bk.1']);
    const vm = backupVm(list);
    const report = bitmapVerdicts(list, matchImages(vm.disks, [imageInfoOf(INFO)]), {
      currentDefinition: true,
      running: true,
    });
    expect(report.problems.filter((p) => p.code === 'bitmap-without-checkpoint')).toEqual([]);
    expect(report.orphans.map((o) => [o.bitmap.name, o.unproven !== undefined])).toEqual([
      ['stray.on', true],
      ['stray.off', true],
      ['stray.below', true],
    ]);
  });
});
