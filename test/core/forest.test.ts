import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ForestEntry } from '../../src/core/index.ts';
import {
  buildForest,
  compareNatural,
  forestRows,
  formatTree,
  planRedefine,
  redefineScript,
  updateForest,
} from '../../src/core/index.ts';
import { checkpointOf, simple } from './helpers.ts';

const entry = (file: string, text: string): ForestEntry => ({
  file,
  checkpoint: checkpointOf(text),
});
const oracle = join(import.meta.dirname, '..', '..', '..', 'shared', 'conformance', 'oracle');

describe('buildForest', () => {
  it('links a fork: roots, leaves, children and parents first', () => {
    const f = buildForest([
      entry('c.xml', simple('c', 'a', 3)),
      entry('a.xml', simple('a', undefined, 1)),
      entry('b.xml', simple('b', 'a', 2)),
      entry('d.xml', simple('d', 'c', 4)),
    ]);
    expect(f.roots).toEqual(['a']);
    expect(f.leaves).toEqual(['b', 'd']);
    expect(f.children.get('a')).toEqual(['b', 'c']);
    expect(f.depth.get('d')).toBe(2);
    expect(f.topological.indexOf('c')).toBeLessThan(f.topological.indexOf('d'));
    expect(f.problems).toEqual([]);
  });

  it('reports a missing parent in libvirt words, as an error, and keeps the orphan as a root', () => {
    const f = buildForest([entry('x.xml', simple('x', 'gone'))]);
    expect(f.roots).toEqual(['x']);
    expect(f.problems).toMatchObject([
      {
        code: 'parent-missing',
        severity: 'error',
        message: 'parent gone for moment x not found',
        file: 'x.xml',
        line: 3,
      },
    ]);
  });

  it('reports duplicates, cycles, children older than parents and misnamed files', () => {
    const f = buildForest([
      entry('a.xml', simple('a', 'b', 5)),
      entry('b.xml', simple('b', 'a', 4)),
      entry('copy-of-b.xml', simple('b', undefined, 7)),
    ]);
    const codes = f.problems.map((p) => p.code).sort();
    expect(codes).toContain('duplicate-name');
    expect(codes.filter((c) => c === 'parent-cycle')).toHaveLength(2);
    expect(codes).toContain('created-before-parent');
    // every checkpoint is still shown, the cycle broken at its first name
    expect(f.topological.sort()).toEqual(['a', 'b']);
    expect(f.roots).toEqual(['a']);
  });

  it('keeps the file named NAME.xml of a checkpoint defined twice, whatever sorts first', () => {
    const f = buildForest([
      entry('manual.b copy.xml', simple('manual.b', undefined, 1)),
      entry('manual.b.xml', simple('manual.b', undefined, 2)),
      entry('manual.b (2).xml', simple('manual.b', undefined, 3)),
    ]);
    expect(f.entries.get('manual.b')?.file).toBe('manual.b.xml');
    expect(f.duplicates.map((d) => [d.entry.file, d.kept.file])).toEqual([
      ['manual.b copy.xml', 'manual.b.xml'],
      ['manual.b (2).xml', 'manual.b.xml'],
    ]);
    expect(f.problems.filter((p) => p.code === 'duplicate-name')).toMatchObject([
      { file: 'manual.b copy.xml', severity: 'error' },
      { file: 'manual.b (2).xml', severity: 'error' },
    ]);
  });

  it("says a cycle in libvirt's words for each of its checkpoints", () => {
    const f = buildForest([entry('a.xml', simple('a', 'b')), entry('b.xml', simple('b', 'a'))]);
    expect(f.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      [
        'parent-cycle',
        'error',
        'checkpoint a is in a cycle of parents (a → b → a): parent b for moment a not found',
      ],
      [
        'parent-cycle',
        'error',
        'checkpoint b is in a cycle of parents (a → b → a): parent a for moment b not found',
      ],
    ]);
    expect([...f.inCycle].sort()).toEqual(['a', 'b']);
  });

  it('flags another VM and disks that come and go along a chain', () => {
    const dom = (uuid: string, disks: string[]) =>
      `<domain type='kvm'><name>vm</name><uuid>${uuid}</uuid><devices>${disks
        .map(
          (d) =>
            `<disk type='file' device='disk'><source file='/i/${d}'/><target dev='${d}'/></disk>`,
        )
        .join('')}</devices></domain>`;
    const u1 = '11111111-1111-1111-1111-111111111111';
    const f = buildForest([
      entry('a.xml', simple('a', undefined, 1, dom(u1, ['vda']))),
      entry('b.xml', simple('b', 'a', 2, dom(u1, ['vda', 'vdb']))),
      entry('c.xml', simple('c', 'b', 3, dom(u1, ['vdb']))),
      entry(
        'z.xml',
        simple('z', undefined, 4, dom('22222222-2222-2222-2222-222222222222', ['vda'])),
      ),
    ]);
    const messages = f.problems.map((p) => p.message);
    expect(messages).toContain('disk vdb appears in checkpoint b but not in its parent a');
    expect(messages).toContain('disk vda of parent b is missing from checkpoint c');
    expect(messages.some((m) => m.startsWith('checkpoint z belongs to another VM'))).toBe(true);
  });

  it('orders siblings naturally when asked: .2 before .10', () => {
    const names = ['v.10', 'v.2', 'v.1'];
    const f = buildForest(
      [entry('r.xml', simple('r')), ...names.map((n) => entry(`${n}.xml`, simple(n, 'r')))],
      { compare: compareNatural },
    );
    expect(f.children.get('r')).toEqual(['v.1', 'v.2', 'v.10']);
  });

  it('handles a chain of 20,000 without exhausting the stack', () => {
    const list = Array.from({ length: 20000 }, (_, i) =>
      entry(`c${i}.xml`, simple(`c${i}`, i ? `c${i - 1}` : undefined, i + 1)),
    );
    const f = buildForest(list);
    expect(f.depth.get('c19999')).toBe(19999);
    expect(f.topological[19999]).toBe('c19999');
    // virsh indents each level further, so its text grows with the square of the depth: 3,000 here
    const text = formatTree(buildForest(list.slice(0, 3000)));
    expect(text.split('\n')).toHaveLength(2 * 3000 + 1);
  });
});

describe('formatTree: virsh checkpoint-list --tree, byte for byte', () => {
  for (const name of ['tree-fork', 'tree-linear-12']) {
    it(name, () => {
      const files = readdirSync(join(oracle, name, 'files')).sort();
      const f = buildForest(
        files.map((x) => entry(x, readFileSync(join(oracle, name, 'files', x), 'utf8'))),
      );
      expect(formatTree(f)).toBe(readFileSync(join(oracle, name, 'expected.tree'), 'utf8'));
      expect(f.roots.join('\n') + '\n').toBe(
        readFileSync(join(oracle, name, 'expected.roots'), 'utf8'),
      );
      expect(f.leaves.join('\n') + '\n').toBe(
        readFileSync(join(oracle, name, 'expected.leaves'), 'utf8'),
      );
    });
  }
});

describe('redefineScript', () => {
  const dom =
    '<domain><name>web 01</name><uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid></domain>';

  it('redefines parents first, quotes file names, takes the VM name from the files', () => {
    const f = buildForest([
      entry("it's b.xml", simple('b', 'a', 2, dom)),
      entry('a.xml', simple('a', undefined, 1, dom)),
    ]);
    const script = redefineScript(f, { validate: true });
    expect(script).toContain("\nDOMAIN='web 01'\n");
    expect(script.slice(script.indexOf('# The checks'))).toBe(
      [
        '# The checks: nothing changes here.',
        "check_domain 4dea22b3-1d52-d8f3-2516-782e98ab3fa0 'libvirt checks the bitmaps of --redefine-validate in the running VM (it refuses: domain is not running); start it, or redefine without --redefine-validate' running paused",
        'read_checkpoints',
        'check_new_checkpoint 1 a',
        'check_file a.xml',
        'check_new_checkpoint 2 b',
        "check_file 'it'\\''s b.xml'",
        'in_order 1 1 2',
        'finish_checks',
        '',
        '# The plan.',
        `printf 'Plan for VM %s: redefine 2 checkpoints (--redefine-validate)\\n' "$DOMAIN"`,
        "say 1 'redefine checkpoint %s from %s' a a.xml",
        "say 2 'redefine checkpoint %s from %s' b 'it'\\''s b.xml'",
        'end_of_plan',
        '',
        '# Acting (--apply only), parents first.',
        'act 1 redefine a a.xml',
        "act 2 redefine b 'it'\\''s b.xml'",
        "echo 'Redefined 2 checkpoints.'",
        '',
      ].join('\n'),
    );
  });

  it('leaves out what libvirt would refuse: counted in comments, named at run time', () => {
    const f = buildForest([
      entry('a.xml', simple('a', undefined, 1, dom)),
      entry('x.xml', simple('x', 'gone', 3, dom)),
      entry('y.xml', simple('y', 'x', 4, dom)),
      entry('a copy.xml', simple('a', undefined, 1, dom)),
    ]);
    const lines = redefineScript(f).split('\n');
    expect(lines).toContain(
      '# Left out: 3 checkpoints libvirt would refuse, or that would replace another (1 whose parent is not among the files, 1 below one left out, 1 defined again by another file).',
    );
    expect(lines.filter((l) => /^(left_out|act) /.test(l))).toEqual([
      "left_out x.xml 'its parent is not among the files'",
      "left_out y.xml 'a checkpoint above it is left out'",
      "left_out 'a copy.xml' 'another file defines the same checkpoint'",
      'act 1 redefine a a.xml',
    ]);
  });

  it('asks for the VM name when no file carries one', () => {
    const script = redefineScript(buildForest([entry('a.xml', simple('a'))]));
    expect(script).toContain(': "${DOMAIN:?set DOMAIN to the VM name}"\n');
    expect(script).toContain('act 1 redefine a a.xml\n');
  });

  it('writes a name with a line break or a bidi override as printf escapes, never raw', () => {
    const dom = '<domain><name>vm1&#10;touch ~/owned #</name></domain>';
    const f = buildForest([entry('-a\u202e.xml', simple('a', undefined, 1, dom))]);
    const lines = redefineScript(f).split('\n');
    expect(lines).toContain("DOMAIN=$(printf 'vm1\\012touch ~/owned #.'); DOMAIN=${DOMAIN%.}");
    expect(lines).toContain("file_1=$(printf '\\055a\\342\\200\\256.xml.'); file_1=${file_1%.}");
    expect(lines.slice(-3)).toEqual([
      'act 1 redefine a "$file_1"',
      "echo 'Redefined 1 checkpoint.'",
      '',
    ]);
  });
});

describe('planRedefine', () => {
  it('keeps each root with all below it, parents first, and says why it leaves one out', () => {
    // r1 → (b → b1, c); r2 → d; orphan → below; cyc1 ⇄ cyc2; bad refused, with its child
    const f = buildForest(
      [
        entry('r2.xml', simple('r2', undefined, 1)),
        entry('d.xml', simple('d', 'r2', 2)),
        entry('r1.xml', simple('r1', undefined, 1)),
        entry('c.xml', simple('c', 'r1', 2)),
        entry('b.xml', simple('b', 'r1', 2)),
        entry('b1.xml', simple('b1', 'b', 3)),
        entry('orphan.xml', simple('orphan', 'gone', 3)),
        entry('below.xml', simple('below', 'orphan', 4)),
        entry('cyc1.xml', simple('cyc1', 'cyc2', 4)),
        entry('cyc2.xml', simple('cyc2', 'cyc1', 5)),
        entry('bad.xml', simple('bad', 'r2', 5)),
        entry('bad-child.xml', simple('bad-child', 'bad', 6)),
      ],
      { compare: compareNatural },
    );
    const plan = planRedefine(f, { errorsOf: (key) => (key === 'bad' ? 2 : 0) });
    expect(plan.order).toEqual(['r1', 'b', 'b1', 'c', 'r2', 'd']);
    expect(plan.leftOut.map((l) => [l.key, l.reason])).toEqual([
      ['cyc1', { kind: 'cycle' }],
      ['cyc2', { kind: 'cycle' }],
      ['orphan', { kind: 'parent-missing', parent: 'gone' }],
      ['below', { kind: 'below', ancestor: 'orphan' }],
      ['bad', { kind: 'refused', errors: 2 }],
      ['bad-child', { kind: 'below', ancestor: 'bad' }],
    ]);
  });
});

describe('updateForest', () => {
  const fork = () => [
    entry('a.xml', simple('a', undefined, 1)),
    entry('b.xml', simple('b', 'a', 2)),
    entry('c.xml', simple('c', 'gone', 3)),
  ];

  it('gives back the same forest while the chain is the same', () => {
    const first = updateForest(undefined, fork());
    expect(first.forest.children.get('a')).toEqual(['b']);
    const again = updateForest(first, fork());
    expect(again.forest).toBe(first.forest);
  });

  it('moves a file’s problems with its lines, without building the forest again', () => {
    const first = updateForest(undefined, fork());
    expect(first.problemsByFile.get('c.xml')).toMatchObject([{ code: 'parent-missing', line: 3 }]);
    const moved = fork();
    moved[2] = entry('c.xml', simple('c', 'gone', 3).replace('<name>', '\n\n<name>'));
    const next = updateForest(first, moved);
    expect(next.forest.children).toBe(first.forest.children);
    expect(next.problemsByFile.get('c.xml')).toMatchObject([{ code: 'parent-missing', line: 5 }]);
    expect(next.forest.problems).toMatchObject([{ code: 'parent-missing', line: 5 }]);
  });

  it('builds the forest again when a disk stops keeping a bitmap: its entries are read for that', () => {
    const disks = (kind: string) => `  <disks><disk name='vda' checkpoint='${kind}'/></disks>`;
    const first = updateForest(undefined, [
      entry('a.xml', simple('a', undefined, 1, disks('bitmap'))),
    ]);
    const next = updateForest(first, [entry('a.xml', simple('a', undefined, 1, disks('no')))]);
    // The backup folder's mapping (core's mapBackups) reads each entry's disks from the forest.
    expect(next.forest.entries.get('a')?.checkpoint.disks?.[0]?.checkpoint).toBe('no');
  });

  it('builds the forest again when a parent changes', () => {
    const first = updateForest(undefined, fork());
    const changed = fork();
    changed[2] = entry('c.xml', simple('c', 'b', 3));
    const next = updateForest(first, changed);
    expect(next.forest.children.get('b')).toEqual(['c']);
    expect(next.forest.problems).toEqual([]);
  });
});

describe('forestRows', () => {
  const files = [
    { id: '1', fileName: 'c.10.xml' },
    { id: '2', fileName: 'c.0.xml' },
    { id: '3', fileName: 'c.2.xml' },
    { id: '4', fileName: 'broken.xml', name: 'half-read' },
    { id: '5', fileName: 'c.1.xml' },
  ];
  const forest = () =>
    buildForest(
      [
        entry('c.10.xml', simple('c.10', 'c.1')),
        entry('c.0.xml', simple('c.0')),
        entry('c.2.xml', simple('c.2', 'c.1')),
        entry('c.1.xml', simple('c.1', 'c.0')),
      ],
      { compare: compareNatural },
    );

  it('lists the forest depth first, each row with its place among its siblings', () => {
    const { rows, byId } = forestRows(forest(), files);
    expect(rows.map((r) => [r.label, r.level, r.posinset, r.setsize, r.key])).toEqual([
      ['c.0', 1, 1, 2, 'c.0'],
      ['c.1', 2, 1, 1, 'c.1'],
      ['c.2', 3, 1, 2, 'c.2'],
      ['c.10', 3, 2, 2, 'c.10'],
      ['half-read', 1, 2, 2, undefined],
    ]);
    expect(byId['5']).toMatchObject({ parentId: '2', childIds: ['3', '1'] });
  });

  it('keeps a chain in one lane at any depth, a lane further right only below a fork', () => {
    const { rows } = forestRows(forest(), files);
    expect(rows.map((r) => [r.label, r.level, r.lane])).toEqual([
      ['c.0', 1, 0],
      ['c.1', 2, 0],
      ['c.2', 3, 1],
      ['c.10', 3, 1],
      ['half-read', 1, 0],
    ]);
    // 200 deep, forks at 50: the chain stays in lane 0, each branch in lane 1.
    const chain = Array.from({ length: 200 }, (_, i) =>
      entry(`c${i}.xml`, simple(`c${i}`, i ? `c${i === 100 ? 50 : i - 1}` : undefined, i + 1)),
    );
    const deep = forestRows(
      buildForest(chain, { compare: compareNatural }),
      chain.map((e) => ({ id: e.file, fileName: e.file })),
    );
    const at = (name: string) => deep.byId[`${name}.xml`];
    expect([at('c50')?.level, at('c50')?.lane]).toEqual([51, 0]);
    expect([at('c51')?.level, at('c51')?.lane]).toEqual([52, 1]);
    expect([at('c100')?.level, at('c100')?.lane]).toEqual([52, 1]);
    expect([at('c199')?.level, at('c199')?.lane]).toEqual([151, 1]);
  });

  it('marks a file the forest leaves out as a duplicate of a checkpoint it holds', () => {
    const f = buildForest([entry('m copy.xml', simple('m')), entry('m.xml', simple('m'))]);
    const { rows } = forestRows(f, [
      { id: '1', fileName: 'm copy.xml', name: 'm' },
      { id: '2', fileName: 'm.xml', name: 'm' },
    ]);
    expect(rows.map((r) => [r.fileName, r.key, r.duplicate])).toEqual([
      ['m.xml', 'm', undefined],
      ['m copy.xml', undefined, true],
    ]);
  });

  it('gives back the same rows while the links and the files are the same', () => {
    const f = forest();
    const first = forestRows(f, files);
    expect(forestRows(f, [...files], first)).toBe(first);
    const renamed = files.map((x) => (x.id === '4' ? { ...x, name: 'now named' } : x));
    expect(forestRows(f, renamed, first).byId['4']?.label).toBe('now named');
  });
});
