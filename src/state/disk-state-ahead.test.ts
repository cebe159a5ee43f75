// A large disk state is worked out ahead, a step at a time, and the store takes it as it is
// (open-actions addImageFilesInSteps): the same state the store works out itself, never a stale one.
import { describe, expect, it } from 'vitest';
import { readImageInfo } from '../core/index.ts';
import type { DiskState } from './images-slice.ts';
import { prepareDiskState } from './images-slice.ts';
import { createEditorStore } from './index.ts';
import { checkpointXml, qcow2Info } from '../../test/images/scenario.ts';

const DISKS = [{ target: 'vda', source: '/var/lib/libvirt/images/web01-vda.qcow2' }];
const CHAIN = ['bk.1', 'bk.2', 'bk.3'].map((name, i, all) => ({
  fileName: `${name}.xml`,
  contents: checkpointXml('web01', DISKS, name, i + 1, all[i - 1], ['vda']),
}));

function images(strays: number) {
  const names = ['bk.1', 'bk.3', ...Array.from({ length: strays }, (_, i) => `stray.${i}`)];
  const bitmaps = names.map((name, i) => ({ name, flags: i % 3 ? ['auto'] : [] }));
  const text = JSON.stringify(qcow2Info(DISKS[0]?.source ?? '', bitmaps));
  return [{ fileName: 'images.json', read: readImageInfo(text, 'images.json') }];
}

/** What the Bitmaps view and the panels show of a disk state. */
const shown = (d: DiskState | null) =>
  d && {
    report: d.report,
    readiness: d.readiness,
    imageProblems: d.imageProblems,
    // Each store names its documents its own way: their problems, in order.
    problemsById: Object.values(d.problemsById),
    repair: d.repair(),
  };

function opened() {
  const store = createEditorStore();
  store.getState().openDocuments(CHAIN, 'file');
  return store;
}

describe('a disk state worked out ahead', () => {
  it('pauses after each step and is taken as it is: the state the store works out itself', async () => {
    const store = opened();
    const vm = store.getState().currentVm;
    let pauses = 0;
    const prepared = await prepareDiskState(store.getState(), images(300), vm, 20, async () => {
      pauses++;
    });
    // 302 bitmaps looked at, 300 strays judged, 300 problems split: a pause each 20.
    expect(pauses).toBeGreaterThanOrEqual(44);
    expect(store.getState().diskState).toBeNull();
    store.getState().addImageFiles(images(300), vm, prepared);
    expect(store.getState().diskState).toBe(prepared?.state);

    const direct = opened();
    direct.getState().addImageFiles(images(300), vm);
    const own = direct.getState().diskState;
    expect(own?.report.orphans).toHaveLength(300);
    expect(own?.report.rows.map((r) => r.cells.map((c) => c.verdict))).toEqual([
      ['disabled'],
      ['missing'],
      ['ok'],
    ]);
    expect(shown(store.getState().diskState)).toEqual(shown(own));
  });

  it('is not taken once what it was worked out from has changed: the VM now runs', async () => {
    const store = opened();
    const vm = store.getState().currentVm;
    const prepared = await prepareDiskState(store.getState(), images(50), vm, 10, async () => {});
    store.getState().setVmRunning(true);
    store.getState().addImageFiles(images(50), vm, prepared);
    const state = store.getState().diskState;
    expect(state).not.toBe(prepared?.state);
    expect(state?.report.running).toBe(true);
    expect(state?.report.orphans.every((o) => o.unproven !== undefined)).toBe(true);
    expect(prepared?.state?.report.orphans.some((o) => o.unproven !== undefined)).toBe(false);
  });
});
