import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeFileName, zipEntryNames } from '../../src/core/index.ts';

const names = (files: string[]) => zipEntryNames(files).names;

describe('zipEntryNames', () => {
  it('keeps names that every system can write, in the order given', () => {
    const files = ['virtnbdbackup.0.xml', 'virtnbdbackup.10.xml', 'sub/a.xml', 'café.xml'];
    expect(zipEntryNames(files)).toEqual({ names: files, renamed: [] });
  });

  it('makes names unique where case is ignored: the first keeps its name', () => {
    expect(zipEntryNames(['dup.xml', 'Dup.xml', 'DUP.XML'])).toEqual({
      names: ['dup.xml', 'Dup (2).xml', 'DUP (3).XML'],
      renamed: [
        {
          from: 'Dup.xml',
          to: 'Dup (2).xml',
          reason: 'the same name as dup.xml on Windows or macOS',
        },
        {
          from: 'DUP.XML',
          to: 'DUP (3).XML',
          reason: 'the same name as dup.xml on Windows or macOS',
        },
      ],
    });
  });

  it('makes names unique after Unicode normalisation, keeping each form as it was', () => {
    const composed = 'caf\u00e9.xml';
    const decomposed = 'cafe\u0301.xml';
    expect(zipEntryNames([composed, decomposed])).toEqual({
      names: [composed, 'cafe\u0301 (2).xml'],
      renamed: [
        {
          from: decomposed,
          to: 'cafe\u0301 (2).xml',
          reason: `the same name as ${composed} on Windows or macOS`,
        },
      ],
    });
  });

  it('never takes a name another file already has', () => {
    expect(names(['a.xml', 'A.xml', 'a (2).xml'])).toEqual(['a.xml', 'A (3).xml', 'a (2).xml']);
    expect(names(['x.xml', 'x.xml'])).toEqual(['x.xml', 'x (2).xml']);
    expect(zipEntryNames(['x.xml', 'x.xml']).renamed[0]?.reason).toBe(
      'the same name as another file',
    );
    expect(names(['Sub/a.xml', 'sub/A.xml', 'sub/b.xml'])).toEqual([
      'Sub/a.xml',
      'sub/A (2).xml',
      'sub/b.xml',
    ]);
  });

  it("adjusts Windows' device names, with any extension and any case", () => {
    expect(
      names(['CON.xml', 'aux.xml', 'nul', 'com1.xml', 'LPT9.tar.gz', 'prn .xml', 'console.xml']),
    ).toEqual([
      'CON_.xml',
      'aux_.xml',
      'nul_',
      'com1_.xml',
      'LPT9_.tar.gz',
      'prn _.xml',
      'console.xml',
    ]);
    expect(zipEntryNames(['CON.xml']).renamed).toEqual([
      { from: 'CON.xml', to: 'CON_.xml', reason: 'a device name on Windows' },
    ]);
  });

  it('drops trailing dots and spaces, which Windows drops', () => {
    expect(names(['a.xml.', 'b.xml ', 'c. . ', '...', '.'])).toEqual([
      'a.xml',
      'b.xml',
      'c',
      '_',
      '_ (2)',
    ]);
  });

  it('replaces characters Windows refuses, control characters and bidi controls', () => {
    expect(names(['a<b>c:d"e\\f|g?h*.xml', 'tab\there.xml', 'a\u0001\u007f\u0085.xml'])).toEqual([
      'a_b_c_d_e_f_g_h_.xml',
      'tab_here.xml',
      'a___.xml',
    ]);
    expect(zipEntryNames(['evil\u202elmx.sh'])).toEqual({
      names: ['evil_lmx.sh'],
      renamed: [
        {
          from: 'evil\u202elmx.sh',
          to: 'evil_lmx.sh',
          reason: 'a control character that reorders text',
        },
      ],
    });
  });

  it('keeps folders, but no folder climbs out of the zip', () => {
    expect(names(['../../etc/x.xml', '/abs/y.xml', 'a//b.xml', './c.xml'])).toEqual([
      '_/_/etc/x.xml',
      'abs/y.xml',
      'a/b.xml',
      '_/c.xml',
    ]);
  });

  it('cuts a name over 255 bytes before its extension, on a character boundary', () => {
    const long = `${'é'.repeat(100_000)}.xml`;
    const [name] = names([long]);
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(255);
    expect(name).toBe(`${'é'.repeat(125)}.xml`);
    const [a, b] = names([long, long.toUpperCase()]);
    expect(b).toBe(`${'É'.repeat(123)} (2).XML`);
    expect(a).not.toBe(b);
  });

  it('any names: unique where case and Unicode form are ignored, writable, changes listed', () => {
    const piece = fc.oneof(
      fc.constantFrom('a', 'A', 'é', 'e\u0301', 'CON', 'nul', '.', ' ', '/', '<', '\u202e', '\t'),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    const name = fc.array(piece, { maxLength: 6 }).map((p) => `${p.join('')}.xml`);
    fc.assert(
      fc.property(fc.array(name, { maxLength: 12 }), (files) => {
        const { names: out, renamed } = zipEntryNames(files);
        expect(out).toHaveLength(files.length);
        const keys = out.map((n) => n.normalize('NFC').toLowerCase());
        expect(new Set(keys).size).toBe(out.length);
        for (const n of out) {
          for (const part of n.split('/')) {
            expect(part).not.toMatch(/^$|[<>:"\\|?*\p{Cc}\u202a-\u202e\u2066-\u2069]|[. ]$/u);
            expect(part.split('.')[0]?.trimEnd()).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
            expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(255);
          }
        }
        expect(renamed.map((r) => r.from)).toEqual(files.filter((f, i) => out[i] !== f));
        for (const r of renamed) expect(r.reason).not.toBe('');
        // The same list gives the same names: the redefine script and the zip agree.
        expect(zipEntryNames(files).names).toEqual(out);
      }),
      { numRuns: 300 },
    );
  });
});

describe('safeFileName', () => {
  it('makes one name for a download, a slash included', () => {
    expect(safeFileName('web01-checkpoints.zip')).toBe('web01-checkpoints.zip');
    expect(safeFileName('../vm/1:2.zip')).toBe('.._vm_1_2.zip');
    expect(safeFileName('redefine-CON.sh')).toBe('redefine-CON.sh');
    expect(safeFileName('CON')).toBe('CON_');
  });
});
