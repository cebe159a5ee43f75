import { gzipSync, strToU8 } from 'fflate';
import { packTar } from 'modern-tar';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkpointXml, domainXml } from '../../test/images/scenario.ts';
import { libvirtListed } from '../core/index.ts';
import { createEditorStore, openFiles, resetEditorStore } from './index.ts';

const editorStore = createEditorStore();
const state = () => editorStore.getState();
beforeEach(() => resetEditorStore(editorStore));

const DISKS = [{ target: 'vda', source: '/var/lib/libvirt/images/web01-vda.qcow2' }];
const bitmap = (name: string) => ({ name, granularity: 65536, flags: ['auto'] });
const IMAGE = JSON.stringify([
  {
    filename: DISKS[0]?.source,
    format: 'qcow2',
    'format-specific': {
      type: 'qcow2',
      data: { compat: '1.1', corrupt: false, bitmaps: [bitmap('bk.1'), bitmap('bk.2')] },
    },
  },
]);
const CHECKPOINTS = {
  'bk.1.xml': checkpointXml('web01', DISKS, 'bk.1', 1, undefined, ['vda']),
  'bk.2.xml': checkpointXml('web01', DISKS, 'bk.2', 2, 'bk.1', ['vda']),
};

async function bundle(files: Record<string, string>): Promise<File> {
  const tgz = gzipSync(
    await packTar(
      Object.entries(files).map(([name, body]) => ({
        header: { name, size: strToU8(body).length, type: 'file' as const },
        body,
      })),
    ),
  );
  return new File([tgz], 'web01-checkpoints.tar.gz');
}

describe("what libvirt knows: a collected folder's checkpoints/ is libvirt's list", () => {
  it('the VM undefined and defined again: checkpoints/ empty, the XML from a backup folder: redefine', async () => {
    const collected = await bundle({
      'web01-checkpoints/domain.xml': domainXml('web01', DISKS),
      'web01-checkpoints/images/vda.json': IMAGE,
    });
    const backup = Object.entries(CHECKPOINTS).map(([name, text]) =>
      Object.assign(new File([text], name), { path: `backup/checkpoints/${name}` }),
    );
    await openFiles(editorStore, [collected, ...backup]);
    const lines = Object.values(state().diskStates).flatMap((d) => d?.readiness.lines ?? []);
    expect(lines).toEqual([
      'vda: once the checkpoints are redefined, incremental since bk.2',
      'web01: redefine these checkpoints (the redefine script): libvirt knows none of bk.1 and bk.2, whose bitmaps are in the images',
    ]);
    const report = Object.values(state().diskStates)[0]?.report;
    expect(report?.orphans).toEqual([]);
    expect(report?.redefine).toEqual(['bk.1', 'bk.2']);
  });

  it('the same checkpoints in its checkpoints/: libvirt knows them', async () => {
    const collected = await bundle({
      'web01-checkpoints/domain.xml': domainXml('web01', DISKS),
      'web01-checkpoints/images/vda.json': IMAGE,
      ...Object.fromEntries(
        Object.entries(CHECKPOINTS).map(([n, t]) => [`web01-checkpoints/checkpoints/${n}`, t]),
      ),
    });
    await openFiles(editorStore, [collected]);
    const lines = Object.values(state().diskStates).flatMap((d) => d?.readiness.lines ?? []);
    expect(lines).toEqual(['vda: incremental since bk.2', 'web01: incremental since bk.2']);
  });

  it('is not known without a collected folder', () => {
    expect(libvirtListed(undefined, [], [{ name: 'bk.1', path: 'a/bk.1.xml' }])).toBeUndefined();
    expect(libvirtListed('vm/web01.xml', ['vm/images/x.json'], [])).toBeUndefined();
    expect(libvirtListed('c/domain.xml', ['c/images/vda.json'], [])).toEqual(new Set());
    expect(
      libvirtListed(
        'c/domain.xml',
        [],
        [
          { name: 'bk.1', path: 'c/checkpoints/bk.1.xml' },
          { name: 'bk.0', path: 'old/bk.0.xml' },
        ],
      ),
    ).toEqual(new Set(['bk.1']));
  });
});
