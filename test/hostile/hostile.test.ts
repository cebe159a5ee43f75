import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeXml, parseCheckpoint } from '../../src/core/index.ts';
import { main } from '../../src/cli/main.ts';
import type { HostileCase } from './corpus.ts';
import { hostileCases, largeCases, writeAwkwardFolder, writeCases } from './corpus.ts';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err, all: out + err };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function check(c: HostileCase, dir: string) {
  const path = join(dir, c.fileName);
  it(`${c.id}: the core reads it without throwing`, () => {
    const text = decodeXml(c.bytes);
    const parsed = text.ok ? parseCheckpoint(text.value) : text;
    if (c.never) expect(JSON.stringify(parsed)).not.toContain(c.never);
    if (!c.expect) expect(parsed.ok).toBe(true);
  });
  it(`${c.id}: the CLI ${c.expect ? `says ${c.expect} naming the file${c.line ? ` and line ${c.line}` : ''}` : c.libvirtRefuses ? `validates it and, as libvirt, refuses to format it: ${c.libvirtRefuses.expect}` : 'accepts it'}`, async () => {
    const validate = await cli('validate', path);
    const format = await cli('format', '--redefine', '--allow-no-domain', path);
    for (const r of [validate, format]) {
      if (c.never) expect(r.all).not.toContain(c.never);
    }
    if (!c.expect && c.libvirtRefuses) {
      expect(validate.code).toBe(0);
      expect(format.code).toBe(1);
      expect(format.err).toMatch(c.libvirtRefuses.expect);
      expect(format.err).toContain(`${path}:${c.libvirtRefuses.line}:`);
      return;
    }
    if (!c.expect) {
      expect(validate.code).toBe(0);
      expect(format).toMatchObject({ code: 0, err: '' });
      expect(format.out).toMatch(/^<domaincheckpoint>\n/);
      expect(format.out).not.toMatch(/<(script|img)/);
      return;
    }
    if (c.schemaWarns) {
      expect(validate.code).toBe(0);
      expect(validate.out).toMatch(c.schemaWarns);
      expect(validate.out).toContain(`${path}:${c.line}:`);
    } else {
      expect(validate.code).toBe(1);
      expect(validate.out).toContain(`${path}: invalid`);
    }
    expect(format.code).toBe(1);
    expect(format.err).toMatch(/^error: /);
    expect(format.err).toContain(path);
    expect(format.err).toMatch(c.expect);
    if (c.line) expect(format.err).toContain(`${path}:${c.line}:`);
  });
}

describe('hostile and broken input', () => {
  const cases = hostileCases();
  const dir = writeCases(cases);
  dirs.push(dir);
  for (const c of cases) check(c, dir);
});

describe('hostile input, large', () => {
  const cases = largeCases();
  const dir = writeCases(cases);
  dirs.push(dir);
  for (const c of cases) check(c, dir);
});

describe('a folder of 10,000 files that are not XML, and awkward file names', () => {
  const dir = writeAwkwardFolder();
  dirs.push(dir);
  it('tree reads only the XML files and names each as given', async () => {
    const r = await cli('tree', '--roots', dir);
    expect(r.code).toBe(0);
    expect(r.out).toBe('n0\nn1\nn2\n');
    expect(r.err).toContain(join(dir, 'it\'s "quoted".xml'));
    expect(r.err).toContain(join(dir, 'café-☃.xml'));
  });
  it('validate takes names with spaces, quotes and non-ASCII', async () => {
    const files = ['with space.xml', 'it\'s "quoted".xml', 'café-☃.xml'].map((n) => join(dir, n));
    const r = await cli('validate', ...files);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean)).toEqual(files.map((f) => `${f}: valid`));
  });
});
