// A folder opened a chunk at a time, the tree grown at each chunk (the store's structures carried
// from one growth to the next), against the same store state worked out from scratch: after each
// growth, the chain derived again over every document; at the end, the same folder opened at once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BytesFile, ReadOutcome, RuleSet } from '../core/index.ts';
import { openFile } from '../core/index.ts';
import { backupFolder } from '../samples/index.ts';
import type { CorePool } from '../workers/index.ts';
import { deriveChain } from './derive-chain.ts';
import type { EditorState } from './index.ts';
import { createEditorStore, openFiles } from './index.ts';
import { deriveVmChanges } from './vm-changes.ts';

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A core pool whose answers to 'open' come when the test says, each a chunk's outcomes. */
function heldPool() {
  const held: (() => void)[] = [];
  const pool = {
    warm() {},
    close() {},
    run(task: { kind: string; files: BytesFile[]; rules: RuleSet }) {
      if (task.kind !== 'open') return Promise.reject(new Error(`not here: ${task.kind}`));
      return new Promise<ReadOutcome[]>((resolve) =>
        held.push(() => resolve(task.files.map((f) => openFile(f, task.rules)))),
      );
    },
  };
  return { pool: pool as unknown as CorePool, held };
}

const inFolder = (path: string, contents: string) =>
  Object.assign(new File([contents], path.slice(path.lastIndexOf('/') + 1)), { path });

/** A checkpoint of `text`'s VM named `name`, below `parent`. */
function renamed(text: string, name: string, parent: string): string {
  return text
    .replace(/<name>[^<]*<\/name>/, `<name>${name}</name>`)
    .replace(/<parent>\s*<name>[^<]*<\/name>/, `<parent>\n    <name>${parent}</name>`);
}

/**
 * Three VMs: two of the same name (another uuid), one without <domain> (by its folder); chains
 * with branches; a child whose parent comes three chunks later; another file under an open one's
 * name (asked about) and the same file again (passed over); a file that cannot be read.
 */
function folder(): File[] {
  const a = backupFolder(900);
  const b = backupFolder(300, 7);
  const c = backupFolder(40, 11);
  const files = [
    ...a.map((f) => inFolder(`vmA/${f.fileName}`, f.contents)),
    ...b.map((f) => inFolder(`vmB/${f.fileName}`, f.contents)),
    ...c.map((f) =>
      inFolder(`loose/${f.fileName}`, f.contents.replace(/<domain[\s\S]*<\/domain>/, '')),
    ),
    inFolder(
      'vmA/a-orphan.xml',
      renamed((a[3] as { contents: string }).contents, 'a-orphan', 'zz-late'),
    ),
    inFolder(
      'vmA/zz-late.xml',
      renamed((a[4] as { contents: string }).contents, 'zz-late', 'virtnbdbackup.2'),
    ),
    inFolder(
      'vmA/copies/virtnbdbackup.7.xml',
      (a[7] as { contents: string }).contents.replace(
        '<creationTime>',
        '<description>again</description>\n  <creationTime>',
      ),
    ),
    inFolder('vmA/copies/virtnbdbackup.8.xml', (a[8] as { contents: string }).contents),
    inFolder('vmB/broken.xml', '<domaincheckpoint><name>half'),
    // Files of vmA again, after all of it: the same bytes passed over, other bytes asked about.
    ...a
      .filter((_, i) => i % 5 === 2)
      .map((f, i) =>
        inFolder(
          `vmA/zz-again/${f.fileName}`,
          i % 5
            ? f.contents
            : f.contents.replace('</name>', '</name>\n  <description>x</description>'),
        ),
      ),
  ];
  return files;
}

/** What the page reads of the chain. */
function chainOf(s: EditorState) {
  return {
    verdicts: s.verdicts,
    vms: s.vms,
    currentVm: s.currentVm,
    forest: s.forest,
    rows: s.rows,
    rowsById: s.rowsById,
    idByFile: s.idByFile,
    treeItems: s.treeItems,
    target: s.target,
    problemsById: s.problemsById,
    schemaStatusById: s.schemaStatusById,
    counts: s.counts,
    uncheckedIds: s.uncheckedIds,
  };
}

/** The chain derived again from nothing: no memo, every document looked at. */
function fromScratch(s: EditorState) {
  const fields = deriveChain({
    ...s,
    chainMemo: { pageChecks: {}, merged: {} },
    vms: [],
    treeItems: [],
    uncheckedIds: [],
  });
  return chainOf({ ...s, ...fields });
}

/** The store's state after an open, each document named by its path (ids differ store to store). */
function byPath(s: EditorState) {
  const path = (id: string | undefined) =>
    id === undefined ? undefined : (s.documents[id]?.path ?? s.documents[id]?.fileName);
  const row = (r: EditorState['rows'][number]) => ({
    ...r,
    id: path(r.id),
    parentId: path(r.parentId),
    childIds: r.childIds.map(path),
  });
  return {
    documents: s.documentOrder.map((id) => {
      const { id: _id, ...doc } = s.documents[id] as EditorState['documents'][string];
      return { ...doc, saved: s.savedTexts[id] === doc.text, rules: s.ruleResults[id]?.verdict };
    }),
    vms: s.vms.map((v) => ({
      key: v.key,
      label: v.label,
      ids: v.ids.map(path),
      rows: v.rows.map(row),
      errors: v.errors,
      warnings: v.warnings,
      newestTime: v.newestTime,
    })),
    treeItems: s.treeItems.map(row),
    problems: s.documentOrder.map((id) => [path(id), s.problemsById[id]]),
    vmChanges: Object.entries(s.vmChanges).map(([id, c]) => [path(id), c]),
    counts: s.counts,
    sameNames: s.sameNames.map((n) => [n.file.path, path(n.existingId), n.sameOpen]),
    skipped: s.skipped,
  };
}

afterEach(() => vi.restoreAllMocks());

describe('a folder opened a chunk at a time', () => {
  it('leaves the store as a derivation from scratch does, at each growth and at the end', async () => {
    // Each chunk's answer grows the tree: the clock says a long while has passed since the last.
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const { pool, held } = heldPool();
    const store = createEditorStore({ createCorePool: () => pool });
    const opening = openFiles(store, folder());
    let finished = false;
    void opening.then(() => (finished = true));
    let growths = 0;
    let steps = 0;
    while (!finished) {
      const before = store.getState().documentOrder.length;
      clock += 2000;
      held.shift()?.();
      for (let i = 0; i < 5; i++) await nextTask();
      const s = store.getState();
      if (s.documentOrder.length === before) continue;
      growths++;
      if (s.chainMemo.basis?.how === 'step') steps++;
      expect(chainOf(s)).toEqual(fromScratch(s));
      expect(s.vmChanges).toEqual(
        deriveVmChanges(s.rows, s.verdicts, { vmChanges: {}, vmChangesMemo: new Map() }).vmChanges,
      );
    }
    await opening;
    // Six chunks, each a growth; those that bring no new VM a step over the documents added.
    expect(growths).toBeGreaterThanOrEqual(6);
    expect(steps).toBeGreaterThanOrEqual(3);
    const chunked = store.getState();
    expect(chainOf(chunked)).toEqual(fromScratch(chunked));
    // Three VMs, two of one name told apart, each in a tree of its own.
    const labels = chunked.vms.map((v) => v.label);
    expect(new Set(labels).size).toBe(3);

    // The same folder, every chunk's answer in before the tree first grows: one growth.
    const once = heldPool();
    const again = createEditorStore({ createCorePool: () => once.pool });
    const whole = openFiles(again, folder());
    while (once.held.length < held.length + growths) await nextTask();
    for (const release of once.held.splice(0)) release();
    await whole;
    expect(byPath(chunked)).toEqual(byPath(again.getState()));
    store.services.close();
    again.services.close();
  });
});
