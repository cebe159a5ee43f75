import { describe, expect, it } from 'vitest';
import { createCorePool } from '../workers/index.ts';
import { EXAMPLE_CHAIN } from '../samples/index.ts';
import {
  createEditorStore,
  formatInWorker,
  isOffPage,
  selectOffPageCheck,
  setDescription,
  setName,
  undo,
} from './index.ts';
import { startLargeFileService } from './large-file-service.ts';

/** The example's first checkpoint with a <metadata> that puts it over the page's limit. */
function largeFile(): { fileName: string; contents: string } {
  const entries = Array.from(
    { length: 4000 },
    (_, i) => `      <app:entry key='k${i}'>value ${i}</app:entry>\n`,
  ).join('');
  const first = EXAMPLE_CHAIN[0] as { fileName: string; contents: string };
  return {
    fileName: 'large.xml',
    contents: first.contents.replace(
      '  </domain>',
      `    <metadata>\n      <app:data xmlns:app='https://example.org/app'>\n${entries}      </app:data>\n    </metadata>\n  </domain>`,
    ),
  };
}

/** A store whose core work runs here (no workers in Node), with the large-file service. */
function storeWithLargeFile() {
  const store = createEditorStore({
    createCorePool: () => createCorePool({ createWorker: undefined }),
  });
  const [id] = store.getState().openDocuments([largeFile()], 'file');
  const jobs = startLargeFileService(store);
  const settle = async () => {
    for (const job of jobs) await job.flush();
    for (const job of jobs) await job.flush();
  };
  return { store, id: id as string, settle };
}

describe('a file too large for the page', () => {
  it('is read and checked in the core workers, never on the page', async () => {
    const { store, id, settle } = storeWithLargeFile();
    const doc = store.getState().documents[id];
    expect(doc && isOffPage(doc)).toBe(true);
    // The chain leaves it to the workers.
    expect(store.getState().uncheckedIds).toEqual([id]);
    expect(selectOffPageCheck(store.getState(), doc!)).toBeUndefined();
    await settle();
    const s = store.getState();
    expect(selectOffPageCheck(s, doc!)?.checkpoint?.name).toBe('web01-2024-03-01');
    expect(s.verdicts[id]?.checkpoint?.name).toBe('web01-2024-03-01');
    expect(s.uncheckedIds).toEqual([]);
  });

  it('shows a form edit at once, and a worker writes every field typed into its text', async () => {
    const { store, id, settle } = storeWithLargeFile();
    await settle();
    const before = store.getState().documents[id]?.text;
    store.getState().editCheckpoint(id, setName('renamed'));
    store.getState().editCheckpoint(id, setDescription('typed on'));
    let s = store.getState();
    expect(s.documents[id]?.text).toBe(before);
    const shown = selectOffPageCheck(s, s.documents[id]!)?.checkpoint;
    expect([shown?.name, shown?.description]).toEqual(['renamed', 'typed on']);

    await settle();
    s = store.getState();
    const text = s.documents[id]?.text ?? '';
    // Only the two fields changed: the rest of the file (its <metadata> too) is as it was.
    expect(
      text
        .replace('<name>renamed</name>', '<name>web01-2024-03-01</name>')
        .replace(
          '<description>typed on</description>',
          '<description>Full backup before the kernel upgrade</description>',
        ),
    ).toBe(before);
    // Its reading and its verdict came with the text: nothing is left to read.
    expect(s.formEdits).toEqual({});
    expect(s.verdicts[id]?.checkpoint?.name).toBe('renamed');
    expect(selectOffPageCheck(s, s.documents[id]!)?.checkpoint?.name).toBe('renamed');

    // Undo is the store's, as for any edit: back to the file's text, read again.
    undo(store);
    await settle();
    s = store.getState();
    expect(s.documents[id]?.text).toBe(before);
    expect(selectOffPageCheck(s, s.documents[id]!)?.checkpoint?.name).toBe('web01-2024-03-01');
  });

  it("exports in libvirt's format from its whole text, though the page holds its <domain> in part", async () => {
    const { store, id, settle } = storeWithLargeFile();
    await settle();
    const doc = store.getState().documents[id]!;
    // The form's reading has the <domain> cut to its name and uuid; the export must not be.
    const shown = selectOffPageCheck(store.getState(), doc)?.checkpoint?.domain;
    expect(JSON.stringify(shown)).not.toContain('value 3999');
    const formatted = await formatInWorker(store, id);
    expect(formatted).toContain('<name>web01-2024-03-01</name>');
    expect(formatted).toContain('>value 3999</app:entry>');
    expect(formatted).toContain('<uuid>');
  });
});
