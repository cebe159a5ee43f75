import { gzipSync, strToU8 } from 'fflate';
import { packTar } from 'modern-tar';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointXml, domainXml } from '../../test/images/scenario.ts';
import type { EditorState } from './index.ts';
import {
  createEditorStore,
  openFiles,
  openPastedText,
  redo,
  resetEditorStore,
  selectBackupState,
  undo,
} from './index.ts';

// libvirt's own dumps: c1 … c4 of web01, and the VM's definition as virtnbdbackup saves it.
const fixtures = resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'compare');
const text = (name: string) => readFileSync(resolve(fixtures, name), 'utf8');
const inFolder = (path: string, contents: string) =>
  Object.assign(new File([contents], path.slice(path.lastIndexOf('/') + 1)), { path });
/** A virtnbdbackup folder: its VM definition, checkpoints, a full backup's data file, a stray file. */
const backupFolder = () => [
  inFolder('bk/vmconfig.virtnbdbackup.3.xml', text('vmconfig.virtnbdbackup.3.xml')),
  ...[1, 2, 3, 4].map((n) => inFolder(`bk/checkpoints/c${n}.xml`, text(`c${n}.xml`))),
  inFolder('bk/vda.full.data', 'meta 0000000000000000 0000000000000002\r\n{}'),
  inFolder('bk/notes.txt', 'what the operator wrote down'),
];

const store = createEditorStore();
const state = () => store.getState();
afterEach(() => resetEditorStore(store));

/** What an open brings, as the page shows it. */
function brought(s: EditorState) {
  return {
    files: s.documentOrder.map((id) => s.documents[id]?.fileName),
    vms: s.vms.map((v) => v.key),
    definitions: s.definitions.map((d) => d.fileName),
    targets: Object.values(s.targets).map((t) => t.fileName),
    backupFiles: s.backupFiles,
    backups: selectBackupState(s)?.folder.problems.length,
    skipped: s.skipped.map((f) => f.fileName),
  };
}

const EMPTY = {
  files: [],
  vms: [],
  definitions: [],
  targets: [],
  backupFiles: {},
  backups: undefined,
  skipped: [],
};

describe('Undo of an open takes back all it brought', () => {
  it('a folder: checkpoints, VM definition, target VM, backup files, skipped list; Redo brings them back', async () => {
    await openFiles(store, backupFolder());
    const opened = state();
    const vm = opened.vms[0]?.key as string;
    expect(brought(opened)).toEqual({
      files: ['c1.xml', 'c2.xml', 'c3.xml', 'c4.xml'],
      vms: [vm],
      definitions: ['bk/vmconfig.virtnbdbackup.3.xml'],
      targets: ['bk/vmconfig.virtnbdbackup.3.xml'],
      backupFiles: { [vm]: ['bk/vda.full.data'] },
      backups: expect.any(Number) as number,
      // A data file is listed as skipped too: it is not a checkpoint.
      skipped: ['bk/notes.txt', 'bk/vda.full.data'],
    });
    expect(store.temporal.getState().pastStates).toHaveLength(1);

    undo(store);
    expect(brought(state())).toEqual(EMPTY);
    expect(state().backupHeaders).toEqual({});
    expect(state().folderTargetGenerations).toEqual({});
    expect(state().backupStates).toEqual({});
    expect(state().historyNote?.text).toBe(
      'Undo: 4 files closed, 1 VM definition closed, 1 target VM closed, 1 backup file closed, no file skipped',
    );

    redo(store);
    const back = state();
    expect(brought(back)).toEqual(brought(opened));
    // The same values, not copies.
    for (const key of ['documents', 'targets', 'backupHeaders'] as const)
      expect(Object.values(back[key])).toEqual(Object.values(opened[key]));
    expect(back.definitions[0]).toBe(opened.definitions[0]);
    expect(back.documents[opened.documentOrder[0] as string]).toBe(
      opened.documents[opened.documentOrder[0] as string],
    );
    expect(back.historyNote?.text).toMatch(/^Redo: 4 files back, 1 VM definition back/);

    // And again: the step goes back and forth as often as asked.
    undo(store);
    expect(brought(state())).toEqual(EMPTY);
    redo(store);
    expect(brought(state())).toEqual(brought(opened));
  });

  it('an edit after the open is undone alone, then the open', async () => {
    await openFiles(store, backupFolder());
    const opened = state();
    const id = opened.documentOrder[0] as string;
    state().updateText(id, opened.documents[id]?.text.replace('<name>', '<name>x') ?? '');
    expect(store.temporal.getState().pastStates).toHaveLength(2);

    undo(store);
    expect(state().documents[id]).toBe(opened.documents[id]);
    expect(brought(state())).toEqual(brought(opened));

    undo(store);
    expect(brought(state())).toEqual(EMPTY);
    redo(store);
    redo(store);
    expect(state().documents[id]?.text).toMatch(/<name>x/);
    expect(brought(state()).definitions).toEqual(['bk/vmconfig.virtnbdbackup.3.xml']);
  });

  it('keeps an edit typed while the folder opened, to a file the open did not bring', async () => {
    const [mine] = state().openDocuments(
      [
        {
          fileName: 'mine.xml',
          contents: '<domaincheckpoint><name>mine</name></domaincheckpoint>',
        },
      ],
      'file',
    ) as [string];
    const typed =
      '<domaincheckpoint><name>mine</name><description>typed</description></domaincheckpoint>';
    // Typed as the open's first files come in: the history is paused then.
    const stop = store.subscribe((s, prev) => {
      if (s.documentOrder.length > prev.documentOrder.length && s.documentOrder.length > 1) {
        stop();
        state().updateText(mine, typed);
      }
    });
    await openFiles(store, backupFolder());
    expect(state().documentOrder).toHaveLength(5);
    expect(state().documents[mine]?.text).toBe(typed);

    undo(store);
    expect(state().documentOrder).toEqual([mine]);
    expect(state().documents[mine]?.text).toBe(typed);
    expect(state().definitions).toEqual([]);
    redo(store);
    expect(state().documentOrder).toHaveLength(5);
    expect(state().documents[mine]?.text).toBe(typed);
  });

  it('keeps what was done to another VM since the open (a target loaded)', async () => {
    await openFiles(store, backupFolder());
    const vm = state().vms[0]?.key as string;
    state().loadTarget('vm2.xml', text('vm2.xml'), 'uuid:other');
    undo(store);
    expect(Object.keys(state().targets)).toEqual(['uuid:other']);
    redo(store);
    expect(Object.keys(state().targets).sort()).toEqual([vm, 'uuid:other'].sort());
  });

  it('a paste is one step too, with the skipped list it replaced', async () => {
    await openFiles(store, backupFolder());
    const before = state();
    openPastedText(store, text('c1.xml').replace('<name>c1', '<name>pasted'));
    expect(state().skipped).toEqual([]);
    undo(store);
    expect(state().documentOrder).toBe(before.documentOrder);
    expect(state().skipped).toBe(before.skipped);
  });

  it("a folder's disk image output and a file held back under an open file's name go and come back with it", async () => {
    const image = JSON.stringify({
      filename: '/var/lib/libvirt/images/web01.qcow2',
      format: 'qcow2',
      'virtual-size': 1048576,
      'format-specific': {
        type: 'qcow2',
        data: { compat: '1.1', corrupt: false, bitmaps: [] },
      },
    });
    await openFiles(store, [
      ...backupFolder(),
      inFolder('bk/images/vda.json', image),
      // c1 again, another description: held back until the operator says which to keep.
      inFolder(
        'bk/again/c1.xml',
        text('c1.xml').replace('</name>', '</name><description>again</description>'),
      ),
    ]);
    const opened = state();
    const vm = opened.vms[0]?.key as string;
    expect(Object.keys(opened.imagesByVm)).toEqual([vm]);
    // In path order: again/ comes first, checkpoints/c1.xml is the one held back.
    expect(opened.sameNames.map((n) => n.file.path)).toEqual(['bk/checkpoints/c1.xml']);

    undo(store);
    expect(state().imagesByVm).toEqual({});
    expect(state().sameNames).toEqual([]);
    expect(brought(state())).toEqual(EMPTY);
    redo(store);
    expect(state().imagesByVm).toEqual(opened.imagesByVm);
    expect(state().sameNames).toEqual(opened.sameNames);
  });

  it('an open of data files alone is one step of undo', async () => {
    await openFiles(store, [
      inFolder('bk/vda.full.data', 'meta'),
      inFolder('bk/vda.inc.c2.data', 'meta'),
    ]);
    expect(Object.values(state().backupFiles)).toEqual([
      ['bk/vda.full.data', 'bk/vda.inc.c2.data'],
    ]);
    expect(store.temporal.getState().pastStates).toHaveLength(1);
    undo(store);
    expect(state().backupFiles).toEqual({});
    expect(state().skipped).toEqual([]);
    redo(store);
    expect(Object.values(state().backupFiles)).toEqual([
      ['bk/vda.full.data', 'bk/vda.inc.c2.data'],
    ]);
  });

  it('Close all closes what the opens brought too, as one step: Undo brings it all back', async () => {
    await openFiles(store, backupFolder());
    const opened = state();
    state().closeAllDocuments();
    expect(brought(state())).toEqual(EMPTY);
    undo(store);
    expect(brought(state())).toEqual(brought(opened));
    expect(state().historyNote?.text).toMatch(/^Undo: 4 files back, 1 VM definition back/);
    redo(store);
    expect(brought(state())).toEqual(EMPTY);
  });

  it("a collected bundle: its checkpoints, domain.xml as the target VM, its disk images' state", async () => {
    const disks = [{ target: 'vda', source: '/var/lib/libvirt/images/web01-vda.qcow2' }];
    const image = JSON.stringify([
      { filename: disks[0]?.source, format: 'qcow2', 'virtual-size': 1048576 },
    ]);
    const files: Record<string, string> = {
      'web01-checkpoints/domain.xml': domainXml('web01', disks),
      'web01-checkpoints/checkpoints/bk.1.xml': checkpointXml(
        'web01',
        disks,
        'bk.1',
        1,
        undefined,
        ['vda'],
      ),
      'web01-checkpoints/images/vda.json': image,
    };
    const tgz = gzipSync(
      await packTar(
        Object.entries(files).map(([name, body]) => ({
          header: { name, size: strToU8(body).length, type: 'file' as const },
          body,
        })),
      ),
    );
    await openFiles(store, [new File([tgz], 'web01-checkpoints.tar.gz')]);
    const opened = state();
    expect(opened.target?.fileName).toBe('web01-checkpoints/domain.xml');
    expect(opened.imageFiles).toHaveLength(1);
    expect(opened.vms).toHaveLength(1);

    undo(store);
    expect(state().targets).toEqual({});
    expect(state().imagesByVm).toEqual({});
    expect(brought(state())).toEqual(EMPTY);
    redo(store);
    expect(state().target).toBe(opened.target);
    expect(state().imageFiles).toEqual(opened.imageFiles);
    expect(brought(state())).toEqual(brought(opened));
  });

  it('waits for an open under way: Ctrl+Z meanwhile says so and changes nothing', async () => {
    const [mine] = state().openDocuments(
      [
        {
          fileName: 'mine.xml',
          contents: '<domaincheckpoint><name>mine</name></domaincheckpoint>',
        },
      ],
      'file',
    ) as [string];
    let during: string[] = [];
    const stop = store.subscribe((s, prev) => {
      if (s.documentOrder.length > prev.documentOrder.length && s.documentOrder.length > 1) {
        stop();
        undo(store);
        during = state().documentOrder;
      }
    });
    await openFiles(store, backupFolder());
    expect(during).toContain(mine);
    expect(during.length).toBeGreaterThan(1);
    expect(state().historyNote?.text).toBe('Undo: not while files are opening');
    expect(state().documentOrder).toHaveLength(5);
    undo(store);
    expect(state().documentOrder).toEqual([mine]);
  });
});
