import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { XmlFile } from '../../src/validation/index.ts';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The shared conformance data, read in place (CI has it at the same place). */
export const conformanceDir = resolve(projectRoot, '../shared/conformance');

const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** One of this layer's fixtures, named as the user would see it. */
export function fixture(name: string): XmlFile {
  return { fileName: `fixtures/${name}`, contents: readFileSync(join(fixturesDir, name), 'utf8') };
}

export function conformanceFile(path: string): XmlFile {
  return { fileName: path, contents: readFileSync(join(conformanceDir, path), 'utf8') };
}

/** The lines a verdict's problems name, as xmllint lists them: sorted, once each. */
export function linesOf(verdict: { problems: { line?: number }[] } | undefined): number[] {
  const lines = (verdict?.problems ?? []).flatMap((p) => (p.line === undefined ? [] : [p.line]));
  return [...new Set(lines)].sort((a, b) => a - b);
}
