import { beforeEach, describe, expect, it } from 'vitest';
import { mapBackups } from '../core/index.ts';
import { createEditorStore, openFiles, resetEditorStore, selectBackupFiles } from './index.ts';

const editorStore = createEditorStore();
const state = () => editorStore.getState();
beforeEach(() => resetEditorStore(editorStore));

const UUIDS = {
  web01: '7d5a1c4e-0000-4000-8000-000000000001',
  db01: '7d5a1c4e-0000-4000-8000-000000000002',
};

/** A checkpoint virtnbdbackup has libvirt make, with its VM's <domain>. */
function checkpoint(vm: keyof typeof UUIDS, n: number): string {
  const parent = n > 0 ? `<parent><name>virtnbdbackup.${n - 1}</name></parent>` : '';
  return `<domaincheckpoint><name>virtnbdbackup.${n}</name>${parent}<creationTime>${1700000000 + n}</creationTime><disks><disk name='vda' checkpoint='bitmap' bitmap='virtnbdbackup.${n}'/></disks><domain type='kvm'><name>${vm}</name><uuid>${UUIDS[vm]}</uuid><memory>1048576</memory><os><type>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/${vm}.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain></domaincheckpoint>\n`;
}

/** A virtnbdbackup folder as a picker offers it: its checkpoints, data files, log, lists. */
function backupFolder(vm: keyof typeof UUIDS, data: string[]): File[] {
  const file = (path: string, text: string) =>
    Object.assign(new File([text], path.slice(path.lastIndexOf('/') + 1)), { path });
  return [
    ...[0, 1, 2].map((n) => file(`bk-${vm}/checkpoints/virtnbdbackup.${n}.xml`, checkpoint(vm, n))),
    ...data.map((d) => file(`bk-${vm}/${d}`, 'meta 0000000000000000 0000000000000002\r\n{}')),
    file(`bk-${vm}/backup.full.12062026101401.log`, 'log\n'),
    file(`bk-${vm}/${vm}.cpt`, '["virtnbdbackup.0", "virtnbdbackup.1", "virtnbdbackup.2"]'),
    file(`bk-${vm}/vda.virtnbdbackup.0.qcow.json`, '{"filename": "/x.qcow2", "format": "qcow2"}'),
  ];
}

describe('virtnbdbackup files as a folder opens', () => {
  it('each VM keeps its own folder’s backup files; qemu-img info of a backup is not read as the image', async () => {
    await openFiles(editorStore, [
      ...backupFolder('web01', [
        'vda.full.data',
        'vda.inc.virtnbdbackup.1.data',
        'vda.inc.virtnbdbackup.2.data',
      ]),
      ...backupFolder('db01', ['vda.inc.virtnbdbackup.1.data', 'vda.inc.virtnbdbackup.2.data']),
    ]);
    const byVm = state().backupFiles;
    expect(Object.keys(byVm).sort()).toEqual([`uuid:${UUIDS.web01}`, `uuid:${UUIDS.db01}`]);
    expect(byVm[`uuid:${UUIDS.web01}`]).toEqual([
      'bk-web01/backup.full.12062026101401.log',
      'bk-web01/vda.full.data',
      'bk-web01/vda.inc.virtnbdbackup.1.data',
      'bk-web01/vda.inc.virtnbdbackup.2.data',
      'bk-web01/vda.virtnbdbackup.0.qcow.json',
      'bk-web01/web01.cpt',
    ]);
    expect(state().imagesByVm).toEqual({});
    expect(
      state().skipped.find((f) => f.fileName === 'bk-web01/vda.virtnbdbackup.0.qcow.json')?.reason,
    ).toMatch(/^virtnbdbackup's qemu-img info of the image at that backup/);

    const problemsOf = (vm: keyof typeof UUIDS) => {
      const chain = state().vms.find((v) => v.key === `uuid:${UUIDS[vm]}`);
      state().selectDocument(chain?.ids[0] as string);
      return mapBackups(selectBackupFiles(state()), [
        ...state().forest.entries.values(),
      ]).problems.map((p) => p.message);
    };
    expect(problemsOf('web01')).toEqual([]);
    expect(problemsOf('db01')).toEqual([
      'incremental virtnbdbackup.1 has no full backup before it: disk vda has no vda.full.data (checkpoint virtnbdbackup.0)',
    ]);

    state().closeAllDocuments();
    expect(state().backupFiles).toEqual({});
  });
});
