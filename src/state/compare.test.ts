import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEditorStore,
  openFiles,
  resetEditorStore,
  selectCompareFromOther,
  selectTargetFromFolder,
} from './index.ts';

// libvirt's own dumps: c1 … c4 of web01, and the VM's definition as virtnbdbackup saves it.
const fixtures = resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'compare');
const fixture = (name: string, path = name) =>
  new File([readFileSync(resolve(fixtures, name), 'utf8')], path);
const backupFolder = () => [
  fixture('vmconfig.virtnbdbackup.3.xml', 'vmconfig.virtnbdbackup.3.xml'),
  ...[1, 2, 3, 4].map((n) => fixture(`c${n}.xml`, `checkpoints/c${n}.xml`)),
  new File(['qcow data'], 'vda.full.data'),
];

const store = createEditorStore();
const state = () => store.getState();
const idOf = (name: string) => state().rows.find((r) => r.label === name)?.id as string;
afterEach(() => resetEditorStore(store));

describe('a backup folder: checkpoints, VM definitions, other files', () => {
  it('a <domain> file is a VM definition, not a failed checkpoint; the newest is the target VM', async () => {
    await openFiles(store, backupFolder());
    expect(state().rows.map((r) => r.label)).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(state().definitions.map((d) => [d.fileName, d.name, d.disks])).toEqual([
      ['vmconfig.virtnbdbackup.3.xml', 'web01', ['vda', 'sda']],
    ]);
    expect(state().skipped).toEqual([
      { fileName: 'vda.full.data', reason: 'not an .xml or .json file' },
    ]);
    expect(state().target?.fileName).toBe('vmconfig.virtnbdbackup.3.xml');
    expect(selectTargetFromFolder(state())).toBe(true);
    // vdb is gone from today's VM: the checkpoints that have it no longer fit it.
    const c2 = state().problemsById[idOf('c2')] ?? [];
    expect(c2.some((p) => p.code.startsWith('target-'))).toBe(true);
  });

  it('the newest of several by the number in its name; a target the operator chose stays', async () => {
    const text = readFileSync(resolve(fixtures, 'vmconfig.virtnbdbackup.3.xml'), 'utf8');
    const vmconfig = (n: number) => new File([text], `vmconfig.virtnbdbackup.${n}.xml`);
    await openFiles(store, [vmconfig(2), vmconfig(10), vmconfig(9)]);
    expect(state().target?.fileName).toBe('vmconfig.virtnbdbackup.10.xml');
    state().loadTarget('mine.xml', text);
    await openFiles(store, [vmconfig(11)]);
    expect(state().target?.fileName).toBe('mine.xml');
    expect(state().definitions.map((d) => d.fileName)).toEqual([
      'vmconfig.virtnbdbackup.2.xml',
      'vmconfig.virtnbdbackup.9.xml',
      'vmconfig.virtnbdbackup.10.xml',
      'vmconfig.virtnbdbackup.11.xml',
    ]);
    state().useDefinitionAsTarget('vmconfig.virtnbdbackup.9.xml');
    expect(state().target?.fileName).toBe('vmconfig.virtnbdbackup.9.xml');
    expect(selectTargetFromFolder(state())).toBe(false);
  });
});

describe('the VM along the chain', () => {
  it('each checkpoint whose VM changed from its parent, and where bitmaps start', async () => {
    await openFiles(store, backupFolder());
    const changes = state().vmChanges;
    expect(changes[idOf('c1')]).toBeUndefined();
    expect(changes[idOf('c2')]).toEqual({
      parent: 'c1',
      changes: [
        'memory 4→8 GiB',
        'currentMemory 4→8 GiB',
        'vcpu 2→4',
        'machine pc-q35-7.2→pc-q35-8.0',
        'vdb added',
        'other <domain> settings changed',
      ],
      newBitmaps: ['vdb'],
    });
    expect(changes[idOf('c3')]?.changes).toEqual([
      'vdb source web01-data.qcow2→web01-data.raw',
      'vdb qcow2→raw',
      'sda bus sata→scsi',
      'other <domain> settings changed',
    ]);
    expect(changes[idOf('c4')]?.changes).toEqual(['vdb removed']);
  });

  it('an edit is seen at once; what did not change stays the same object', async () => {
    await openFiles(store, backupFolder());
    const before = state().vmChanges;
    const c4 = idOf('c4');
    const doc = state().documents[c4];
    if (!doc) throw new Error('no c4');
    state().updateText(
      c4,
      doc.text.replace("<vcpu placement='static'>4</vcpu>", "<vcpu placement='static'>8</vcpu>"),
    );
    expect(state().vmChanges[c4]?.changes).toEqual(['vcpu 4→8', 'vdb removed']);
    expect(state().vmChanges[idOf('c2')]).toBe(before[idOf('c2')]);
    state().updateText(c4, `${state().documents[c4]?.text ?? ''}\n`);
    const after = state().vmChanges;
    state().updateText(c4, `${state().documents[c4]?.text ?? ''}\n`);
    expect(state().vmChanges).toBe(after);
  });
});

describe('compare', () => {
  it('a checkpoint with its parent by default, the other way round, or with a definition', async () => {
    await openFiles(store, backupFolder());
    state().openCompare(idOf('c3'));
    expect(state().comparing).toEqual({
      id: idOf('c3'),
      with: { kind: 'checkpoint', id: idOf('c2') },
    });
    // The older on the left: c2, its parent, though c3 was the one compared.
    expect(selectCompareFromOther(state())).toBe(true);
    state().openCompare(idOf('c2'), { kind: 'checkpoint', id: idOf('c4') });
    expect(selectCompareFromOther(state())).toBe(false);
    state().setCompareWith({ kind: 'definition', fileName: 'vmconfig.virtnbdbackup.3.xml' });
    expect(state().comparing?.with).toEqual({
      kind: 'definition',
      fileName: 'vmconfig.virtnbdbackup.3.xml',
    });
    // A root has no parent: the checkpoint after it.
    state().openCompare(idOf('c1'));
    expect(state().comparing?.with).toEqual({ kind: 'checkpoint', id: idOf('c2') });
    state().closeCompare();
    expect(state().comparing).toBeNull();
  });

  it('two checkpoints no parent link joins: the older by creation time on the left', async () => {
    // c2 left out: nothing links c1 and c3 but their times.
    await openFiles(
      store,
      [1, 3].map((n) => fixture(`c${n}.xml`, `checkpoints/c${n}.xml`)),
    );
    state().openCompare(idOf('c3'), { kind: 'checkpoint', id: idOf('c1') });
    expect(selectCompareFromOther(state())).toBe(true);
    state().openCompare(idOf('c1'), { kind: 'checkpoint', id: idOf('c3') });
    expect(selectCompareFromOther(state())).toBe(false);
  });
});
