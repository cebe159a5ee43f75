import { describe, expect, it } from 'vitest';
import { decodeXml } from '../../src/core/index.ts';
import { createNodeValidator, loadSchemaSet } from '../../src/validation/node.ts';

describe('a file in another encoding', () => {
  it('is validated as the text its declaration names, not read twice', async () => {
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode(
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<domaincheckpoint>\n  <description>caf',
      ),
      0xe9,
      ...new TextEncoder().encode('</description>\n  <name>a b</name>\n</domaincheckpoint>\n'),
    ]);
    const text = decodeXml(latin1);
    expect(text.ok).toBe(true);
    if (!text.ok) return;
    const validator = await createNodeValidator(await loadSchemaSet());
    const utf16 =
      '<?xml version="1.0" encoding="UTF-16"?>\n<domaincheckpoint><name>ok</name></domaincheckpoint>\n';
    const [latin, sixteen] = await validator.validate([
      { fileName: 'latin1.xml', contents: text.value },
      { fileName: 'utf16.xml', contents: utf16 },
    ]);
    validator.close();
    // the name 'a b' breaks the schema's pattern on line 4: the error is found where it stands
    expect(latin?.valid).toBe(false);
    expect(latin?.problems.map((p) => p.line)).toContain(4);
    expect(sixteen).toMatchObject({ valid: true, problems: [] });
  });
});

describe('a file whose error names no file', () => {
  it('keeps the error on that file, not on the next one', async () => {
    const lol = Array.from(
      { length: 9 },
      (_, i) => ` <!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`,
    ).join('\n');
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE domaincheckpoint [\n <!ENTITY l0 "lol">\n${lol}\n]>\n<domaincheckpoint><name>a</name><description>&l9;</description></domaincheckpoint>\n`;
    const validator = await createNodeValidator(await loadSchemaSet());
    const [b, ok] = await validator.validate([
      { fileName: 'bomb.xml', contents: bomb },
      { fileName: 'ok.xml', contents: '<domaincheckpoint><name>ok</name></domaincheckpoint>\n' },
    ]);
    validator.close();
    expect(b?.valid).toBe(false);
    expect(b?.problems.map((p) => p.message).join('\n')).toMatch(/amplification/);
    expect(ok).toMatchObject({ valid: true, problems: [] });
  });
});
