import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ForestEntry } from '../../src/core/index.ts';
import {
  buildForest,
  compareNatural,
  forestRows,
  formatTree,
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

  it('reports a missing parent in libvirt words and keeps the orphan as a root', () => {
    const f = buildForest([entry('x.xml', simple('x', 'gone'))]);
    expect(f.roots).toEqual(['x']);
    expect(f.problems).toMatchObject([
      {
        code: 'parent-missing',
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
  it('lists parents first, quotes file names, takes the VM name from the files', () => {
    const dom =
      '<domain><name>web 01</name><uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid></domain>';
    const f = buildForest([
      entry("it's b.xml", simple('b', 'a', 2, dom)),
      entry('a.xml', simple('a', undefined, 1, dom)),
    ]);
    expect(redefineScript(f, { validate: true })).toBe(
      [
        '#!/bin/sh',
        '# Redefines 2 checkpoints, parents first, on the VM named by DOMAIN.',
        '# Names from the files are quoted; characters that do not print are written as printf escapes.',
        'set -e',
        "DOMAIN='web 01'",
        'virsh checkpoint-create --domain "$DOMAIN" --xmlfile a.xml --redefine --redefine-validate',
        "virsh checkpoint-create --domain \"$DOMAIN\" --xmlfile 'it'\\''s b.xml' --redefine --redefine-validate",
        '',
      ].join('\n'),
    );
  });

  it('asks for the VM name when no file carries one', () => {
    const script = redefineScript(buildForest([entry('a.xml', simple('a'))]));
    expect(script).toContain(': "${DOMAIN:?set DOMAIN to the VM name}"\n');
    expect(script).toContain(
      'virsh checkpoint-create --domain "$DOMAIN" --xmlfile a.xml --redefine\n',
    );
  });

  it('writes a name with a line break or a bidi override as printf escapes, never raw', () => {
    const dom = '<domain><name>vm1&#10;touch ~/owned #</name></domain>';
    const f = buildForest([entry('-a\u202e.xml', simple('a', undefined, 1, dom))]);
    expect(redefineScript(f).split('\n').slice(4)).toEqual([
      "DOMAIN=$(printf 'vm1\\012touch ~/owned #.'); DOMAIN=${DOMAIN%.}",
      "file=$(printf '\\055a\\342\\200\\256.xml.'); file=${file%.}",
      'virsh checkpoint-create --domain "$DOMAIN" --xmlfile "$file" --redefine',
      '',
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

  it('gives back the same rows while the links and the files are the same', () => {
    const f = forest();
    const first = forestRows(f, files);
    expect(forestRows(f, [...files], first)).toBe(first);
    const renamed = files.map((x) => (x.id === '4' ? { ...x, name: 'now named' } : x));
    expect(forestRows(f, renamed, first).byId['4']?.label).toBe('now named');
  });
});
