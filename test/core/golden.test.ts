import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint, redefineCheckpoint } from '../../src/core/index.ts';

// libvirt's style (tests/qemudomaincheckpointxml2xmltest.c): in → out, out → out, invalid → error.
const dir = join(import.meta.dirname, '..', 'fixtures', 'redefine');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.in.xml'))
  .map((f) => f.slice(0, -'.in.xml'.length));

function redefine(text: string) {
  const parsed = parseCheckpoint(text);
  if (!parsed.ok) return parsed;
  return redefineCheckpoint(parsed.value);
}

describe('redefine golden files', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(3));

  for (const name of cases) {
    const files = readdirSync(dir);
    if (files.includes(`${name}.out.xml`)) {
      it(`${name}: in → out`, () => {
        const r = redefine(read(`${name}.in.xml`));
        expect(r.ok && formatCheckpoint(r.value)).toBe(read(`${name}.out.xml`));
      });
      it(`${name}: out → out is stable`, () => {
        const r = redefine(read(`${name}.out.xml`));
        expect(r.ok && formatCheckpoint(r.value)).toBe(read(`${name}.out.xml`));
      });
    } else {
      it(`${name}: invalid → libvirt's error on its line`, () => {
        const [message, line] = read(`${name}.err`).trim().split('\n');
        const r = redefine(read(`${name}.in.xml`));
        expect(r.ok).toBe(false);
        expect(r.problems[0]?.message).toBe(message);
        expect(r.problems[0]?.line).toBe(Number(line));
      });
    }
  }
});
