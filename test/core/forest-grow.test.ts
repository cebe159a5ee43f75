import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Forest, ForestBuild, ForestEntry } from '../../src/core/index.ts';
import { buildForest, compareNatural, forestRows, updateForest } from '../../src/core/index.ts';
import type { ForestRows } from '../../src/core/index.ts';
import { growForest } from '../../src/core/forest-grow.ts';
import { checkpointOf, simple } from './helpers.ts';

/** What a forest says, in a form toEqual compares in full (orders where the forest has them). */
function said(f: Forest) {
  const sorted = <T>(m: ReadonlyMap<string, T>) =>
    [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    keys: f.keys,
    entries: [...f.entries].map(([key, e]) => [key, e.file]),
    duplicates: f.duplicates.map((d) => [d.entry.file, d.kept.file]),
    parentOf: sorted(f.parentOf),
    inCycle: [...f.inCycle].sort(),
    children: sorted(f.children),
    depth: sorted(f.depth),
    roots: f.roots,
    leaves: f.leaves,
    topological: f.topological,
    problems: f.problems,
  };
}

function byFile(problems: Forest['problems']) {
  const out = new Map<string, unknown[]>();
  for (const p of problems) if (p.file) out.set(p.file, [...(out.get(p.file) ?? []), p]);
  return [...out].sort(([a], [b]) => (a < b ? -1 : 1));
}

const NAMES = ['c.0', 'c.1', 'c.2', 'c.10', 'c.3', 'd.1', 'd.2', 'e'];
const UUIDS = ['0f4c5e8a-1111-4a8e-9d1e-000000000001', '0f4c5e8a-2222-4a8e-9d1e-000000000002'];

interface Spec {
  name: number | null;
  parent: number | 'gone' | null;
  time: number;
  domain: { uuid: number; disks: boolean[] } | null;
  ownFile: boolean;
}

const spec: fc.Arbitrary<Spec> = fc.record({
  name: fc.option(fc.nat(NAMES.length - 1), { freq: 8 }),
  parent: fc.option(fc.oneof(fc.nat(NAMES.length - 1), fc.constant('gone' as const)), {
    freq: 4,
  }),
  time: fc.integer({ min: 1, max: 9 }),
  domain: fc.option(
    fc.record({
      uuid: fc.integer({ min: 0, max: 4 }).map((n) => (n === 4 ? 1 : 0)),
      disks: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
    }),
    { freq: 2 },
  ),
  ownFile: fc.boolean(),
});

function textOf(s: Spec): string {
  const disks = s.domain?.disks
    .map((on, i) =>
      on ? `<disk type='file' device='disk'><target dev='vd${'ab'[i]}' bus='virtio'/></disk>` : '',
    )
    .join('');
  return [
    '<domaincheckpoint>',
    s.name === null ? '' : `  <name>${NAMES[s.name]}</name>`,
    s.parent === null
      ? ''
      : `  <parent><name>${s.parent === 'gone' ? 'gone' : NAMES[s.parent]}</name></parent>`,
    `  <creationTime>${s.time}</creationTime>`,
    s.domain
      ? `  <domain type='kvm'><name>vm</name><uuid>${UUIDS[s.domain.uuid]}</uuid><devices>${disks}</devices></domain>`
      : '',
    '</domaincheckpoint>',
  ].join('\n');
}

/** The entries' files are unique, as a VM's documents' are. */
function entriesOf(specs: readonly Spec[], files: readonly string[]): ForestEntry[] {
  return specs.map((s, i) => ({ file: files[i] as string, checkpoint: checkpointOf(textOf(s)) }));
}

function fileFor(s: Spec, taken: ReadonlySet<string>, n: number): string {
  const own = s.name === null ? undefined : `${NAMES[s.name]}.xml`;
  return s.ownFile && own && !taken.has(own) ? own : `file-${n}.xml`;
}

type Op =
  | { kind: 'add'; specs: Spec[]; broken: boolean }
  | { kind: 'edit'; at: number; spec: Spec }
  | { kind: 'remove'; at: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      specs: fc.array(spec, { maxLength: 6 }),
      broken: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const), at: fc.nat(), spec }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }) },
);

describe('growForest', () => {
  it('grows a chain by its new files: the forest buildForest builds, problems in its order', () => {
    const specs: Spec[] = [
      { name: 0, parent: null, time: 1, domain: null, ownFile: true },
      { name: 1, parent: 0, time: 2, domain: null, ownFile: true },
      { name: 3, parent: 1, time: 1, domain: null, ownFile: false },
    ];
    const files = ['c.0.xml', 'c.1.xml', 'x.xml'];
    const first = updateForest(undefined, entriesOf(specs.slice(0, 2), files), {
      compare: compareNatural,
    });
    const more: Spec[] = [
      ...specs,
      { name: 2, parent: 1, time: 3, domain: null, ownFile: true },
      { name: 5, parent: 'gone', time: 3, domain: null, ownFile: true },
    ];
    const all = entriesOf(more, [...files, 'c.2.xml', 'd.1.xml']);
    all.splice(0, 2, ...first.entries);
    const grown = growForest(first, all, compareNatural) as ForestBuild;
    expect(grown).toBeDefined();
    const built = buildForest(all, { compare: compareNatural });
    expect(said(grown.forest)).toEqual(said(built));
    expect(grown.forest.children.get('c.1')).toEqual(['c.2', 'c.10']);
    expect(grown.forest.problems.map((p) => p.code)).toEqual([
      'parent-missing',
      'file-name',
      'created-before-parent',
    ]);
    // What the first forest was made of is left as it was.
    expect(first.forest.children.get('c.1')).toEqual([]);
    expect(first.forest.keys).toEqual(['c.0', 'c.1']);
  });

  it('leaves to a build from scratch what it cannot tell: a name again, an orphan’s parent', () => {
    const a: Spec = { name: 1, parent: 0, time: 2, domain: null, ownFile: true };
    const first = updateForest(undefined, entriesOf([a], ['c.1.xml']));
    const parentNow = entriesOf([{ ...a, name: 0, parent: null }], ['c.0.xml']);
    expect(growForest(first, [...first.entries, ...parentNow], compareNatural)).toBeUndefined();
    const again = entriesOf([a], ['other.xml']);
    expect(growForest(first, [...first.entries, ...again], compareNatural)).toBeUndefined();
  });

  it('after any additions, edits and removals, updateForest and forestRows equal a build from scratch', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
        let specs: Spec[] = [];
        let files: string[] = [];
        let entries: ForestEntry[] = [];
        let prev: ForestBuild | undefined;
        let prevRows: ForestRows | undefined;
        // A file that cannot be read has a row, outside the forest.
        let broken: string[] = [];
        const order: string[] = [];
        let n = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            const taken = new Set(files);
            const added = o.specs.map((s) => {
              const file = fileFor(s, taken, n++);
              taken.add(file);
              order.push(file);
              return file;
            });
            // The entries before stay the very objects they were, as the chain passes them.
            entries = [...entries, ...entriesOf(o.specs, added)];
            specs = [...specs, ...o.specs];
            files = [...files, ...added];
            if (o.broken) {
              broken = [...broken, `broken-${n}.xml`];
              order.push(`broken-${n++}.xml`);
            }
          } else if (specs.length > 0) {
            const i = o.at % specs.length;
            if (o.kind === 'edit') {
              specs = specs.map((s, j) => (j === i ? o.spec : s));
              entries = entries.map((e, j) =>
                j === i ? (entriesOf([o.spec], [e.file])[0] as ForestEntry) : e,
              );
            } else {
              specs = specs.filter((_, j) => j !== i);
              files = files.filter((_, j) => j !== i);
              entries = entries.filter((_, j) => j !== i);
            }
          }
          prev = updateForest(prev, entries, { compare: compareNatural });
          const built = buildForest(entries, { compare: compareNatural });
          expect(said(prev.forest)).toEqual(said(built));
          expect([...prev.problemsByFile].sort(([a], [b]) => (a < b ? -1 : 1))).toEqual(
            byFile(built.problems),
          );
          const rowFiles = [
            ...entries.map((e) => ({
              id: `id ${e.file}`,
              fileName: e.file,
              name: e.checkpoint.name,
            })),
            ...broken.map((b) => ({ id: `id ${b}`, fileName: b, name: 'half-read' })),
          ];
          // Files come in the order they were offered: broken ones among the others.
          rowFiles.sort((a, b) => order.indexOf(a.fileName) - order.indexOf(b.fileName));
          prevRows = forestRows(prev.forest, rowFiles, prevRows, prev.grown);
          const rows = forestRows(built, rowFiles);
          expect(prevRows.rows).toEqual(rows.rows);
          expect(prevRows.byId).toEqual(rows.byId);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("grows the rows by a folder's next files as a build from scratch makes them, the rows left alone kept", () => {
    // Parents before children, names in any order (new roots and siblings land between old ones),
    // a parent that gains a second child (its subtree moves a lane right), files that cannot be read.
    const node = fc.record({ parent: fc.option(fc.nat(), { freq: 2 }), name: fc.nat(999) });
    let growths = 0;
    fc.assert(
      fc.property(
        fc.array(node, { minLength: 2, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (nodes, chunks, brokenAt) => {
          const names = nodes.map((n, i) => `n.${n.name}.${i}`);
          const entries: ForestEntry[] = nodes.map((n, i) => {
            const parent = n.parent === null || i === 0 ? undefined : names[n.parent % i];
            const name = names[i] as string;
            return { file: `${name}.xml`, checkpoint: checkpointOf(simple(name, parent, 1 + i)) };
          });
          const files = entries.map((e) => ({
            id: `id ${e.file}`,
            fileName: e.file,
            name: e.checkpoint.name,
          }));
          const broken = new Set(brokenAt.map((b) => b % entries.length));
          // A file that cannot be read comes with the one before it.
          const rowFiles = (upTo: number) =>
            files
              .slice(0, upTo)
              .flatMap((f, i) =>
                broken.has(i)
                  ? [f, { id: `id b${i}`, fileName: `b${i}.xml`, name: undefined }]
                  : [f],
              );
          let prev: ForestBuild | undefined;
          let prevRows: ForestRows | undefined;
          let at = 0;
          let grew = 0;
          for (const size of [...chunks, entries.length]) {
            at = Math.min(entries.length, at + size);
            const now = entries.slice(0, at);
            const nowFiles = rowFiles(at);
            prev = updateForest(prev, now, { compare: compareNatural });
            if (prev.grown) grew++;
            const before = prevRows;
            prevRows = forestRows(prev.forest, nowFiles, prevRows, prev.grown);
            const built = forestRows(buildForest(now, { compare: compareNatural }), nowFiles);
            expect(prevRows.rows).toEqual(built.rows);
            expect(prevRows.byId).toEqual(built.byId);
            // A row the growth changed nothing of is the very object it was.
            for (const row of prev.grown ? prevRows.rows : []) {
              const was = before?.byId[row.id];
              if (was && JSON.stringify(was) === JSON.stringify(row)) expect(row).toBe(was);
            }
            if (at === entries.length) break;
          }
          growths += grew;
        },
      ),
      { numRuns: 300, seed: 244 },
    );
    // The growth did stand in, not only builds from scratch.
    expect(growths).toBeGreaterThan(300);
  });
});
