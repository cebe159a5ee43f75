import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEditorStore, openFiles, resetEditorStore, selectRedefineScript } from './index.ts';
import { qcow2Info } from '../../test/images/scenario.ts';

const editorStore = createEditorStore();
const state = () => editorStore.getState();
beforeEach(() => resetEditorStore(editorStore));

const fixtures = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'vms');

/** A fixture folder as a picker offers it: each file with its path under the folder. */
function folder(name: string): File[] {
  const out: File[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(Object.assign(new File([readFileSync(p)], f), { path: relative(fixtures, p) }));
    }
  };
  walk(join(fixtures, name));
  return out;
}

const namesOf = (ids: readonly string[]) => ids.map((id) => state().documents[id]?.fileName);

describe('the VM as the unit', () => {
  it('opens web01 (with <domain>) and db01 (--no-domain) as two VMs, each its own chain and script', async () => {
    await openFiles(editorStore, folder('vms'));
    const { vms } = state();
    expect(vms.map((v) => [v.label, v.name, namesOf(v.ids)])).toEqual([
      ['db01', undefined, ['db01.0.xml', 'db01.1.xml', 'db01.2.xml']],
      ['web01', 'web01', ['web01.0.xml', 'web01.1.xml', 'web01.2.xml']],
    ]);
    for (const v of vms)
      expect([v.errors, v.forest.roots.length, v.rows.length]).toEqual([0, 1, 3]);
    // No file is another VM's: each VM's checkpoints are checked against its own.
    const codes = Object.values(state().problemsById).flatMap((ps) => ps.map((p) => p.code));
    expect(codes.filter((c) => /domain|uuid/.test(c))).toEqual([]);

    const db01 = vms[0]?.ids[0] as string;
    state().selectDocument(db01);
    expect(state().currentVm).toBe('folder:vms/db01');
    expect(state().rows.map((r) => r.label)).toEqual(['db01.0', 'db01.1', 'db01.2']);
    const dbScript = selectRedefineScript(state());
    expect(dbScript).toContain(': "${DOMAIN:?set DOMAIN to the VM name}"');
    expect(dbScript).toContain('db01.2.xml');
    expect(dbScript).not.toContain('web01');

    state().selectDocument(vms[1]?.ids[0] as string);
    expect(state().rows.map((r) => r.label)).toEqual(['web01.0', 'web01.1', 'web01.2']);
    const webScript = selectRedefineScript(state());
    expect(webScript).toContain('DOMAIN=web01');
    expect(webScript).not.toContain('db01');
  });

  it('makes the second VM a VM of its own when both carry <domain>, not "another VM"', async () => {
    await openFiles(editorStore, folder('vms-both'));
    expect(state().vms.map((v) => [v.label, v.ids.length, v.errors])).toEqual([
      ['db01', 3, 0],
      ['web01', 3, 0],
    ]);
    expect(state().counts.errors).toBe(0);
  });

  it('keeps file names per VM: each VM may hold a web01.0.xml of its own', async () => {
    await openFiles(editorStore, folder('vms-both'));
    const [db01] = folder('vms-both');
    const renamed = Object.assign(new File([db01 as File], 'web01.0.xml'), {
      path: 'other/web01.0.xml',
    });
    await openFiles(editorStore, [renamed]);
    const names = state().vms.map((v) => namesOf(v.ids));
    expect(names).toEqual([
      ['db01.0.xml', 'db01.1.xml', 'db01.2.xml', 'web01.0.xml'],
      ['web01.0.xml', 'web01.1.xml', 'web01.2.xml'],
    ]);
  });
});

describe('each VM its own target, definitions and disk images', () => {
  const UUID1 = 'uuid:6d1c0b8e-2f3a-4c5d-9e7f-0a1b2c3d4e01';
  const UUID2 = 'uuid:6d1c0b8e-2f3a-4c5d-9e7f-0a1b2c3d4e02';
  const image = JSON.stringify(
    qcow2Info('/var/lib/libvirt/images/web01.qcow2', ['web01.0', 'web01.1', 'web01.2'], {
      'virtual-size': 1048576,
    }),
  );
  const withExtras = () => [
    ...folder('vms-both'),
    Object.assign(
      new File(
        [readFileSync(join(fixtures, 'vms', 'web01', 'vmconfig.virtnbdbackup.2.xml'))],
        'vmconfig.virtnbdbackup.2.xml',
      ),
      { path: 'vms-both/web01/vmconfig.virtnbdbackup.2.xml' },
    ),
    Object.assign(new File([image], 'vda.json'), { path: 'vms-both/web01/images/vda.json' }),
  ];

  it("checks each VM's checkpoints against its own target only, and keeps its images apart", async () => {
    await openFiles(editorStore, withExtras());
    const s = state();
    expect(Object.keys(s.targets)).toEqual([UUID1]);
    expect(s.definitions.map((d) => [d.label, d.vm])).toEqual([
      ['vmconfig.virtnbdbackup.2.xml', UUID1],
    ]);
    expect(Object.keys(s.imagesByVm)).toEqual([UUID1]);
    // db01's checkpoints carry db01's uuid: against web01's definition they would not fit.
    expect(s.counts.errors).toBe(0);

    state().selectDocument(s.vms.find((v) => v.key === UUID1)?.ids[0] as string);
    expect(state().target?.fileName).toBe('vms-both/web01/vmconfig.virtnbdbackup.2.xml');
    expect(state().imageFiles.map((f) => f.fileName)).toEqual(['vms-both/web01/images/vda.json']);
    expect(state().diskState?.readiness.lines[0]).toMatch(/^vda: /);

    state().selectDocument(s.vms.find((v) => v.key === UUID2)?.ids[0] as string);
    expect(state().target).toBeNull();
    expect(state().imageFiles).toEqual([]);
    expect(state().diskState).toBeNull();
    expect(state().definitionsOnScreen).toEqual([]);
  });
});

describe('the same file twice', () => {
  it('opens a folder opened again once: the same files, byte for byte, are said to be open already', async () => {
    await openFiles(editorStore, folder('vms'));
    await openFiles(editorStore, folder('vms'));
    const s = state();
    expect(s.documentOrder).toHaveLength(6);
    expect(Object.values(s.documents).filter((d) => d.fileName.includes('('))).toEqual([]);
    expect(s.skipped.map((k) => k.reason)).toEqual(
      Array(6).fill('already open: the same file, byte for byte'),
    );
    expect(s.vms.map((v) => v.ids.length)).toEqual([3, 3]);
    expect(s.counts.errors).toBe(0);
  });
});
