import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/core/index.ts';
import {
  checkCheckpoint,
  countListed,
  explainProblems,
  groupProblems,
  PROBLEM_HELP,
  problemHelp,
  profileOfVersion,
} from '../../src/core/index.ts';

const src = join(import.meta.dirname, '..', '..', 'src');

/** Every problem code written in the sources: `problem('code'`, `code: 'code'`, fail/flag/inFile/inImage('code'. */
function codesInSources(): Set<string> {
  const codes = new Set<string>();
  for (const dir of ['core', 'validation', 'state', 'workers']) {
    for (const file of readdirSync(join(src, dir))) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file === 'problem-help.ts')
        continue;
      const text = readFileSync(join(src, dir, file), 'utf8');
      for (const m of text.matchAll(/\b(?:problem|fail|flag|inFile|inImage)\(\s*'([a-z0-9-]+)'/g))
        codes.add(m[1] as string);
      for (const m of text.matchAll(/\bcode: '([a-z0-9-]+)'/g)) codes.add(m[1] as string);
    }
  }
  // The validation layer's own codes, and what codeOf in the XML reader gives.
  const validator = readFileSync(join(src, 'validation', 'validator.ts'), 'utf8');
  const block = /VALIDATION_CODES = \{([\s\S]*?)\} as const/.exec(validator)?.[1] ?? '';
  for (const m of block.matchAll(/: '([a-z0-9-]+)'/g)) codes.add(m[1] as string);
  const parser = readFileSync(join(src, 'core', 'xml-parser.ts'), 'utf8');
  for (const m of parser.matchAll(/return '(xml-[a-z-]+)'/g)) codes.add(m[1] as string);
  return codes;
}

describe('problemHelp', () => {
  it('explains every problem code the editor can show: what libvirt does, how to fix it', () => {
    const codes = codesInSources();
    expect(codes.size).toBeGreaterThan(40);
    // The target VM's problems are the disk rules' codes, said of the target.
    for (const code of [
      'disk-too-many',
      'domain-no-disks',
      'disk-unknown',
      'disk-twice',
      'disk-empty-or-readonly',
    ])
      codes.add(`target-${code}`);
    const missing = [...codes].filter((c) => problemHelp(c) === undefined);
    expect(missing).toEqual([]);
    for (const h of PROBLEM_HELP) {
      expect(h.title, h.code).not.toBe('');
      expect(h.libvirt, h.code).toMatch(/\.$/);
      expect(h.fix, h.code).toMatch(/[.)]$/);
    }
  });
});

const at = (code: string, message: string, line?: number): Problem => ({
  code,
  severity: 'error',
  message,
  ...(line !== undefined ? { line } : {}),
});

describe('explainProblems', () => {
  it("leads with the field rule's own line, libxml2's words on the same element below it", () => {
    const text = [
      '<domaincheckpoint>',
      '  <name>x</name>',
      '  <creationTime>1712000000</creationTime>',
      '  <description>d</description>',
      '  <parent>',
      '    <name>p</name>',
      '  </parent>',
      '  <disks>',
      "    <disk name='vda' checkpoint='bitmapp'/>",
      '  </disks>',
      '</domaincheckpoint>',
    ].join('\n');
    const rules = checkCheckpoint(text, { profile: 'allow-no-domain' }).problems;
    // What xmllint says of this file (native xmllint --relaxng, libvirt 9.0.0's schema).
    const schema = [
      at('schema', 'Relax-NG validity error : Extra element disks in interleave'),
      at(
        'schema',
        'element disks: Relax-NG validity error : Element domaincheckpoint failed to validate content',
        8,
      ),
      at(
        'schema',
        'element frobnicate: Relax-NG validity error : Did not expect element frobnicate there',
        12,
      ),
    ];
    const explained = explainProblems([...schema.slice(0, 2), ...rules, schema[2] as Problem]);
    expect(
      explained.map((e) => [e.problem.message, e.problem.line, e.details.map((d) => d.line)]),
    ).toEqual([
      ["disk vda: checkpoint must be 'bitmap' or 'no', not 'bitmapp'", 9, [undefined, 8]],
      [
        'element frobnicate: Relax-NG validity error : Did not expect element frobnicate there',
        12,
        [],
      ],
    ]);
    // Counted as listed: two faults, not four lines; libxml2's under the rule are not more errors.
    expect(countListed([...schema, ...rules])).toEqual({ errors: 2, warnings: 0 });
    expect(countListed([])).toEqual({ errors: 0, warnings: 0 });
  });
});

describe('groupProblems', () => {
  it('says once what many files share, "15 files: …"; each file keeps its own', () => {
    const storage = 'checkpoint for disk vda unsupported for storage type none';
    const files = Array.from({ length: 15 }, (_, i) => ({
      id: `f${i}`,
      problems: [
        { code: 'qemu-storage-type', severity: 'warning' as const, message: storage, line: 6 },
        ...(i === 3 ? [at('parent-missing', 'parent x for moment c3 not found', 4)] : []),
      ],
    }));
    const { groups, own } = groupProblems(files);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ code: 'qemu-storage-type', message: storage });
    expect(groups[0]?.files).toHaveLength(15);
    expect(own.map((f) => [f.id, f.problems.map((p) => p.problem.code)])).toEqual([
      ['f3', ['parent-missing']],
    ]);
  });
});

describe('profileOfVersion', () => {
  it("is libvirt's rule of that version: <domain> optional from 7.0", () => {
    expect(profileOfVersion('9.0.0')).toBe('allow-no-domain');
    expect(profileOfVersion('7.0.0')).toBe('allow-no-domain');
    expect(profileOfVersion('6.10.0')).toBe('strict');
    expect(profileOfVersion(undefined)).toBeUndefined();
    expect(profileOfVersion('unknown')).toBeUndefined();
  });
});
