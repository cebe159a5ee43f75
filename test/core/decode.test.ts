import { describe, expect, it } from 'vitest';
import { decodeXml, decodeXmlFile, fileSizeProblem, parseXml } from '../../src/core/index.ts';

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)),
  );

describe('decodeXml', () => {
  it('reads UTF-8, with or without a byte order mark', () => {
    expect(decodeXml(bytes('<a>é</a>'))).toMatchObject({ ok: true, value: '<a>é</a>' });
    expect(decodeXml(bytes([0xef, 0xbb, 0xbf], '<a/>'))).toMatchObject({ ok: true, value: '<a/>' });
  });

  it('reads UTF-16 by its byte order mark', () => {
    const le = [0xff, 0xfe, ...[...'<a/>'].flatMap((c) => [c.charCodeAt(0), 0])];
    expect(decodeXml(new Uint8Array(le))).toMatchObject({ ok: true, value: '<a/>' });
  });

  it('reads the encoding the XML declaration names', () => {
    const r = decodeXml(bytes('<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>', [0xe9], '</a>'));
    expect(r).toMatchObject({
      ok: true,
      value: '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>é</a>',
    });
  });

  it('names the line of bytes that are not UTF-8, in libxml2’s words', () => {
    const r = decodeXml(bytes('<a>\n<b>caf', [0xe9], ' au lait</b></a>'));
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({ code: 'encoding', line: 2 });
    expect(r.problems[0]?.message).toMatch(
      /^Input is not proper UTF-8, indicate encoding ! Bytes: 0xE9 0x20/,
    );
  });

  it('calls binary data what it is', () => {
    const png = [
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ];
    expect(decodeXml(new Uint8Array(png)).problems[0]?.message).toBe('binary data, not XML text');
    expect(decodeXml(bytes('PK', [3, 4, 20, 0, 0, 0])).problems[0]?.code).toBe('not-xml');
  });
});

describe('limits', () => {
  it('refuses a file over the size limit, saying both sizes', () => {
    expect(fileSizeProblem(10, 100)).toBeUndefined();
    expect(fileSizeProblem(50 * 1024 * 1024, 32 * 1024 * 1024)?.message).toBe(
      'file is 50.0 MiB, over the limit of 32.0 MiB',
    );
  });

  it('refuses nesting deeper than libxml2 allows, without exhausting the stack', () => {
    const deep = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    expect(parseXml(deep(257)).ok).toBe(true);
    const r = parseXml(deep(100_000));
    expect(r.ok).toBe(false);
    expect(r.problems[0]?.message).toBe(
      'Excessive depth in document: 256 use XML_PARSE_HUGE option',
    );
  });
});

describe('libxml2’s limits', () => {
  it('refuses a text node over 10,000,000 characters, in libxml2’s words, on its line', () => {
    const r = parseXml(`<a>\n<b>${'x'.repeat(10_000_001)}</b></a>`);
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({
      message: 'Resource limit exceeded: Text node too long, try XML_PARSE_HUGE',
      line: 2,
    });
    expect(parseXml(`<a>${'x'.repeat(10_000_000)}</a>`).ok).toBe(true);
  });

  it('calls an empty document line 1', () => {
    expect(parseXml('').problems[0]?.line).toBe(1);
  });
});

describe('decodeXmlFile', () => {
  it('keeps the bytes of a file that is not its text in UTF-8, wherever its one byte over 0x7F lies and however its bytes are aligned', () => {
    const head = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<a>';
    for (let offset = 0; offset < 4; offset++) {
      for (let at = 0; at < 13; at++) {
        const text = `${head}${'x'.repeat(at)}\u00e9${'y'.repeat(12 - at)}</a>\n`;
        const file = bytes(`${head}${'x'.repeat(at)}`, [0xe9], `${'y'.repeat(12 - at)}</a>\n`);
        const buffer = new Uint8Array(offset + file.length + 3);
        buffer.set(file, offset);
        const read = decodeXmlFile(buffer.subarray(offset, offset + file.length));
        expect(read.ok && read.value.text).toBe(text);
        expect(read.ok && read.value.original?.bytes).toEqual(file);
      }
    }
    const ascii = bytes(`${head.replace('ISO-8859-1', 'UTF-8')}${'x'.repeat(41)}</a>\n`);
    const read = decodeXmlFile(new Uint8Array([0, ...ascii]).subarray(1));
    expect(read.ok && read.value.original).toBeUndefined();
  });
});
