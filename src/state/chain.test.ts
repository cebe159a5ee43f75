import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from '../core/index.ts';
import type { OpenedFile } from './index.ts';
import {
  CHECK_ON_PAGE_LIMIT,
  createEditorStore,
  planExportAll,
  zipExportPlan,
  KEEP_ALL,
  openFiles,
  resetEditorStore,
  selectRedefinePlan,
  selectRedefineScript,
  selectUncheckedIds,
  setDescription,
  startRuleChecks,
} from './index.ts';
import { selectSessionView } from '../../test/state/session-view.ts';

const editorStore = createEditorStore();

const fork = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'shared',
  'conformance',
  'oracle',
  'tree-fork',
  'files',
);
const forkFiles = (): OpenedFile[] =>
  readdirSync(fork)
    .sort()
    .map((f) => ({ fileName: f, contents: readFileSync(resolve(fork, f), 'utf8') }));

const UUID = '4b6f8a3e-2d1c-4e5f-9a7b-3c2d1e0f9a8b';
/** A checkpoint of VM web01 with its <domain>: one disk, vda. */
function checkpoint(name: string, parent?: string, uuid = UUID): OpenedFile {
  return {
    fileName: `${name}.xml`,
    contents: [
      '<domaincheckpoint>',
      `  <name>${name}</name>`,
      '  <description>x</description>',
      ...(parent ? ['  <parent>', `    <name>${parent}</name>`, '  </parent>'] : []),
      '  <creationTime>1709251200</creationTime>',
      '  <disks>',
      `    <disk name='vda' checkpoint='bitmap' bitmap='${name}'/>`,
      '  </disks>',
      "  <domain type='kvm'>",
      '    <name>web01</name>',
      `    <uuid>${uuid}</uuid>`,
      '    <devices>',
      "      <disk type='file' device='disk'>",
      "        <driver name='qemu' type='qcow2'/>",
      "        <source file='/var/lib/libvirt/images/web01.qcow2'/>",
      "        <target dev='vda' bus='virtio'/>",
      '      </disk>',
      '    </devices>',
      '  </domain>',
      '</domaincheckpoint>',
      '',
    ].join('\n'),
  };
}

const state = () => editorStore.getState();
const view = () => selectSessionView(state());
const idOf = (fileName: string) =>
  state().documentOrder.find((id) => state().documents[id]?.fileName === fileName) as string;

beforeEach(() => resetEditorStore(editorStore));

describe('the tree', () => {
  it('is depth first, children in natural order, each with its place among its siblings', () => {
    state().openDocuments(
      [
        checkpoint('c.0'),
        checkpoint('c.1', 'c.0'),
        checkpoint('c.10', 'c.1'),
        checkpoint('c.2', 'c.1'),
      ],
      'file',
    );
    expect(view().items.map((i) => [i.label, i.level, i.posinset, i.setsize])).toEqual([
      ['c.0', 1, 1, 1],
      ['c.1', 2, 1, 1],
      ['c.2', 3, 1, 2],
      ['c.10', 3, 2, 2],
    ]);
  });

  it('does not recurse: a chain thousands deep is a tree', async () => {
    const files = [checkpoint('c.0')];
    for (let i = 1; i < 3000; i++) files.push(checkpoint(`c.${i}`, `c.${i - 1}`));
    state().openDocuments(files, 'file');
    const checks = startRuleChecks(editorStore);
    await checks.flush();
    checks.stop();
    expect(view().items.at(-1)).toMatchObject({ label: 'c.2999', level: 3000 });
  });
});

describe('the chain', () => {
  it('moves a file’s chain problems with its lines, without building the forest again', () => {
    state().openDocuments([checkpoint('a'), checkpoint('b', 'gone')], 'file');
    const before = view();
    expect(before.problemsById[idOf('b.xml')]).toMatchObject([{ code: 'parent-missing', line: 4 }]);
    state().editCheckpoint(idOf('b.xml'), setDescription('two\nlines'));
    const after = view();
    expect(after.forest.children).toBe(before.forest.children);
    expect(after.items).toBe(before.items);
    expect(after.problemsById[idOf('b.xml')]).toMatchObject([{ code: 'parent-missing', line: 5 }]);
    expect(after.forest.problems).toMatchObject([{ code: 'parent-missing', line: 5 }]);
  });

  it('builds the forest again when a parent changes', () => {
    state().openDocuments([checkpoint('a'), checkpoint('b', 'gone')], 'file');
    state().updateText(idOf('b.xml'), checkpoint('b', 'a').contents);
    expect(view().items.map((i) => [i.label, i.level])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(view().forest.problems).toEqual([]);
  });

  it('writes a redefine script, parents first, on the VM the files name', () => {
    state().openDocuments([checkpoint('b', 'a'), checkpoint('a')], 'file');
    const script = selectRedefineScript(state());
    expect(
      script
        .split('\n')
        .filter((l) => /^(DOMAIN|act|left_out) /.test(l) || l.startsWith('DOMAIN=')),
    ).toEqual(['DOMAIN=web01', 'act 1 redefine a a.xml', 'act 2 redefine b b.xml']);
    state().setRedefineValidate(true);
    expect(selectRedefineScript(state())).toContain('--redefine --redefine-validate; then\n');
  });

  it('leaves out of the script what libvirt would refuse, with everything below it', () => {
    // a → b → c; x (its parent gone) → y; d, a file libvirt refuses (another VM) → e
    const other = '00000000-0000-4000-8000-000000000000';
    state().openDocuments(
      [
        checkpoint('a'),
        checkpoint('b', 'a'),
        checkpoint('c', 'b'),
        checkpoint('x', 'gone'),
        checkpoint('y', 'x'),
        checkpoint('d', 'a', other),
        checkpoint('e', 'd'),
        { ...checkpoint('c'), fileName: 'c copy.xml' },
      ],
      'file',
    );
    const plan = selectRedefinePlan(state());
    expect(plan.order).toEqual(['a', 'b', 'c']);
    expect(plan.leftOut.map((l) => [l.file, l.reason.kind])).toEqual([
      ['d.xml', 'refused'],
      ['e.xml', 'below'],
      ['x.xml', 'parent-missing'],
      ['y.xml', 'below'],
      ['c copy.xml', 'duplicate'],
    ]);
    const script = selectRedefineScript(state());
    expect(script).toContain(
      '# Left out: 5 checkpoints libvirt would refuse, or that would replace another (1 whose parent is not among the files, 1 whose file libvirt refuses, 2 below one left out, 1 defined again by another file).',
    );
    expect(script).not.toMatch(/^act \d+ redefine d /m);
    // The missing parent is an error in libvirt's words: the file goes as it is in Export all.
    expect(view().problemsById[idOf('x.xml')]).toMatchObject([
      { code: 'parent-missing', severity: 'error', message: 'parent gone for moment x not found' },
    ]);
  });
});

describe('a target VM', () => {
  const target = (uuid: string, disks: string[]) =>
    `<domain><name>web01</name><uuid>${uuid}</uuid><devices>${disks
      .map((d) => `<disk type='file'><source file='/${d}'/><target dev='${d}'/></disk>`)
      .join('')}</devices></domain>`;

  it('checks every checkpoint against its uuid and its disks', () => {
    state().openDocuments([checkpoint('a')], 'file');
    state().loadTarget('now.xml', target(UUID, ['vdb']));
    expect(view().problemsById[idOf('a.xml')]).toMatchObject([
      { code: 'target-disk-unknown', message: "target VM web01: no disk named 'vda'", line: 6 },
    ]);
    const other = '00000000-0000-4000-8000-000000000000';
    state().loadTarget('other.xml', target(other, ['vda']));
    expect(view().problemsById[idOf('a.xml')]).toMatchObject([
      { code: 'uuid-mismatch', message: `definition for checkpoint a must use uuid ${other}` },
    ]);
    state().clearTarget();
    expect(view().problemsById[idOf('a.xml')]).toEqual([]);
  });

  it('refuses a file that is not a domain, and keeps the one in use', () => {
    state().loadTarget('now.xml', target(UUID, ['vda']));
    state().loadTarget('base.xml', readFileSync(resolve(fork, 'base.xml'), 'utf8'));
    expect(state().target?.fileName).toBe('now.xml');
    expect(state().targetError).toBe(
      "base.xml: line 1: expecting root element of 'domain', not 'domaincheckpoint'",
    );
  });
});

describe('many files', () => {
  let checks: ReturnType<typeof startRuleChecks> | undefined;
  afterEach(() => checks?.stop());

  it('are checked off the page when the rules change, the old verdicts standing meanwhile', async () => {
    const files = Array.from({ length: CHECK_ON_PAGE_LIMIT + 20 }, (_, i) =>
      checkpoint(`c.${i}`, i ? `c.${i - 1}` : undefined),
    );
    state().openDocuments(files, 'file');
    // More than the page checks at once: until the service runs, none has a verdict.
    expect(view().checkingCount).toBe(files.length);
    checks = startRuleChecks(editorStore);
    await checks.flush();
    expect(selectUncheckedIds(state())).toEqual([]);
    expect(view().items).toHaveLength(files.length);
    expect(view().errorCount).toBe(0);
    state().loadTarget(
      'other.xml',
      `<domain><uuid>00000000-0000-4000-8000-000000000000</uuid><devices><disk><source file='/x'/><target dev='vda'/></disk></devices></domain>`,
    );
    // The tree keeps its shape on the old verdicts while the new ones are worked out.
    expect(view().items).toHaveLength(files.length);
    expect(view().checkingCount).toBe(files.length);
    await checks.flush();
    expect(view().checkingCount).toBe(0);
    expect(view().errorCount).toBe(files.length);
  });

  it('open as one step of undo, with their verdicts', async () => {
    const files = forkFiles().map((f) => new File([f.contents], f.fileName));
    await openFiles(editorStore, files);
    expect(view().items.map((i) => i.label)).toEqual([
      'base',
      'left',
      'left-child',
      'right',
      'lone',
    ]);
    expect(Object.keys(state().ruleResults)).toHaveLength(5);
    expect(editorStore.temporal.getState().pastStates).toHaveLength(1);
    editorStore.temporal.getState().undo();
    expect(state().documentOrder).toEqual([]);
  });

  it('export as one zip, each file formatted by the core under its name', async () => {
    state().openDocuments(
      [...forkFiles(), { fileName: 'broken.xml', contents: '<domaincheckpoint>' }],
      'file',
    );
    const plan = await planExportAll(editorStore);
    const { zip, fileNames } = await zipExportPlan(editorStore, plan);
    const entries = unzipSync(zip);
    // Nothing is left out: the file that cannot be read goes as it is; the script goes beside.
    expect(Object.keys(entries).sort()).toEqual(
      [...forkFiles().map((f) => f.fileName), 'broken.xml', 'redefine-checkpoints.sh'].sort(),
    );
    expect(fileNames).toHaveLength(7);
    expect(strFromU8(entries['redefine-checkpoints.sh'] as Uint8Array)).toBe(plan.scripts[0]?.text);
    expect(plan.scripts[0]?.plan.order).toEqual(['base', 'left', 'left-child', 'right', 'lone']);
    for (const f of forkFiles()) {
      const parsed = parseCheckpoint(f.contents);
      if (!parsed.ok) throw new Error(f.fileName);
      expect(strFromU8(entries[f.fileName] as Uint8Array)).toBe(
        formatCheckpoint(parsed.value, KEEP_ALL),
      );
    }
    expect(strFromU8(entries['broken.xml'] as Uint8Array)).toBe('<domaincheckpoint>');
    expect(plan.entries.find((e) => e.fileName === 'broken.xml')).toMatchObject({
      how: 'as-is',
      notes: ['cannot be read as a checkpoint'],
    });
  });

  it('names clashing on Windows or macOS apart in the zip, lists each, and the script agrees', async () => {
    const dup = { ...checkpoint('b', 'a'), fileName: 'Dup.xml' };
    state().openDocuments([{ ...checkpoint('a'), fileName: 'dup.xml' }, dup], 'file');
    const plan = await planExportAll(editorStore);
    const { renamed } = plan;
    const { zip, fileNames } = await zipExportPlan(editorStore, plan);
    expect(Object.keys(unzipSync(zip)).sort()).toEqual([
      'Dup (2).xml',
      'dup.xml',
      'redefine-web01.sh',
    ]);
    expect(fileNames).toEqual(['dup.xml', 'Dup (2).xml', 'redefine-web01.sh']);
    expect(renamed).toEqual([
      {
        from: 'Dup.xml',
        to: 'Dup (2).xml',
        reason: 'the same name as dup.xml on Windows or macOS',
      },
    ]);
    const script = selectRedefineScript(state());
    expect(script).toMatch(/^act \d+ redefine b 'Dup \(2\)\.xml'$/m);
    expect(script).toContain('# Files are named as they were written out');
  });
});
