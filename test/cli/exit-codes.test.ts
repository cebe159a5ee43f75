import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../require.ts';
import { addBitmap, createImage, haveQemuUtils, imageDir, imageInfo } from '../images/qemu-img.ts';
import type { VmDisk } from '../images/scenario.ts';
import { writeChain } from '../images/scenario.ts';
import { checkpointXml, runCli, runMain } from './run-cli.ts';

// Exit status, every command: 0 fine, 1 libvirt would refuse or a full backup is needed, 2 usage.

describe('tree: what libvirt refuses to redefine exits 1', () => {
  const d = imageDir('exit-tree');
  afterAll(d.remove);
  writeFileSync(d.path('a.xml'), checkpointXml('a', undefined, 1));
  writeFileSync(d.path('a-again.xml'), checkpointXml('a', undefined, 1));
  writeFileSync(d.path('b.xml'), checkpointXml('b', 'gone', 2));

  it('a parent missing and a name defined twice: the tree, the errors on stderr, exit 1', async () => {
    const r = await runCli(['tree', d.dir]);
    expect(r.out).toBe('a\n\nb\n\n');
    expect(r.err.split('\n')).toEqual([
      `error: ${d.path('a-again.xml')}:2: checkpoint a is defined again (kept: ${d.path('a.xml')}); redefined after it, this file would replace it`,
      `error: ${d.path('b.xml')}:3: parent gone for moment b not found`,
      '',
    ]);
    expect(r.code).toBe(1);
  });

  it('a whole chain exits 0', async () => {
    const r = await runMain('tree', '--roots', d.path('a.xml'));
    expect(r).toEqual({ code: 0, out: 'a\n', err: '' });
  });
});

describe('format --redefine: the rule of the loaded libvirt, as the page', () => {
  const d = imageDir('exit-format');
  afterAll(d.remove);
  const file = d.path('a.xml');
  writeFileSync(file, checkpointXml('a', undefined, 1));

  it('takes a checkpoint without <domain> by default (libvirt 9.0 schemas: 7.0 and later)', async () => {
    const r = await runMain('format', '--redefine', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('<name>a</name>');
  });

  it('--require-domain keeps the strict rule: exit 1 in libvirt words', async () => {
    const r = await runMain('format', '--redefine', '--require-domain', file);
    expect(r.err).toBe(
      `error: ${file}:1: the redefine flag requires the <domain> sub-element to be present\n`,
    );
    expect(r.code).toBe(1);
  });

  it('--allow-no-domain is still taken; with --require-domain it is a usage error, exit 2', async () => {
    expect((await runMain('format', '--redefine', '--allow-no-domain', file)).code).toBe(0);
    const both = await runMain(
      'format',
      '--redefine',
      '--allow-no-domain',
      '--require-domain',
      file,
    );
    expect(both.code).toBe(2);
    expect(both.err.split('\n')[0]).toBe(
      'error: --allow-no-domain and --require-domain exclude each other',
    );
  });
});

if (!skipWithout(haveQemuUtils, "qemu-img (Debian's qemu-utils)")) {
  describe('check: errors say error:, and an error exits 1 even when a backup could run', () => {
    const d = imageDir('exit-check');
    afterAll(d.remove);
    const vda = createImage(d.path('vm-vda.qcow2'));
    const disks: VmDisk[] = [{ target: 'vda', source: vda }];
    addBitmap(vda, 'bk.1');
    addBitmap(vda, 'bk.2');
    mkdirSync(d.path('ok'));
    writeChain(d.path('ok'), 'vm', disks, ['bk.1', 'bk.2']);
    writeFileSync(d.path('ok/vda.json'), imageInfo(vda));

    it('every bitmap in place: exit 0', async () => {
      const r = await runMain('check', d.path('ok'));
      expect(r.out).toContain('vm: incremental since bk.2\n');
      expect(r.out).not.toMatch(/error:|warning:/);
      expect(r.code).toBe(0);
    });

    it('a stray bitmap is a warning: `warning:`, exit 0', async () => {
      addBitmap(vda, 'stray');
      writeFileSync(d.path('ok/vda.json'), imageInfo(vda));
      const r = await runMain('check', d.path('ok'));
      expect(r.out).toMatch(
        /\.json:\d+: warning: bitmap stray in \S+\/vm-vda\.qcow2 \(disk vda\) is kept by no/,
      );
      expect(r.code).toBe(0);
    });

    it('an old checkpoint whose bitmap is gone is an error: `error:`, exit 1', async () => {
      const older = createImage(d.path('vm2-vda.qcow2'));
      addBitmap(older, 'bk.2');
      const two: VmDisk[] = [{ target: 'vda', source: older }];
      mkdirSync(d.path('broken'));
      writeChain(d.path('broken'), 'vm', two, ['bk.1', 'bk.2']);
      writeFileSync(d.path('broken/vda.json'), imageInfo(older));
      const r = await runMain('check', d.path('broken'));
      expect(r.out).toContain('vm: incremental since bk.2\n');
      expect(r.out).toMatch(
        /bk\.1\.xml:\d+: error: checkpoint bk\.1 keeps bitmap bk\.1 on disk vda, but no image/,
      );
      expect(r.code).toBe(1);
    });
  });
}
