import { describe, expect, it } from 'vitest';
import { EXAMPLE_CHAIN } from '../samples/index.ts';
import { packImageInfo, readImageInfo } from '../core/index.ts';
import { vmsFromSaved } from './saved-vms.ts';
import { nothingWritten } from './services.ts';
import { sessionEntry, sessionEntryKey } from './session-layout.ts';
import { createEditorStore } from './index.ts';
import { qcow2Info } from '../../test/images/scenario.ts';

const info = (bitmaps: string[]) =>
  JSON.stringify(qcow2Info('/var/lib/libvirt/images/web01-vda.qcow2', bitmaps));

describe("the session entry's key, as a save compares it with the one last written", () => {
  it('is its JSON when no VM has anything beside its checkpoints', () => {
    const store = createEditorStore();
    store.getState().openDocuments(EXAMPLE_CHAIN, 'file');
    const entry = sessionEntry(store.getState());
    expect(sessionEntryKey(entry, nothingWritten().identities)).toBe(JSON.stringify(entry));
  });

  it('names the disk images by identity: the same while they stay, another once they are replaced', () => {
    const store = createEditorStore();
    store.getState().openDocuments(EXAMPLE_CHAIN, 'file');
    const { identities } = nothingWritten();
    const key = () => sessionEntryKey(sessionEntry(store.getState()), identities);
    expect(
      store.getState().openImageFiles([{ fileName: 'vda.json', text: info(['bk.1']) }]),
    ).toEqual([]);
    const first = key();
    expect(first).not.toContain('bk.1');
    expect(key()).toBe(first);
    store.getState().selectDocument(store.getState().documentOrder[1] as string);
    const selected = key();
    expect(selected).not.toBe(first);
    // The same file loaded again with one more bitmap: what a save must write.
    store.getState().openImageFiles([{ fileName: 'vda.json', text: info(['bk.1', 'bk.2']) }]);
    const more = key();
    expect(more).not.toBe(selected);
    expect(key()).toBe(more);
    store.getState().closeImageFiles();
    expect(key()).not.toBe(more);
  });
});

describe('disk images in the session', () => {
  it('are kept packed when read in a worker, and come back as the store held them', () => {
    const store = createEditorStore();
    store.getState().openDocuments(EXAMPLE_CHAIN, 'file');
    const read = readImageInfo(info(['bk.1', 'stray.1', 'stray.2']), 'vda.json');
    if (!read.ok) throw new Error('unread');
    const packed = packImageInfo(read.value);
    store.getState().addImageFiles([{ fileName: 'vda.json', read, packed }]);
    const entry = sessionEntry(store.getState());
    const vm = store.getState().currentVm;
    const kept = entry.vms?.imagesByVm[vm];
    expect(kept).toEqual([{ fileName: 'vda.json', packed }]);
    // What the browser's storage gives back: a clone.
    const back = vmsFromSaved(structuredClone(entry.vms));
    expect(back.imagesByVm[vm]?.map((f) => f.info)).toEqual([read.value]);
    expect(back.imagesByVm[vm]?.[0]?.packed).toEqual(packed);
  });

  it('of an older session (descriptions as objects) come back as they were stored', () => {
    const store = createEditorStore();
    store.getState().openImageFiles([{ fileName: 'vda.json', text: info(['bk.1']) }]);
    const entry = sessionEntry(store.getState());
    const vm = store.getState().currentVm;
    expect(entry.vms?.imagesByVm[vm]?.[0]).toHaveProperty('info');
    const back = vmsFromSaved(structuredClone(entry.vms));
    expect(back.imagesByVm[vm]).toEqual(store.getState().imagesByVm[vm]);
  });
});
