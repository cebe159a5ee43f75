// Whether a VM's repair script is shown is the operator's choice, kept per VM in the store: a
// disk state worked out again, or another VM on screen and back, neither closes nor opens it.
import { describe, expect, it } from 'vitest';
import { checkpointXml, qcow2Info } from '../../test/images/scenario.ts';
import { createEditorStore, selectRepairScriptShown } from './index.ts';

const DISKS = [{ target: 'vda', source: '/var/lib/libvirt/images/web01-vda.qcow2' }];
const UUID = '9e1c7d0a-3b2f-4c5d-8e6f-7a8b9c0d1e2f';

/** VM `vm`'s bk.1 and bk.2, of a uuid of its own, grouped as an open groups them (by uuid). */
const chain = (vm: string, uuid: string) =>
  ['bk.1', 'bk.2'].map((name, i, all) => ({
    fileName: `${vm}/${name}.xml`,
    contents: checkpointXml(vm, DISKS, name, i + 1, all[i - 1], ['vda']).replace(UUID, uuid),
    vm: `uuid:${uuid}`,
  }));

const IMAGES = [
  {
    fileName: 'images.json',
    text: JSON.stringify(qcow2Info(DISKS[0]?.source ?? '', ['bk.1', 'stray'])),
  },
];

function opened() {
  const store = createEditorStore();
  store.getState().openDocuments(chain('web01', UUID), 'file');
  expect(store.getState().openImageFiles(IMAGES)).toEqual([]);
  return store;
}

describe("the repair script's shown state", () => {
  it('stays as the operator left it when the disk state is worked out again', () => {
    const store = opened();
    const shown = () => selectRepairScriptShown(store.getState());
    expect(shown()).toBe(false);
    store.getState().showRepairScript(true);
    const before = store.getState().diskState;
    store.getState().setVmRunning(true);
    store.getState().setVmRunning(false);
    expect(store.getState().diskState).not.toBe(before);
    expect(store.getState().diskState).not.toBeNull();
    expect(shown()).toBe(true);
    store.getState().showRepairScript(false);
    store.getState().setVmRunning(true);
    expect(shown()).toBe(false);
  });

  it('is each VM’s own, and goes with the VM’s image files', () => {
    const store = opened();
    store.getState().showRepairScript(true);
    const web01 = store.getState().currentVm;
    store.getState().openDocuments(chain('db01', 'ab0c1d2e-3f40-4152-8637-48596a7b8c9d'), 'file');
    const db01 = store.getState().currentVm;
    expect(db01).not.toBe(web01);
    expect(selectRepairScriptShown(store.getState())).toBe(false);
    const inWeb01 = store
      .getState()
      .documentOrder.find((id) => store.getState().documents[id]?.vm === web01);
    store.getState().selectDocument(inWeb01 ?? '');
    expect(store.getState().currentVm).toBe(web01);
    expect(selectRepairScriptShown(store.getState())).toBe(true);
    // Images closed and loaded again: their script is shown when asked for again.
    store.getState().closeImageFiles();
    store.getState().openImageFiles(IMAGES);
    expect(selectRepairScriptShown(store.getState())).toBe(false);
  });
});
