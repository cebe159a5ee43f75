import { describe, expect, it } from 'vitest';
import { arrivalOf, dropRepeats, openFileKey } from '../../src/core/index.ts';

// One rule for the page (a file already open) and the CLI (collect.sh's folder beside its bundle).

describe('dropRepeats: a VM file with the name and bytes of one read before is read once', () => {
  const file = (path: string, text: string) => ({ path, text });
  const read = (f: { path: string; text: string }) => f;

  it('the bundle copy of a folder file is a repeat of it; another text under the name is kept', () => {
    const a = file('web01-checkpoints/checkpoints/bk.1.xml', '<a/>');
    const b = file('web01-checkpoints.tar.gz/web01-checkpoints/checkpoints/bk.1.xml', '<a/>');
    const c = file('other/bk.1.xml', '<c/>');
    const d = file('again/bk.1.xml', '<c/>');
    const { kept, repeats } = dropRepeats([a, b, c, d], 'uuid:1', read);
    expect(kept).toEqual([a, c]);
    expect(repeats).toEqual([
      { file: b, of: a },
      { file: d, of: c },
    ]);
  });

  it('what cannot be read as text is never a repeat', () => {
    const a = file('x/bk.1.xml', '');
    const { kept } = dropRepeats([a, { ...a }], 'vm', () => undefined);
    expect(kept).toHaveLength(2);
  });

  it('arrivalOf: keyed by VM and base name', () => {
    const open = new Map([[openFileKey('vm1', 'a/bk.1.xml'), { text: 'x' }]]);
    expect(arrivalOf(open, openFileKey('vm1', 'b/bk.1.xml'), 'x').kind).toBe('repeat');
    expect(arrivalOf(open, openFileKey('vm1', 'bk.1.xml'), 'y').kind).toBe('same-name');
    expect(arrivalOf(open, openFileKey('vm2', 'bk.1.xml'), 'x').kind).toBe('new');
  });
});
