import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  backupVm,
  bitmapVerdicts,
  matchImages,
  parseCheckpoint,
  readImageInfo,
  repairScript,
} from '../../src/core/index.ts';
import {
  bitmapNames,
  createImage,
  imageDir,
  imageInfo,
  qemuImg,
  runRepairScript,
} from './qemu-img.ts';

const d = imageDir('repair-hostile');
// Names an operator's files may hold, and a script must pass on untouched: quotes, a command
// substitution, a leading dash, a newline, a right-to-left override.
const IMAGE = join(d.dir, "it's $(touch pwned) web01.qcow2");
const CHECKPOINT = 'bk;`id`\u202e1';
const BITMAP = '-rf\nbk';
const STRAY = "stray $HOME 'x'";
const VM = 'web01 $(reboot)';

const xmlText = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '&#10;').replace(/'/g, '&apos;');

const checkpoint = parseCheckpoint(`<domaincheckpoint>
  <name>${xmlText(CHECKPOINT)}</name>
  <creationTime>1</creationTime>
  <disks>
    <disk name='vda' checkpoint='bitmap' bitmap='${xmlText(BITMAP)}'/>
  </disks>
  <domain type='kvm'>
    <name>${xmlText(VM)}</name>
    <devices>
      <disk type='file' device='disk'>
        <driver name='qemu' type='qcow2'/>
        <source file='${xmlText(IMAGE)}'/>
        <target dev='vda' bus='virtio'/>
      </disk>
    </devices>
  </domain>
</domaincheckpoint>
`);
if (!checkpoint.ok) throw new Error(checkpoint.problems[0]?.message);
const entries = [{ file: 'hostile.xml', checkpoint: checkpoint.value }];

// The checkpoint's bitmap is disabled, and a bitmap no checkpoint keeps sits beside it.
createImage(IMAGE);
// After `--`, as the name starts with a dash.
qemuImg('bitmap', '--add', '-f', 'qcow2', '--disable', '--', IMAGE, BITMAP);
qemuImg('bitmap', '--add', '-f', 'qcow2', '--', IMAGE, STRAY);
const json = imageInfo(IMAGE);
const images = readImageInfo(json, 'images.json');
if (!images.ok) throw new Error(images.problems[0]?.message);
const vm = backupVm(entries);
const report = bitmapVerdicts(entries, matchImages(vm.disks, [images.value]), {
  ...(vm.name ? { vm: vm.name } : {}),
});
const script = repairScript(report);

describe('the repair script with names an operator did not expect', () => {
  afterAll(d.remove);

  it('judges them as any other', () => {
    expect(report.rows.map((r) => r.cells.map((c) => c.verdict))).toEqual([['disabled']]);
    expect(report.orphans.map((o) => o.bitmap.name)).toEqual([STRAY]);
  });

  it('writes no name into a comment, and no character that does not print anywhere', () => {
    const comments = script.split('\n').filter((l) => l.startsWith('#'));
    for (const name of ['pwned', 'bk;', 'rf', 'stray', 'reboot', 'web01']) {
      expect(comments.filter((l) => l.includes(name))).toEqual([]);
    }
    // eslint-disable-next-line no-control-regex
    expect(script).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  });

  it('hands every name to virsh and qemu-img exactly, whatever it holds', () => {
    const work = join(d.dir, 'work');
    mkdirSync(work);
    writeFileSync(join(work, `${CHECKPOINT}.xml`), '');
    const virsh = runRepairScript(script, work, work, [{ target: 'vda', source: IMAGE }], VM);
    expect(virsh).toEqual([
      ['checkpoint-delete', '--domain', VM, '--checkpointname', CHECKPOINT, '--metadata'].join(' '),
    ]);
    expect(bitmapNames(IMAGE)).toEqual([]);
    expect(() => readFileSync(join(work, 'pwned'))).toThrow();
    expect(() => readFileSync(join(d.dir, 'pwned'))).toThrow();
  });
});
