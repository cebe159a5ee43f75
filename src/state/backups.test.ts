import { beforeEach, describe, expect, it } from 'vitest';
import { mapBackups } from '../core/index.ts';
import type { VmChain } from './index.ts';
import {
  createEditorStore,
  fileProblems,
  openFiles,
  resetEditorStore,
  selectBackupFiles,
  selectFileCounts,
  selectPanelCounts,
  vmCounts,
} from './index.ts';

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

  it('a backup problem is its checkpoint’s: listed with its file and line, counted by the file, the VM and the panel alike', async () => {
    await openFiles(editorStore, [
      ...backupFolder('web01', ['vda.full.data', 'vda.inc.virtnbdbackup.1.data']),
      ...backupFolder('db01', ['vda.inc.virtnbdbackup.1.data', 'vda.inc.virtnbdbackup.2.data']),
    ]);
    const keyOf = (vm: keyof typeof UUIDS) => `uuid:${UUIDS[vm]}`;
    const vmOf = (vm: keyof typeof UUIDS) =>
      state().vms.find((v) => v.key === keyOf(vm)) as VmChain;
    const idOf = (vm: keyof typeof UUIDS, n: number) =>
      vmOf(vm).idByFile.get(`virtnbdbackup.${n}.xml`) as string;
    const before = (id: string) => selectFileCounts({ ...state(), backupStates: {} }, id);

    // db01: no full backup; the problem is virtnbdbackup.0's, at its root element's line.
    const root = idOf('db01', 0);
    const listed = fileProblems(state(), root).filter((p) => p.code.startsWith('backup-'));
    expect(listed).toEqual([
      {
        code: 'backup-no-full',
        severity: 'error',
        message:
          'incremental virtnbdbackup.1 has no full backup before it: disk vda has no vda.full.data (checkpoint virtnbdbackup.0)',
        file: 'virtnbdbackup.0.xml',
        line: 1,
        column: 1,
      },
    ]);
    expect(selectFileCounts(state(), root).errors).toBe(before(root).errors + 1);
    // web01: virtnbdbackup.2 has no data file; the problem is that file's alone.
    const last = idOf('web01', 2);
    expect(fileProblems(state(), last).filter((p) => p.code.startsWith('backup-'))).toEqual([
      expect.objectContaining({
        code: 'backup-no-data',
        message:
          'checkpoint virtnbdbackup.2 has no data file for disk vda: no vda.inc.virtnbdbackup.2.data in the folder',
        file: 'virtnbdbackup.2.xml',
      }),
    ]);
    expect(selectFileCounts(state(), idOf('web01', 1))).toEqual(before(idOf('web01', 1)));

    for (const vm of ['web01', 'db01'] as const) {
      const chain = vmOf(vm);
      // The same problems as the CLI's check maps (core's mapBackups over the VM's files).
      const mapped = mapBackups(state().backupFiles[keyOf(vm)] ?? [], [
        ...chain.forest.entries.values(),
      ]).problems;
      const onPage = chain.ids.flatMap((id) =>
        fileProblems(state(), id).filter((p) => p.code.startsWith('backup-')),
      );
      expect(onPage).toEqual(mapped);
      expect(mapped).toHaveLength(1);
      // The VM's row (tree, VMs view) counts what its files' badges count, the backup's included.
      const files = chain.ids.map((id) => selectFileCounts(state(), id));
      const sum = (k: 'errors' | 'warnings') => files.reduce((n, c) => n + c[k], 0);
      const counts = vmCounts(chain, state(), chain.key);
      expect(counts).toEqual({ errors: sum('errors'), warnings: sum('warnings') });
      expect(counts.errors).toBe(chain.errors + 1);
      // The Validation panel, listing that VM, counts the same.
      state().selectDocument(chain.ids[0] as string);
      const { errors, warnings } = selectPanelCounts(state());
      expect({ errors, warnings }).toEqual(counts);
    }
    // libvirt's verdict is not the backup's: the redefine takes the checkpoint all the same.
    expect(state().problemsById[root]?.some((p) => p.code.startsWith('backup-'))).toBe(false);
  });
});
