import { execFileSync } from 'node:child_process';
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
import { imageDir } from './qemu-img.ts';

// Names an operator's files may hold, and a script must pass on untouched: quotes, a command
// substitution, a leading dash, a newline, a right-to-left override.
const IMAGE = "/var/lib/libvirt/images/it's $(touch pwned) web01.qcow2";
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

// The checkpoint's bitmap is in-use, and a bitmap no checkpoint keeps sits beside it.
const json = JSON.stringify(
  {
    filename: IMAGE,
    format: 'qcow2',
    'format-specific': {
      type: 'qcow2',
      data: {
        compat: '1.1',
        corrupt: false,
        bitmaps: [
          { flags: ['in-use', 'auto'], name: BITMAP, granularity: 65536 },
          { flags: ['auto'], name: STRAY, granularity: 65536 },
        ],
      },
    },
  },
  null,
  4,
);
const images = readImageInfo(json, 'images.json');
if (!images.ok) throw new Error(images.problems[0]?.message);
const vm = backupVm(entries);
const report = bitmapVerdicts(entries, matchImages(vm.disks, [images.value]), {
  ...(vm.name ? { vm: vm.name } : {}),
});
const script = repairScript(report);

describe('the repair script with names an operator did not expect', () => {
  const d = imageDir('repair-hostile');
  afterAll(d.remove);

  it('judges them as any other', () => {
    expect(report.rows.map((r) => r.cells.map((c) => c.verdict))).toEqual([['in-use']]);
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
    const bin = join(d.dir, 'bin');
    mkdirSync(bin);
    const log = join(d.dir, 'argv.log');
    // Stand-ins that record each argument between NUL bytes, and say the VM is shut off.
    const recorder = (tool: string) =>
      `#!/bin/sh\nprintf '%s\\0' ${tool} "$@" >> "$ARGV_LOG"\nprintf '\\n' >> "$ARGV_LOG"\n` +
      (tool === 'virsh' ? `[ "$1" = domstate ] && printf 'shut off\\n'\nexit 0\n` : 'exit 0\n');
    writeFileSync(join(bin, 'virsh'), recorder('virsh'), { mode: 0o755 });
    writeFileSync(join(bin, 'qemu-img'), recorder('qemu-img'), { mode: 0o755 });
    writeFileSync(join(d.dir, 'repair.sh'), script);
    writeFileSync(log, '');
    execFileSync('sh', [join(d.dir, 'repair.sh')], {
      cwd: d.dir,
      env: { ...process.env, PATH: `${bin}:/usr/bin:/bin`, ARGV_LOG: log, HOME: '/nowhere' },
    });
    const calls = readFileSync(log, 'utf8')
      .split('\0\n')
      .filter(Boolean)
      .map((c) => c.split('\0'));
    expect(calls).toEqual([
      ['virsh', 'domstate', '--domain', VM],
      ['virsh', 'checkpoint-delete', '--domain', VM, '--checkpointname', CHECKPOINT, '--metadata'],
      ['qemu-img', 'bitmap', '--remove', '-f', 'qcow2', '--', IMAGE, BITMAP],
      ['qemu-img', 'bitmap', '--remove', '-f', 'qcow2', '--', IMAGE, STRAY],
    ]);
    expect(() => readFileSync(join(d.dir, 'pwned'))).toThrow();
  });
});
