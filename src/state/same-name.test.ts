import { beforeEach, describe, expect, it } from 'vitest';
import { createEditorStore, openFiles, resetEditorStore, undo } from './index.ts';

const editorStore = createEditorStore();
const state = () => editorStore.getState();
beforeEach(() => resetEditorStore(editorStore));

const UUID = '7d5a1c4e-0000-4000-8000-000000000001';

/** A checkpoint of web01 (its <domain> names it by uuid), told apart by its description. */
function checkpoint(name: string, description: string): string {
  return `<domaincheckpoint><name>${name}</name><description>${description}</description><creationTime>1700000000</creationTime><disks><disk name='vda' checkpoint='bitmap'/></disks><domain type='kvm'><name>web01</name><uuid>${UUID}</uuid><memory>1048576</memory><os><type>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/web01.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain></domaincheckpoint>\n`;
}

const file = (path: string, text: string) =>
  Object.assign(new File([text], path.slice(path.lastIndexOf('/') + 1)), { path });

const open = () =>
  state()
    .documentOrder.map((id) => state().documents[id])
    .map((d) => `${d?.path ?? d?.fileName}: ${/<description>([^<]*)</.exec(d?.text ?? '')?.[1]}`);

describe('files of one name and VM with other bytes', () => {
  it('inside one open: held back and asked, not renamed; identical bytes open or are asked about once', async () => {
    await openFiles(editorStore, [
      file('web01/a/bk.1.xml', checkpoint('bk.1', 'from a')),
      file('web01/b/bk.1.xml', checkpoint('bk.1', 'from b')),
      file('web01/c/bk.1.xml', checkpoint('bk.1', 'from a')),
      file('web01/d/bk.1.xml', checkpoint('bk.1', 'from b')),
    ]);
    expect(open()).toEqual(['web01/a/bk.1.xml: from a']);
    expect(state().sameNames.map((n) => [n.file.path, n.sameOpen])).toEqual([
      ['web01/b/bk.1.xml', true],
    ]);
    // d/ is b/ byte for byte: asked about once.
    expect(state().skipped).toEqual([
      { fileName: 'web01/c/bk.1.xml', reason: 'already open: the same file, byte for byte' },
      {
        fileName: 'web01/d/bk.1.xml',
        reason: 'already asked about: the same file, byte for byte as web01/b/bk.1.xml',
      },
    ]);
  });

  it('keeps the one chosen as itself, the other closed and said so', async () => {
    await openFiles(editorStore, [
      file('web01/a/bk.1.xml', checkpoint('bk.1', 'from a')),
      file('web01/b/bk.1.xml', checkpoint('bk.1', 'from b')),
    ]);
    const [asked] = state().sameNames;
    state().resolveSameNames({ [asked?.existingId as string]: 0 });
    expect(state().sameNames).toEqual([]);
    expect(open()).toEqual(['web01/b/bk.1.xml: from b']);
    expect(state().skipped).toEqual([
      { fileName: 'web01/a/bk.1.xml', reason: 'closed: web01/b/bk.1.xml kept under its name' },
    ]);
  });

  it('keeps both when nothing is chosen (Escape), and the open one alone when asked', async () => {
    await openFiles(editorStore, [
      file('web01/a/bk.1.xml', checkpoint('bk.1', 'from a')),
      file('web01/b/bk.1.xml', checkpoint('bk.1', 'from b')),
    ]);
    state().resolveSameNames({});
    expect(open()).toEqual(['web01/a/bk.1.xml: from a', 'web01/b/bk.1.xml: from b']);

    await openFiles(editorStore, [file('web01/c/bk.1.xml', checkpoint('bk.1', 'from c'))]);
    const [asked] = state().sameNames;
    expect(asked?.sameOpen).toBeUndefined();
    state().resolveSameNames({ [asked?.existingId as string]: 'open' });
    expect(open()).toEqual(['web01/a/bk.1.xml: from a', 'web01/b/bk.1.xml: from b']);
    expect(state().skipped.at(-1)?.reason).toBe('not opened: web01/a/bk.1.xml kept under its name');
  });

  it('replaces a file open before as an edit: Undo brings it back', async () => {
    await openFiles(editorStore, [file('web01/a/bk.1.xml', checkpoint('bk.1', 'from a'))]);
    await openFiles(editorStore, [file('web01/b/bk.1.xml', checkpoint('bk.1', 'from b'))]);
    const [asked] = state().sameNames;
    state().resolveSameNames({ [asked?.existingId as string]: 0 });
    expect(open()).toEqual(['web01/a/bk.1.xml: from b']);
    undo(editorStore);
    expect(open()).toEqual(['web01/a/bk.1.xml: from a']);
  });
});
