// The chain updated step by step (chain-step.ts) against the chain derived again over every
// document (deriveChain with nothing remembered), over random growth orders of real checkpoints:
// files arriving in any order and chunk size (children before their parents, names twice, files
// that cannot be read, files with no verdict yet), the schema's verdicts arriving in any order,
// edits and VMs assigned at the end of an open.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openFile } from '../core/index.ts';
import { backupFolder } from '../samples/index.ts';
import type { OpenedFile } from './open-slice.ts';
import { deriveChain } from './derive-chain.ts';
import type { EditorState } from './editor-state.ts';
import { createEditorStore } from './store.ts';
import { deriveVmChanges } from './vm-changes.ts';

// More runs: CHAIN_STEP_RUNS=200 npx vitest run src/state/chain-step.test.ts
const RUNS = Number(process.env['CHAIN_STEP_RUNS'] ?? 25);

const FILES = backupFolder(90);
const encoder = new TextEncoder();

/** What a file may be when it arrives: as virsh wrote it, broken, another name, no verdict yet. */
type Variant = 'as-is' | 'malformed' | 'renamed' | 'no-verdict' | 'stale-rules';

function opened(index: number, variant: Variant, vm: string | undefined): OpenedFile {
  const file = FILES[index % FILES.length] as (typeof FILES)[number];
  let contents = file.contents;
  if (variant === 'malformed') contents = contents.replace('</name>', '</nam>');
  // The same checkpoint under another file name: the chain says it is defined twice.
  const fileName = variant === 'renamed' ? `copy-${index}-${file.fileName}` : file.fileName;
  const profile = 'allow-no-domain' as const;
  const outcome = openFile({ fileName, bytes: encoder.encode(contents) }, { profile });
  const result: OpenedFile = { fileName, path: fileName, contents };
  if ('verdict' in outcome && variant !== 'no-verdict') {
    const rulesKey = variant === 'stale-rules' ? `${profile}:99` : `${profile}:0`;
    result.verdict = { rulesKey, verdict: outcome.verdict };
  }
  if (vm !== undefined) result.vm = vm;
  return result;
}

/** What the tests compare: every field of the chain that the page reads. */
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

/** The chain derived again from nothing: no memo, no basis, every document looked at. */
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

type Step =
  | { kind: 'files'; picks: { index: number; variant: Variant; vm: number }[] }
  | { kind: 'schema'; picks: number[]; errors: boolean }
  | { kind: 'edit'; pick: number; what: 'description' | 'name' | 'parent' }
  | { kind: 'assign'; pick: number; vm: number };

const variant = fc.constantFrom<Variant>(
  'as-is',
  'as-is',
  'as-is',
  'malformed',
  'renamed',
  'no-verdict',
  'stale-rules',
);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('files' as const),
      picks: fc.array(
        fc.record({
          index: fc.nat({ max: FILES.length - 1 }),
          variant,
          vm: fc.nat({ max: 2 }),
        }),
        { minLength: 1, maxLength: 25 },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('schema' as const),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
      errors: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      pick: fc.nat(),
      what: fc.constantFrom('description' as const, 'name' as const, 'parent' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('assign' as const),
      pick: fc.nat(),
      vm: fc.nat({ max: 2 }),
    }),
  },
);

const VMS = [undefined, 'uuid:4b6f8a3e-0000-4e5f-9a7b-000000000001', 'name:db01'];

function apply(store: ReturnType<typeof createEditorStore>, s: Step, seen: Set<string>): void {
  const state = store.getState();
  const ids = state.documentOrder;
  if (s.kind === 'files') {
    // One file name once per open, as a folder holds it.
    const files = s.picks
      .map((p) => opened(p.index, p.variant, VMS[p.vm]))
      .filter((f) => !seen.has(f.fileName) && seen.add(f.fileName));
    if (files.length === 0) return;
    if (ids.length === 0) state.openDocuments(files, 'file');
    else state.appendDocuments(files, 'file');
  } else if (s.kind === 'schema' && ids.length) {
    const results: EditorState['schemaResults'] = {};
    for (const pick of s.picks) {
      const id = ids[pick % ids.length] as string;
      const doc = state.documents[id];
      if (!doc) continue;
      const problems = s.errors
        ? [
            {
              code: 'schema',
              severity: 'error' as const,
              message: 'Did not expect element x',
              line: 3,
            },
          ]
        : [];
      results[id] = { text: doc.text, generation: state.schemaSet.generation, problems };
    }
    state.applySchemaResults(results);
  } else if (s.kind === 'edit' && ids.length) {
    const id = ids[s.pick % ids.length] as string;
    const doc = state.documents[id];
    // A description leaves the chain as it was; a name or a parent changes the forest.
    const edited = {
      description: (t: string) => t.replace('<description>', '<description>edited '),
      name: (t: string) => t.replace('</name>', '-edited</name>'),
      parent: (t: string) => t.replace(/<parent>[\s\S]*?<\/parent>/, ''),
    }[s.what];
    if (doc) state.updateText(id, edited(doc.text));
  } else if (s.kind === 'assign' && ids.length) {
    const id = ids[s.pick % ids.length] as string;
    state.assignVms({ [id]: VMS[s.vm] ?? 'folder:' });
  }
}

describe('the chain updated step by step', () => {
  it('equals the chain derived again over every document, over random growth orders', () => {
    let steps = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 14 }), (plan) => {
        const store = createEditorStore();
        store.getState().closeAllDocuments();
        const seen = new Set<string>();
        for (const s of plan) {
          apply(store, s, seen);
          const now = store.getState();
          if (now.chainMemo.basis?.how === 'step') steps++;
          expect(chainOf(now)).toEqual(fromScratch(now));
          expect(now.vmChanges).toEqual(
            deriveVmChanges(now.rows, now.verdicts, { vmChanges: {}, vmChangesMemo: new Map() })
              .vmChanges,
          );
        }
        store.services.close();
      }),
      { numRuns: RUNS, seed: 24 },
    );
    // The step did stand in, not only the whole derivation.
    expect(steps).toBeGreaterThan(RUNS);
  });

  it("adds a folder's next files without going over the others again", () => {
    const store = createEditorStore();
    store.getState().closeAllDocuments();
    store.getState().openDocuments([opened(0, 'as-is', undefined)], 'file');
    store.getState().appendDocuments(
      FILES.slice(1, 40).map((_, i) => opened(i + 1, 'as-is', undefined)),
      'file',
    );
    const s = store.getState();
    expect(s.chainMemo.basis?.how).toBe('step');
    expect(s.rows).toHaveLength(40);
    expect(chainOf(s)).toEqual(fromScratch(s));
    store.services.close();
  });
});
