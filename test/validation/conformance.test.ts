import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Validator } from '../../src/validation/index.ts';
import { createNodeValidator, loadSchemaSet } from '../../src/validation/node.ts';
import { conformanceDir, conformanceFile, linesOf } from './files.ts';

interface Expected {
  path: string;
  verdict: string;
  valid: boolean;
  lines: number[];
}

// verdicts.tsv: file, valid|invalid, the lines native xmllint (libxml2 2.9.14) names, comma-separated.
const expected: Expected[] = readFileSync(join(conformanceDir, 'verdicts.tsv'), 'utf8')
  .split('\n')
  .filter((row) => row.trim() !== '' && !row.startsWith('#'))
  .map((row) => {
    const [path = '', verdict = '', lines = ''] = row.split('\t');
    return {
      path,
      verdict,
      valid: verdict === 'valid',
      lines: lines
        .split(/[ ,]+/)
        .filter(Boolean)
        .map(Number)
        .sort((a, b) => a - b),
    };
  });

describe('the conformance verdicts (verdicts.tsv)', () => {
  let validator: Validator;
  beforeAll(async () => {
    validator = await createNodeValidator(await loadSchemaSet());
  });

  it('lists files', () => {
    expect(expected.length).toBeGreaterThan(40);
    expect(expected.some((e) => !e.valid)).toBe(true);
  });

  it('gives native xmllint’s verdict and lines for every file, all in one run', async () => {
    const verdicts = await validator.validate(expected.map((e) => conformanceFile(e.path)));
    const got = verdicts.map((v) => ({ path: v.fileName, valid: v.valid, lines: linesOf(v) }));
    expect(got).toEqual(expected.map(({ path, valid, lines }) => ({ path, valid, lines })));
  });

  it.each(expected)('$path is $verdict, with the same lines, alone', async (e) => {
    const [verdict] = await validator.validate([conformanceFile(e.path)]);
    expect({ valid: verdict?.valid, lines: linesOf(verdict) }).toEqual({
      valid: e.valid,
      lines: e.lines,
    });
    for (const p of verdict?.problems ?? []) {
      expect(p).toMatchObject({ code: 'schema', severity: 'error', file: e.path });
    }
  });
});
