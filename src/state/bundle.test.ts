import { gzipSync, strToU8, zipSync } from 'fflate';
import { packTar } from 'modern-tar';
import type { TarEntry } from 'modern-tar';
import { beforeEach, describe, expect, it } from 'vitest';
import { checkpointXml, domainXml } from '../../test/images/scenario.ts';
import { HostWorker } from '../../test/validation/host-worker.ts';
import { createWorkerValidator } from '../validation/index.ts';
import { createNodeValidator, loadSchemaSet } from '../validation/node.ts';
import { currentSchemaResult } from './validation-slice.ts';
import { createEditorStore, openFiles, resetEditorStore } from './index.ts';

const editorStore = createEditorStore();
const state = () => editorStore.getState();
beforeEach(() => resetEditorStore(editorStore));

const DISKS = [{ target: 'vda', source: '/var/lib/libvirt/images/web 01-vda.qcow2' }];
const bitmap = (name: string) => ({ name, granularity: 65536, flags: ['auto'] });
const IMAGE = JSON.stringify([
  {
    filename: DISKS[0]?.source,
    format: 'qcow2',
    'virtual-size': 1048576,
    'format-specific': {
      type: 'qcow2',
      data: { compat: '1.1', corrupt: false, bitmaps: [bitmap('bk.1'), bitmap('bk.2')] },
    },
  },
]);

/** What scripts/collect.sh writes for a shut-off web01, and what a hostile archive adds. */
const FILES: Record<string, string> = {
  'web01-checkpoints/domain.xml': `${domainXml('web01', DISKS).trim()}\n`,
  'web01-checkpoints/checkpoints/bk.1.xml': checkpointXml('web01', DISKS, 'bk.1', 1, undefined, [
    'vda',
  ]),
  'web01-checkpoints/checkpoints/bk.2.xml': checkpointXml('web01', DISKS, 'bk.2', 2, 'bk.1', [
    'vda',
  ]),
  'web01-checkpoints/images/vda.json': IMAGE,
};
const entries = (files: Record<string, string>): TarEntry[] =>
  Object.entries(files).map(([name, body]) => ({
    header: { name: `./${name}`, size: strToU8(body).length, type: 'file' },
    body,
  }));

describe('opening a collected bundle', () => {
  it('opens a .tar.gz as its folder: the checkpoints, domain.xml as target VM, the disk state', async () => {
    const tgz = gzipSync(
      await packTar([
        ...entries(FILES),
        ...entries({
          '../../etc/evil.xml': '<domaincheckpoint/>',
          'web01-checkpoints/notes.txt': 'x',
        }),
        {
          header: {
            name: 'web01-checkpoints/checkpoints/bk.3.xml',
            size: 0,
            type: 'symlink',
            linkname: '/etc/shadow',
          },
        },
      ]),
    );
    await openFiles(editorStore, [new File([tgz], 'web01-checkpoints.tar.gz')]);
    const s = state();
    expect(s.documentOrder.map((id) => s.documents[id]?.fileName)).toEqual([
      'bk.1.xml',
      'bk.2.xml',
    ]);
    expect(s.target?.fileName).toBe('web01-checkpoints/domain.xml');
    expect(s.target?.domain.name).toBe('web01');
    expect(s.imageFiles.map((f) => f.fileName)).toEqual(['web01-checkpoints/images/vda.json']);
    expect(s.diskState?.readiness.lines).toEqual([
      'vda: incremental since bk.2',
      'web01: incremental since bk.2',
    ]);
    expect(s.skipped).toEqual([
      {
        fileName: 'web01-checkpoints.tar.gz: ./../../etc/evil.xml',
        reason: 'path leaves the bundle (..)',
      },
      {
        fileName: 'web01-checkpoints.tar.gz: web01-checkpoints/checkpoints/bk.3.xml',
        reason: 'a symbolic link (to /etc/shadow), not a file',
      },
      { fileName: 'web01-checkpoints/notes.txt', reason: 'not an .xml or .json file' },
    ]);
  });

  it('opens the same folder as a .zip, and the folder itself dropped, alike', async () => {
    const zip = zipSync(Object.fromEntries(Object.entries(FILES).map(([n, t]) => [n, strToU8(t)])));
    await openFiles(editorStore, [new File([zip], 'web01-checkpoints.zip')]);
    const fromZip = state().diskState?.readiness.lines;
    expect(state().target?.domain.name).toBe('web01');
    resetEditorStore(editorStore);
    const dropped = Object.entries(FILES).map(([path, text]) =>
      Object.assign(new File([text], path.slice(path.lastIndexOf('/') + 1)), { path }),
    );
    await openFiles(editorStore, dropped);
    expect(state().target?.fileName).toBe('web01-checkpoints/domain.xml');
    expect(state().diskState?.readiness.lines).toEqual(fromZip);
    expect(fromZip).toEqual(['vda: incremental since bk.2', 'web01: incremental since bk.2']);
  });

  it('keeps a checkpoint named domain a checkpoint, and names a broken bundle', async () => {
    const domainCheckpoint = checkpointXml('web01', DISKS, 'domain', 1, undefined, ['vda']);
    await openFiles(editorStore, [
      new File([domainCheckpoint], 'domain.xml'),
      new File(['not gzip'], 'web02-checkpoints.tgz'),
    ]);
    const s = state();
    expect(s.target).toBeNull();
    expect(s.documentOrder.map((id) => s.documents[id]?.fileName)).toEqual(['domain.xml']);
    expect(s.skipped).toEqual([
      { fileName: 'web02-checkpoints.tgz', reason: 'not a gzip file: no gzip header' },
    ]);
  });

  it('names a bundle cut short as cut short (not as too large), opening what came whole', async () => {
    const tgz = gzipSync(await packTar(entries(FILES)));
    await openFiles(editorStore, [
      new File([tgz.subarray(0, tgz.length - 100)], 'web01-checkpoints.tar.gz'),
    ]);
    expect(state().skipped).toEqual([
      {
        fileName: 'web01-checkpoints.tar.gz',
        // fflate may take the cut for the end of the deflate data; the gzip trailer then tells.
        reason: expect.stringMatching(/^cut short: its gzip data /),
      },
      {
        fileName: 'web01-checkpoints.tar.gz: ./web01-checkpoints/images/vda.json',
        reason: 'cut short: the archive ends inside it',
      },
    ]);
    const s = state();
    expect(s.documentOrder.map((id) => s.documents[id]?.fileName)).toEqual([
      'bk.1.xml',
      'bk.2.xml',
    ]);
    expect(s.activities).toEqual({});
  });

  it('the folder where collect.sh ran (the folder and its bundle): each file opens once, as the CLI reads it', async () => {
    const tgz = gzipSync(await packTar(entries(FILES)));
    const dropped = Object.entries(FILES).map(([path, text]) =>
      Object.assign(new File([text], path.slice(path.lastIndexOf('/') + 1)), {
        path: `ran/${path}`,
      }),
    );
    const bundle = Object.assign(new File([tgz], 'web01-checkpoints.tar.gz'), {
      path: 'ran/web01-checkpoints.tar.gz',
    });
    await openFiles(editorStore, [...dropped, bundle]);
    const s = state();
    expect(s.documentOrder.map((id) => s.documents[id]?.fileName)).toEqual([
      'bk.1.xml',
      'bk.2.xml',
    ]);
    expect(s.vms.map((v) => [v.label, v.host])).toEqual([['web01', undefined]]);
    expect(s.skipped.filter((f) => f.reason.startsWith('already open'))).toEqual(
      ['bk.1.xml', 'bk.2.xml'].map((n) => ({
        fileName: `web01-checkpoints/checkpoints/${n}`,
        reason: 'already open: the same file, byte for byte',
      })),
    );
    expect(s.diskState?.readiness.lines).toEqual([
      'vda: incremental since bk.2',
      'web01: incremental since bk.2',
    ]);
  });

  it('a fleet/ folder: the same VM on two hosts is two VMs, each with its host', async () => {
    const tgz = gzipSync(await packTar(entries(FILES)));
    const at = (host: string) =>
      Object.assign(new File([tgz], 'web01-checkpoints.tar.gz'), {
        path: `fleet/${host}/web01-checkpoints.tar.gz`,
      });
    await openFiles(editorStore, [at('kvm1'), at('kvm2')]);
    const s = state();
    expect(s.vms.map((v) => [v.label, v.host, v.ids.length])).toEqual([
      ['web01 on kvm1', 'kvm1', 2],
      ['web01 on kvm2', 'kvm2', 2],
    ]);
    expect(s.skipped).toEqual([]);
  });
});

describe('a bundle opened with the schema set ready', () => {
  it('reads and validates each file in the same validation worker: every verdict there once the open ends, as the Node validator gives it, the file and line the document’s', async () => {
    const schemas = await loadSchemaSet();
    const workers: HostWorker[] = [];
    const validator = createWorkerValidator(schemas, {
      createWorker: () => workers[workers.push(new HostWorker()) - 1] as HostWorker,
    });
    editorStore.services.useValidator(validator);
    state().setSchemaSet({ label: 'libvirt schemas', status: 'ready' }, true);
    // More files than the page checks itself; one the schema refuses, one with another <domain>.
    const names = Array.from({ length: 40 }, (_, i) => `bk.${i + 1}`);
    const files: Record<string, string> = {};
    names.forEach((name, i) => {
      files[`web01-checkpoints/checkpoints/${name}.xml`] = checkpointXml(
        'web01',
        i === 30 ? [...DISKS, { target: 'vdb', source: '/images/vdb.qcow2' }] : DISKS,
        name,
        i + 1,
        names[i - 1],
        ['vda'],
      );
    });
    files['web01-checkpoints/checkpoints/bk.7.xml'] = files[
      'web01-checkpoints/checkpoints/bk.7.xml'
    ]?.replace('  <disks>', '  <bogus/>\n  <disks>') as string;
    await openFiles(editorStore, [
      new File([gzipSync(await packTar(entries(files)))], 'web01-checkpoints.tar.gz'),
    ]);
    const s = state();
    expect(s.documentOrder).toHaveLength(40);
    // Opened and validated in the workers: no run of xmllint was asked for apart from the open.
    const asked = workers.flatMap((w) => w.received);
    expect(asked.filter((t) => t === 'open').length).toBeGreaterThan(0);
    expect(asked.filter((t) => t === 'validate')).toEqual([]);
    const reference = await createNodeValidator(schemas);
    const docs = s.documentOrder.map((id) => s.documents[id]!);
    const expected = await reference.validate(
      docs.map((d) => ({ fileName: d.fileName, contents: d.text })),
    );
    reference.close();
    docs.forEach((d, i) => {
      expect(currentSchemaResult(s, d.id)?.problems).toEqual(expected[i]?.problems);
    });
    const bogus = docs.find((d) => d.fileName === 'bk.7.xml')!;
    expect(currentSchemaResult(s, bogus.id)?.problems).toContainEqual(
      expect.objectContaining({ severity: 'error', file: 'bk.7.xml', line: 7 }),
    );
    validator.close();
  });
});
