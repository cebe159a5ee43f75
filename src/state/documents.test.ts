import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from '../core/index.ts';
import {
  diskRows,
  createEditorStore,
  checkDocument,
  KEEP_ALL,
  openExample,
  openPastedText,
  readCheckpointFiles,
  resetEditorStore,
  selectHasUnexported,
  selectSelectedDocument,
  setCreationTime,
  setDescription,
  setDiskBitmap,
  setDiskCheckpoint,
  setName,
  UNDO_BURST_MS,
} from './index.ts';
import { selectSessionView } from '../../test/state/session-view.ts';
import { EXAMPLE_CHAIN, EXAMPLE_WITH_ERRORS } from '../samples/index.ts';

const editorStore = createEditorStore();

const conformance = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'conformance');
const read = (...parts: string[]) => readFileSync(resolve(conformance, ...parts), 'utf8');

const state = () => editorStore.getState();
const history = () => editorStore.temporal.getState();
const selected = () => {
  const doc = selectSelectedDocument(state());
  if (!doc) throw new Error('nothing selected');
  return doc;
};

beforeEach(() => {
  resetEditorStore(editorStore);
  vi.useRealTimers();
});

describe('opening documents', () => {
  it('opens files in order and selects the first', () => {
    const ids = state().openDocuments(EXAMPLE_CHAIN, 'file');
    expect(state().documentOrder).toEqual(ids);
    expect(selected().fileName).toBe('web01-2024-03-01.xml');
  });

  it('gives every document its own file name', () => {
    state().openDocuments(EXAMPLE_CHAIN.slice(0, 1), 'file');
    state().openDocuments(EXAMPLE_CHAIN.slice(0, 1), 'file');
    const names = state().documentOrder.map((id) => state().documents[id]?.fileName);
    expect(names).toEqual(['web01-2024-03-01.xml', 'web01-2024-03-01 (2).xml']);
  });

  it('lets unedited examples make way for the operator’s files, but keeps edited ones', () => {
    openExample(editorStore, 'chain');
    const [edited] = state().documentOrder;
    state().editCheckpoint(edited as string, setDescription('mine now'));
    state().openDocuments(
      [{ fileName: 'a.xml', contents: read('oracle', 'nodom-minimal', 'input.xml') }],
      'file',
    );
    expect(state().documentOrder).toEqual([edited, expect.any(String)]);
  });

  it('reads only .xml files and lists the rest as skipped', async () => {
    const files = [
      new File(['<domaincheckpoint/>'], 'b.xml'),
      new File(['notes'], 'README'),
      new File(['<domaincheckpoint/>'], 'a.XML'),
    ];
    const { opened, skipped } = await readCheckpointFiles(files);
    expect(opened.map((f) => f.fileName)).toEqual(['a.XML', 'b.xml']);
    expect(skipped).toEqual([{ fileName: 'README', reason: 'not an .xml or .json file' }]);
  });

  it('skips .xml files that are not XML text, saying why and where', async () => {
    const files = [
      new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])], 'image.xml'),
      new File(
        [new Uint8Array([0x3c, 0x61, 0x3e, 0x0a, 0xe9, 0x3c, 0x2f, 0x61, 0x3e])],
        'latin1.xml',
      ),
      new File(['<domaincheckpoint/>'], 'big.xml'),
    ];
    const { opened, skipped } = await readCheckpointFiles(files, 10);
    expect(opened).toEqual([]);
    expect(skipped).toEqual([
      { fileName: 'big.xml', reason: 'file is 19 bytes, over the limit of 10 bytes' },
      { fileName: 'image.xml', reason: 'line 1: binary data, not XML text' },
      {
        fileName: 'latin1.xml',
        reason: expect.stringMatching(/^line 2: Input is not proper UTF-8/),
      },
    ]);
  });

  it('names pasted XML after its checkpoint', () => {
    openPastedText(editorStore, EXAMPLE_WITH_ERRORS[0]?.contents ?? '');
    expect(selected().fileName).toBe('web01-2024-03-04.xml');
    openPastedText(editorStore, '<domaincheckpoint><oops></domaincheckpoint>');
    expect(selected().fileName).toBe('pasted.xml');
  });
});

describe('form edits', () => {
  it('write the text back as formatCheckpoint does, keeping domain and secrets', () => {
    const text = read('oracle', 'dom-redacted-secrets', 'input.xml');
    const [id] = state().openDocuments([{ fileName: 'sec1.xml', contents: text }], 'file');
    state().editCheckpoint(id as string, setDescription('a <new> & better one'));
    const parsed = parseCheckpoint(text);
    if (!parsed.ok) throw new Error('fixture does not parse');
    expect(selected().text).toBe(
      formatCheckpoint({ ...parsed.value, description: 'a <new> & better one' }, KEEP_ALL),
    );
    expect(selected().text).toContain("passwd='s3cr&amp;t'");
  });

  it('remove a field emptied in the form', () => {
    const [id] = state().openDocuments(EXAMPLE_CHAIN.slice(0, 1), 'file');
    state().editCheckpoint(id as string, setDescription(''));
    state().editCheckpoint(id as string, setCreationTime(undefined));
    expect(selected().text).not.toContain('<description>');
    expect(selected().text).not.toContain('<creationTime>');
  });

  it('leave an unreadable text alone', () => {
    const [id] = state().openDocuments(
      [{ fileName: 'x.xml', contents: '<domaincheckpoint>' }],
      'file',
    );
    state().editCheckpoint(id as string, setName('x'));
    expect(selected().text).toBe('<domaincheckpoint>');
  });

  it('set a disk to no checkpoint, dropping its bitmap, and back', () => {
    const [id] = state().openDocuments(EXAMPLE_CHAIN.slice(0, 1), 'file');
    state().editCheckpoint(id as string, setDiskCheckpoint('vdb', 'no'));
    expect(selected().text).toContain("<disk name='vdb' checkpoint='no'/>");
    state().editCheckpoint(id as string, setDiskBitmap('vdb', 'custom'));
    expect(selected().text).toContain("<disk name='vdb' checkpoint='bitmap' bitmap='custom'/>");
  });

  it('add a disk the file did not list, named by its target', () => {
    const text = read('oracle', 'dom-partial-disks', 'input.xml');
    const [id] = state().openDocuments([{ fileName: 'part1.xml', contents: text }], 'file');
    state().editCheckpoint(id as string, setDiskCheckpoint('vda', 'bitmap'));
    // vdb stays as the file wrote it; vda comes after it, as libvirt writes a disk.
    expect(selected().text).toContain(
      "<disk name='vdb'/>\n    <disk name='vda' checkpoint='bitmap'/>",
    );
  });
});

describe('source edits and undo', () => {
  it('undo and redo span form and source edits, a burst of typing being one step', () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const [id] = state().openDocuments(EXAMPLE_CHAIN.slice(0, 1), 'file');
    const opened = selected().text;
    vi.setSystemTime(10_000);
    state().editCheckpoint(id as string, setDescription('a'));
    vi.setSystemTime(10_100);
    state().editCheckpoint(id as string, setDescription('ab'));
    const typed = selected().text;
    vi.setSystemTime(10_100 + UNDO_BURST_MS + 1);
    state().updateText(id as string, typed.replace('ab', 'abc'));
    history().undo();
    expect(selected().text).toBe(typed);
    history().undo();
    expect(selected().text).toBe(opened);
    history().redo();
    expect(selected().text).toBe(typed);
  });

  it('does not record selection, options or validation in the history', () => {
    state().openDocuments(EXAMPLE_CHAIN, 'file');
    const steps = history().pastStates.length;
    state().selectDocument(state().documentOrder[1] as string);
    state().setExportOption('includeDomain', false);
    state().setProfile('allow-no-domain');
    expect(history().pastStates.length).toBe(steps);
  });

  it('knows unexported changes, and that undoing back to the export is clean', () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const [id] = state().openDocuments(EXAMPLE_CHAIN.slice(0, 1), 'file');
    expect(selectHasUnexported(state())).toBe(false);
    vi.setSystemTime(5_000);
    state().editCheckpoint(id as string, setDescription('changed'));
    expect(selectHasUnexported(state())).toBe(true);
    state().markExported(id as string);
    expect(selectHasUnexported(state())).toBe(false);
    history().undo();
    expect(selectHasUnexported(state())).toBe(true);
  });

  it('keeps knowing it while the next files of a folder are appended', () => {
    const [id] = state().openDocuments(EXAMPLE_CHAIN.slice(0, 1), 'file');
    state().appendDocuments(EXAMPLE_CHAIN.slice(1, 2), 'file');
    expect(selectHasUnexported(state())).toBe(false);
    state().editCheckpoint(id as string, setDescription('changed'));
    state().appendDocuments(EXAMPLE_CHAIN.slice(2, 3), 'file');
    expect(selectHasUnexported(state())).toBe(true);
    state().markExported(id as string);
    expect(selectHasUnexported(state())).toBe(false);
  });
});

describe('the session view', () => {
  it('shows the chain as a tree, parents first', () => {
    openExample(editorStore, 'chain');
    const view = selectSessionView(state());
    expect(view.items.map((i) => [i.label, i.level])).toEqual([
      ['web01-2024-03-01', 1],
      ['web01-2024-03-02', 2],
      ['web01-2024-03-03', 3],
    ]);
    expect(view.errorCount).toBe(0);
    expect(selectSessionView(state())).toBe(view);
  });

  it('lists libvirt’s problems with file and line, and puts them on the disk’s row', () => {
    openExample(editorStore, 'errors');
    const doc = selected();
    const problems = selectSessionView(state()).problemsById[doc.id] ?? [];
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: 'disk-empty-or-readonly',
        file: 'web01-2024-03-04.xml',
        line: 11,
      }),
    );
    const rows = diskRows(checkDocument(doc, 'strict'));
    expect(rows.map((r) => r.name)).toEqual(['vda', 'vdb', 'sda']);
    expect(rows[2]?.lines).toContain(11);
    expect(rows[2]?.domainDisk?.readonly).toBe(true);
  });

  it("follows the redefine profile: the loaded schemas' libvirt's, until one is chosen", () => {
    const files = ['virtnbdbackup.0.xml', 'virtnbdbackup.1.xml'].map((f) => ({
      fileName: f,
      contents: read('oracle', 'tree-linear-12', 'files', f),
    }));
    state().openDocuments(files, 'file');
    // These files have no <domain>: libvirt 7.0 and later redefine them, older ones do not.
    state().setSchemaSet(
      { label: 'libvirt 6.0.0 schemas', status: 'ready', version: '6.0.0' },
      true,
    );
    expect(state().profile).toBe('strict');
    expect(selectSessionView(state()).errorCount).toBe(2);
    state().setSchemaSet(
      { label: 'libvirt 9.0.0 schemas', status: 'ready', version: '9.0.0' },
      true,
    );
    expect(state().profile).toBe('allow-no-domain');
    expect(selectSessionView(state()).errorCount).toBe(0);
    // Strict stays selectable, and once chosen, another schema set leaves it as it is.
    state().setProfile('strict');
    expect(selectSessionView(state()).errorCount).toBe(2);
    state().setSchemaSet(
      { label: 'libvirt 10.0.0 schemas', status: 'ready', version: '10.0.0' },
      true,
    );
    expect(state().profile).toBe('strict');
  });

  it('keeps a row for a file the forest cannot hold', () => {
    state().openDocuments(
      [
        { fileName: 'a.xml', contents: '<domaincheckpoint><name>' },
        { fileName: 'b.xml', contents: '<domain/>' },
      ],
      'file',
    );
    const view = selectSessionView(state());
    expect(view.items.map((i) => i.label)).toEqual(['a.xml', 'b.xml']);
    expect(view.problemsById[state().documentOrder[0] as string]?.[0]).toMatchObject({
      code: 'xml-malformed',
      file: 'a.xml',
    });
  });
});

describe('examples', () => {
  it('are in virsh’s layout, so a form edit changes only what it edits', () => {
    for (const file of [...EXAMPLE_CHAIN]) {
      const parsed = parseCheckpoint(file.contents);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(formatCheckpoint(parsed.value, KEEP_ALL)).toBe(file.contents);
    }
  });
});

describe('closing documents', () => {
  it('drops what was kept for a closed file, and an undo brings it back as clean as it went', () => {
    const [first, second] = state().openDocuments(EXAMPLE_CHAIN.slice(0, 2), 'file');
    const text = state().documents[first as string]?.text as string;
    state().applyRuleResults({
      [first as string]: { text, rulesKey: 'strict:0', verdict: { problems: [] } },
    });
    expect(Object.keys(state().ruleResults)).toEqual([first]);
    state().setSchemaSet({ label: 'test', status: 'ready' }, true);
    state().applySchemaResults({
      [first as string]: {
        text,
        generation: state().schemaSet.generation,
        problems: [],
      },
    });
    state().closeDocument(first as string);
    expect(Object.keys(state().schemaResults)).toEqual([]);
    expect(state().ruleResults).toEqual({});
    history().undo();
    expect(state().documentOrder).toEqual([first, second]);
    expect(selectHasUnexported(state())).toBe(false);
  });

  it('forgets a closed file’s saved text once no undo can bring it back', () => {
    const [first, second] = state().openDocuments(EXAMPLE_CHAIN.slice(0, 2), 'file');
    state().closeDocument(first as string);
    expect(Object.keys(state().savedTexts)).toEqual([first, second]);
    history().clear();
    // Only the file open until now can come back, with Undo.
    state().closeAllDocuments();
    expect(Object.keys(state().savedTexts)).toEqual([second]);
  });
});

describe('form edits in the file’s own text', () => {
  const HAND_MADE = [
    '<?xml version="1.0"?>\r\n',
    '<!-- kept by hand -->\r\n',
    '<domaincheckpoint xmlns:app="http://example.org/app">\r\n',
    '\t<name>hand</name>\r\n',
    '\t<creationTime>0012</creationTime>  <!-- leading zeros -->\r\n',
    '\t<disks>\r\n',
    '\t\t<disk name="vda" checkpoint="bitmap"   bitmap="b1"/>\r\n',
    '\t</disks>\r\n',
    '\t<domain type="kvm"><name>vm</name><metadata><app:x>mixed <b>text</b></app:x></metadata>\r\n',
    '\t\t<devices><disk type="file" device="disk"><source file="/a.qcow2"/><target dev="vda"/></disk></devices>\r\n',
    '\t</domain>\r\n',
    '</domaincheckpoint>\r\n',
  ].join('');

  it('change the field and nothing else: comments, layout, quotes, namespaces, metadata stay', () => {
    const [id] = state().openDocuments([{ fileName: 'hand.xml', contents: HAND_MADE }], 'file');
    state().editCheckpoint(id as string, setDescription('by <hand> & "form"'));
    expect(selected().text).toBe(
      HAND_MADE.replace(
        '\t<name>hand</name>\r\n',
        '\t<name>hand</name>\r\n\t<description>by &lt;hand&gt; &amp; &quot;form&quot;</description>\r\n',
      ),
    );
    state().editCheckpoint(id as string, setDiskBitmap('vda', 'b2'));
    expect(selected().text).toContain('<disk name="vda" checkpoint="bitmap"   bitmap="b2"/>');
    state().editCheckpoint(id as string, setDescription(''));
    state().editCheckpoint(id as string, setDiskBitmap('vda', 'b1'));
    expect(selected().text).toBe(HAND_MADE);
  });
});
