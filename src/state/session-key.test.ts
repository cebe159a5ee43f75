import { describe, expect, it } from 'vitest';
import { EXAMPLE_CHAIN } from '../samples/index.ts';
import { nothingWritten } from './services.ts';
import { sessionEntry, sessionEntryKey } from './session-layout.ts';
import { createEditorStore } from './index.ts';

const info = (bitmaps: string[]) =>
  JSON.stringify({
    filename: '/var/lib/libvirt/images/web01-vda.qcow2',
    format: 'qcow2',
    'format-specific': {
      type: 'qcow2',
      data: {
        compat: '1.1',
        corrupt: false,
        bitmaps: bitmaps.map((name) => ({ name, flags: ['auto'], granularity: 65536 })),
      },
    },
  });

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
