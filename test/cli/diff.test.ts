import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runMain, STACK_TRACE } from './run-cli.ts';

// c1 … c4 and the VM definition are libvirt's own dumps (test/fixtures/compare/generate.ts).
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'compare');
const fixture = (name: string) => join(fixtures, name);
const dir = mkdtempSync(join(tmpdir(), 'diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('diff A B', () => {
  it('two checkpoints that differ: the summary in libvirt’s words, exit 1', async () => {
    const r = await runMain('diff', fixture('c1.xml'), fixture('c2.xml'));
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const c1 = fixture('c1.xml');
    const c2 = fixture('c2.xml');
    expect(r.out).toBe(
      [
        `${c1} (c1) and ${c2} (c2) differ: 10 differences`,
        'checkpoint:',
        '  name: c1 → c2',
        '  parent: (none) → c1',
        '  creationTime: 1709251200 (2024-03-01 00:00:00 UTC) → 1709345100 (2024-03-02 02:05:00 UTC)',
        '    1 day 2 h 5 min later',
        '  disk vdb: (none) → bitmap c2',
        '<domain>:',
        '  memory: 4 GiB → 8 GiB',
        '  currentMemory: 4 GiB → 8 GiB',
        '  vcpu: 2 → 4',
        '  machine: pc-q35-7.2 → pc-q35-8.0',
        '  disk vdb: (none) → qcow2 /var/lib/libvirt/images/web01-data.qcow2 on virtio',
        '  devices/interface[52:54:00:12:34:56]/source@network: default → backup',
        'note: vdb has a bitmap in c2 and none in c1: an incremental backup of vdb since c1 is impossible',
        '',
      ].join('\n'),
    );
  });

  it('a disk the second stops keeping a bitmap of: the note says so, from that side', async () => {
    const r = await runMain('diff', fixture('c2.xml'), fixture('c3.xml'));
    expect(r.code).toBe(1);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe(
      'note: vdb has a bitmap in c2 and none in c3: an incremental backup of vdb since c3 is impossible',
    );
  });

  it('the same checkpoint written otherwise (layout, quotes, units, a comment): exit 0', async () => {
    const same = write(
      'c1-again.xml',
      `<?xml version="1.0"?>\n<!-- copied -->\n${readFileSync(fixture('c1.xml'), 'utf8')
        .replace(/'/g, '"')
        .replace('<memory unit="KiB">4194304</memory>', '<memory unit="GiB">4</memory>')}`,
    );
    const r = await runMain('diff', fixture('c1.xml'), same);
    expect(r).toEqual({
      code: 0,
      out: `${fixture('c1.xml')} (c1) and ${same} (c1) are equivalent after libvirt's formatting\n`,
      err: '',
    });
  });

  it("a checkpoint's <domain> against a VM definition (virsh dumpxml)", async () => {
    const vm = fixture('vmconfig.virtnbdbackup.3.xml');
    expect((await runMain('diff', fixture('c4.xml'), vm)).code).toBe(0);
    const r = await runMain('diff', fixture('c2.xml'), vm);
    expect(r.code).toBe(1);
    expect(r.out.split('\n').slice(1)).toEqual([
      '<domain>:',
      '  disk vdb: qcow2 /var/lib/libvirt/images/web01-data.qcow2 on virtio → (none)',
      '  disk sda bus: sata → scsi',
      "  devices/controller[sata 0]: <controller index='0' type='sata'/> → (none)",
      "  devices/controller[scsi 0]: (none) → <controller index='0' type='scsi'/>",
      '',
    ]);
  });

  it('a value with a line break is quoted on its line', async () => {
    const a = write(
      'a.xml',
      '<domaincheckpoint><name>a</name><description>one\ntwo</description></domaincheckpoint>',
    );
    const b = write('b.xml', '<domaincheckpoint><name>a</name></domaincheckpoint>');
    const r = await runMain('diff', a, b);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  description: "one\\ntwo" → (none)\n');
  });

  it('usage: two files, no option; exit 2 with the usage', async () => {
    for (const args of [['diff'], ['diff', fixture('c1.xml')], ['diff', '--size', 'a', 'b']]) {
      const r = await runMain(...args);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /^error: .*\nusage: checkpoint-editor COMMAND …\n[\s\S]* {2}diff A\.xml B\.xml\n/,
      );
    }
  });

  it('a file that cannot be read as XML, or is no checkpoint, or names nothing: exit 2, one line', async () => {
    const broken = write(
      'broken.xml',
      '<domaincheckpoint><name>a</name>\n<oops></domaincheckpoint>\n',
    );
    const other = write('other.xml', '<domainsnapshot/>');
    const bare = write('bare.xml', '<domaincheckpoint><name>bare</name></domaincheckpoint>');
    const cases: [string[], RegExp][] = [
      [[broken, fixture('c1.xml')], /^error: .*broken\.xml:2: Opening and ending tag mismatch/],
      [
        [fixture('c1.xml'), other],
        /^error: .*other\.xml:1: XML error: expecting root element of 'domaincheckpoint', not 'domainsnapshot'/,
      ],
      [[join(dir, 'missing.xml'), fixture('c1.xml')], /^error: .*missing\.xml: .*ENOENT/],
      [
        [bare, fixture('vmconfig.virtnbdbackup.3.xml')],
        /^error: .*bare\.xml: the checkpoint has no <domain> to compare with a VM definition\n$/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runMain('diff', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
    }
  });

  it('the real command line, without a stack trace', async () => {
    const r = await runCli(['diff', fixture('c3.xml'), fixture('c4.xml')]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      '  disk vdb: raw /var/lib/libvirt/images/web01-data.raw on virtio → (none)\n',
    );
    expect(r.err).not.toMatch(STACK_TRACE);
  });
});
