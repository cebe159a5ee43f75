import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../require.ts';
import {
  addBitmap,
  bitmapLine,
  createImage,
  haveQemuUtils,
  imageDir,
  imageInfo,
  imageLine,
} from '../images/qemu-img.ts';
import type { VmDisk } from '../images/scenario.ts';
import { domainXml, writeChain } from '../images/scenario.ts';
import { runCli, runMain } from './run-cli.ts';

describe('check: usage', () => {
  it('needs checkpoints, and knows its options: exit 2', async () => {
    const none = await runMain('check');
    expect(none.code).toBe(2);
    expect(none.err.split('\n')[0]).toBe('error: expected FILE…|DIR…');
    const unknown = await runMain('check', '--image', 'x.json', 'bk.1.xml');
    expect(unknown.code).toBe(2);
    const missing = await runMain('check', '--images', '/nonexistent/images.json', '/nonexistent');
    expect(missing.code).toBe(2);
    expect(missing.err.split('\n')[0]).toBe(
      'error: /nonexistent/images.json: cannot read: no such file or directory (ENOENT)',
    );
  });
});

if (!skipWithout(haveQemuUtils, "qemu-img (Debian's qemu-utils)")) {
  describe('check: the checkpoints against the bitmaps in the images (real qemu-img)', () => {
    const d = imageDir('check-cli');
    afterAll(d.remove);
    const vda = createImage(d.path('web01-vda.qcow2'));
    const vdb = createImage(d.path('web01-vdb.qcow2'));
    for (const b of ['bk.1', 'bk.2', 'bk.3']) addBitmap(vda, b);
    addBitmap(vdb, 'bk.1');
    addBitmap(vdb, 'bk.2');
    addBitmap(vdb, 'bk.3', { disable: true });
    const disks: VmDisk[] = [
      { target: 'vda', source: vda },
      { target: 'vdb', source: vdb },
    ];
    writeChain(d.dir, 'web01', disks, ['bk.1', 'bk.2', 'bk.3']);
    const json = imageInfo(vda) + imageInfo(vdb);
    writeFileSync(d.path('images.json'), json);
    // The VM's definition in a folder of its own: in the checkpoints' folder it would be read as one.
    mkdirSync(d.path('vm'));
    writeFileSync(d.path('vm/web01.xml'), domainXml('web01', disks));
    const files = ['bk.1', 'bk.2', 'bk.3'].map((n) => d.path(`${n}.xml`));
    const images = d.path('images.json');

    const expected = (imagesName: string, evidence: string) => [
      `${imagesName}:${imageLine(json, vda)}: vda: image ${vda}, matched by path; evidence: ${evidence}`,
      `${imagesName}:${imageLine(json, vdb)}: vdb: image ${vdb}, matched by path; evidence: ${evidence}`,
      `${files[0]}:1: bk.1: vda ok, vdb ok`,
      `${files[1]}:1: bk.2: vda ok, vdb ok`,
      `${files[2]}:1: bk.3: vda ok, vdb disabled`,
      `${imagesName}:${bitmapLine(json, vdb, 'bk.3')}: error: bitmap bk.3 is disabled in ${vdb}: it has not recorded writes since, so libvirt refuses it`,
      'vda: incremental since bk.3',
      'vdb: incremental since bk.2',
      'web01: incremental since bk.2',
    ];

    it('prints the images, the verdicts, the problems with file and line, then the readiness: an error found, exit 1', async () => {
      const r = await runCli(['check', '--images', images, ...files]);
      expect(r.err).toBe('');
      expect(r.out.split('\n')).toEqual([
        ...expected(images, 'qemu-img info of the image of the shut-off VM'),
        '',
      ]);
      expect(r.code).toBe(1);
    });

    it('takes a folder: the *.json beside the checkpoints are the images', async () => {
      const r = await runMain('check', '--target-vm', d.path('vm/web01.xml'), d.dir);
      expect(r.out.split('\n')).toEqual([
        ...expected(images, 'qemu-img info of the image of the shut-off VM'),
        '',
      ]);
      expect(r.code).toBe(1);
    });

    it('says unknown with --running (qemu-img -U of a running VM): no verdict on its top images, exit 1', async () => {
      const r = await runMain('check', '--running', images, ...files);
      const evidence =
        'qemu-img info -U of the image of the running VM (its bitmaps as of the last shutdown)';
      const stale = (disk: string, image: string) =>
        `${images}:${imageLine(json, image)}: warning: disk ${disk}: ${image} was read with qemu-img info -U while the VM runs: its bitmaps are as of the last shutdown (a checkpoint made since start is not in the file yet, and every bitmap QEMU holds shows in-use), so what libvirt finds there now is unknown: collect with QMP`;
      const unknown = '(VM running: image data are from its last shutdown; collect with QMP)';
      expect(r.out.split('\n')).toEqual([
        ...expected(images, evidence).slice(0, 2),
        `${files[0]}:1: bk.1: vda unknown, vdb unknown`,
        `${files[1]}:1: bk.2: vda unknown, vdb unknown`,
        `${files[2]}:1: bk.3: vda unknown, vdb unknown`,
        stale('vda', vda),
        stale('vdb', vdb),
        `vda: unknown ${unknown}`,
        `vdb: unknown ${unknown}`,
        `web01: unknown ${unknown}`,
        '',
      ]);
      expect(r.code).toBe(1);
    });

    it('exits 1 when a disk needs a full backup', async () => {
      const r = await runMain('check', '--images', images, files[2] as string);
      expect(r.out.split('\n').slice(-4)).toEqual([
        'vda: incremental since bk.3',
        'vdb: full backup needed: bitmap bk.3 is disabled (not recording) in web01-vdb.qcow2',
        'web01: full backup needed: vdb has no valid bitmap',
        '',
      ]);
      expect(r.code).toBe(1);
    });

    it('refuses a file that is neither, naming it, and goes on: exit 1', async () => {
      const bad = d.path('notes.json');
      writeFileSync(bad, '{"vda": "fine"}\n');
      try {
        const r = await runMain('check', '--images', images, '--images', bad, ...files);
        expect(r.out.split('\n')[0]).toBe(
          `${bad}:1: error: neither qemu-img info --output=json nor query-named-block-nodes output`,
        );
        expect(r.out).toContain('web01: incremental since bk.2\n');
        expect(r.code).toBe(1);
      } finally {
        writeFileSync(bad, json);
      }
    });
  });
}
