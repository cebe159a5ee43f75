import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { imageDir } from '../images/qemu-img.ts';
import { runMain } from './run-cli.ts';

// format, create and diff take what check and tree take: files, folders, bundles, collect.sh's
// folders (issue 23). Exit status: 0 fine, 1 libvirt would refuse (diff: they differ), 2 input
// that cannot be read or that is ambiguous, refused naming the files.

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'vms');
const BOTH = join(FIXTURES, 'vms-both');
const file = (vm: string, n: number) => join(BOTH, vm, `${vm}.${n}.xml`);

describe('format FILE…|DIR…|BUNDLE…', () => {
  const d = imageDir('many-format');
  afterAll(d.remove);

  it('a folder of two VMs: each checkpoint as format prints it alone, headed ==> FILE <==', async () => {
    const r = await runMain('format', BOTH);
    const alone = await Promise.all(
      ['db01', 'web01'].flatMap((vm) => [0, 1, 2].map((n) => runMain('format', file(vm, n)))),
    );
    const expected = ['db01', 'web01']
      .flatMap((vm) => [0, 1, 2].map((n) => file(vm, n)))
      .map((f, i) => `==> ${f} <==\n${alone[i]?.out}`)
      .join('\n');
    expect(r.out).toBe(expected);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('a VM definition among them is said and passed over; one checkpoint alone prints bare', async () => {
    const folder = d.path('one');
    mkdirSync(folder);
    writeFileSync(join(folder, 'bk.xml'), readFileSync(file('web01', 0)));
    writeFileSync(join(folder, 'domain.xml'), readFileSync(join(FIXTURES, 'domains', 'web01.xml')));
    const r = await runMain('format', folder);
    expect(r.out).toBe((await runMain('format', file('web01', 0))).out);
    expect(r.err).toBe(
      `${join(folder, 'domain.xml')}: a VM definition (<domain>), not a checkpoint: not formatted\n`,
    );
    expect(r.code).toBe(0);
  });

  it('--out-dir DIR: each written anew to DIR/VM/NAME.xml, as format prints it', async () => {
    const out = d.path('out');
    const r = await runMain('format', '--out-dir', out, BOTH);
    expect(r.code).toBe(0);
    for (const vm of ['db01', 'web01'])
      for (const n of [0, 1, 2]) {
        const to = join(out, vm, `${vm}.${n}.xml`);
        expect(r.out).toContain(`wrote ${to} (from ${file(vm, n)})\n`);
        expect(readFileSync(to, 'utf8')).toBe((await runMain('format', file(vm, n))).out);
      }
    // DIR is made by the run: one already there is never written into.
    const again = await runMain('format', '--out-dir', out, BOTH);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(new RegExp(`^error: ${out}: `));
  });

  it('two files that would be written to one path: refused naming both, nothing written', async () => {
    const folder = d.path('twice');
    mkdirSync(join(folder, 'copy'), { recursive: true });
    writeFileSync(join(folder, 'bk.1.xml'), readFileSync(file('web01', 0)));
    // Another file with the same <name>, other bytes.
    writeFileSync(
      join(folder, 'copy', 'other.xml'),
      readFileSync(file('web01', 0), 'utf8').replace(
        '<creationTime>',
        '<description>x</description>\n  <creationTime>',
      ),
    );
    const out = d.path('twice-out');
    const r = await runMain('format', '--out-dir', out, folder);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join(folder, 'bk.1.xml')} (VM web01) and`);
    expect(r.err).toContain(join(folder, 'copy', 'other.xml'));
    expect(r.err).toContain(`would both be written as ${join(out, 'web01.0.xml')}`);
    expect(existsSync(out)).toBe(false);
  });

  it('one checkpoint libvirt refuses among many: the others printed, exit 1', async () => {
    const folder = d.path('bad');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.xml'), readFileSync(file('db01', 0)));
    writeFileSync(
      join(folder, 'b.xml'),
      '<domaincheckpoint><name>x</name><bogus/></domaincheckpoint>',
    );
    const r = await runMain('format', folder);
    expect(r.out).toBe(
      `==> ${join(folder, 'a.xml')} <==\n${(await runMain('format', file('db01', 0))).out}`,
    );
    expect(r.err).toMatch(new RegExp(`^error: ${join(folder, 'b.xml')}`));
    expect(r.code).toBe(1);
  });

  it('--vm-uuid with several VMs is ambiguous: exit 2', async () => {
    const r = await runMain(
      'format',
      '--redefine',
      '--vm-uuid',
      '6d1c0b8e-2f3a-4c5d-9e7f-0a1b2c3d4e02',
      BOTH,
    );
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      "error: --vm-uuid names one VM's uuid, and the inputs hold 2 VMs (db01, web01)",
    );
  });

  it("a bundle of collect.sh's: its checkpoint, as the file", async () => {
    const work = d.path('bundle');
    mkdirSync(join(work, 'web01-checkpoints', 'checkpoints'), { recursive: true });
    writeFileSync(
      join(work, 'web01-checkpoints', 'checkpoints', 'web01.0.xml'),
      readFileSync(file('web01', 0)),
    );
    execFileSync('tar', ['-czf', 'web01-checkpoints.tar.gz', 'web01-checkpoints'], { cwd: work });
    const r = await runMain('format', join(work, 'web01-checkpoints.tar.gz'));
    expect(r.out).toBe((await runMain('format', file('web01', 0))).out);
    expect(r.code).toBe(0);
  });
});

describe('create: the request and --domain from a folder or a bundle', () => {
  const d = imageDir('many-create');
  afterAll(d.remove);
  const request = '<domaincheckpoint><name>new</name></domaincheckpoint>\n';

  it("--domain collect.sh's folder: its domain.xml is the VM", async () => {
    const folder = d.path('web01-checkpoints');
    mkdirSync(join(folder, 'checkpoints'), { recursive: true });
    writeFileSync(join(folder, 'domain.xml'), readFileSync(join(FIXTURES, 'domains', 'web01.xml')));
    writeFileSync(join(folder, 'checkpoints', 'web01.0.xml'), readFileSync(file('web01', 0)));
    writeFileSync(d.path('req.xml'), request);
    const r = await runMain('create', '--now', '5', '--domain', folder, d.path('req.xml'));
    const spelled = await runMain(
      'create',
      '--now',
      '5',
      '--domain',
      join(folder, 'domain.xml'),
      d.path('req.xml'),
    );
    expect(r.out).toBe(spelled.out);
    expect(r.out).toContain("<disk name='vda' checkpoint='bitmap' bitmap='new'/>");
    expect(r.code).toBe(0);
  });

  it('a request bundle with an entry skipped: completed, said, exit 1', async () => {
    const zip = d.path('req-checkpoints.zip');
    writeFileSync(
      zip,
      zipSync({
        'x/req.xml': strToU8(request),
        'x/../../evil.xml': strToU8(request),
      }),
    );
    const r = await runMain('create', '--now', '5', '--vm-disks', 'vda', zip);
    expect(r.out).toContain('<name>new</name>');
    expect(r.err).toBe(`error: ${zip}: x/../../evil.xml: path leaves the bundle (..), skipped\n`);
    expect(r.code).toBe(1);
  });

  it('a folder of several checkpoints is no one request: exit 2 naming them', async () => {
    const r = await runMain('create', '--now', '5', '--vm-disks', 'vda', join(BOTH, 'db01'));
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      `error: ${join(BOTH, 'db01')}: 3 checkpoints, and create completes one request: ${[0, 1, 2]
        .map((n) => `${file('db01', n)} (VM db01)`)
        .join(', ')}; name one file`,
    );
  });

  it('--domain of a folder with two VMs: exit 2 naming both definitions', async () => {
    writeFileSync(d.path('req2.xml'), request);
    const r = await runMain(
      'create',
      '--now',
      '5',
      '--domain',
      join(FIXTURES, 'domains'),
      d.path('req2.xml'),
    );
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toMatch(
      /: the definitions of 2 VMs: .*db01\.xml.*web01\.xml.*; name one file$/,
    );
  });
});

describe('diff A B FILE…|DIR…|BUNDLE…: A and B by checkpoint name or path among them', () => {
  const d = imageDir('many-diff');
  afterAll(d.remove);

  it('two names in a folder: as diff of the two files', async () => {
    const r = await runMain('diff', 'db01.0', 'db01.2', BOTH);
    expect(r).toEqual(await runMain('diff', file('db01', 0), file('db01', 2)));
    expect(r.code).toBe(1);
  });

  it('a name on two hosts is ambiguous, naming both files; a pair only one VM has is not', async () => {
    const fleet = d.path('fleet');
    for (const [host, names] of [
      ['kvm1', [0, 1, 2]],
      ['kvm2', [0, 1]],
    ] as const) {
      const folder = join(fleet, host, 'web01-checkpoints', 'checkpoints');
      mkdirSync(folder, { recursive: true });
      for (const n of names)
        writeFileSync(join(folder, `web01.${n}.xml`), readFileSync(file('web01', n)));
    }
    const at = (host: string, n: number) =>
      join(fleet, host, 'web01-checkpoints', 'checkpoints', `web01.${n}.xml`);
    const r = await runMain('diff', 'web01.0', 'web01.1', fleet);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: web01.0 is ambiguous: 2 checkpoints have it: ${at('kvm1', 0)} (VM web01 on kvm1), ${at('kvm2', 0)} (VM web01 on kvm2); name the file instead\n`,
    );
    // web01.2 is kvm1's alone: web01.0 is then kvm1's.
    const one = await runMain('diff', 'web01.0', 'web01.2', fleet);
    expect(one.out.split('\n')[0]).toBe(
      `${at('kvm1', 0)} (web01.0) and ${at('kvm1', 2)} (web01.2) differ: 3 differences`,
    );
    expect(one.code).toBe(1);
    // A path settles it.
    const path = await runMain('diff', at('kvm2', 0), 'web01.2', fleet);
    expect(path.out.split('\n')[0]).toMatch(
      /^.*kvm2.*web01\.0\.xml \(web01\.0\) and .*kvm1.*web01\.2/,
    );
  });

  it('a name not found, or a folder where a file goes: exit 2, said', async () => {
    const missing = await runMain('diff', 'nope', 'db01.0', BOTH);
    expect(missing).toEqual({
      code: 2,
      out: '',
      err: `error: nope: no checkpoint of that name or path in ${BOTH}\n`,
    });
    const folder = await runMain('diff', BOTH, file('db01', 0));
    expect(folder.code).toBe(2);
    expect(folder.err).toBe(
      `error: ${BOTH}: a folder or bundle; diff compares two checkpoints: diff NAME1 NAME2 ${BOTH}\n`,
    );
  });
});
