// The domain shortcut against the real xmllint-wasm: with and without it, every file gets the same
// verdict and the same messages, line for line; and it does stand in where a domain repeats.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { backupFolder } from '../../src/samples/index.ts';
import { findDomain } from '../../src/core/index.ts';
import {
  STAND_IN_DOMAIN,
  withDomainShortcut,
  withStandIn,
} from '../../src/validation/domain-shortcut.ts';
import type { SchemaSet, Validator, XmlFile } from '../../src/validation/index.ts';
import { createNodeValidator, loadSchemaSet } from '../../src/validation/node.ts';

// More runs: SHORTCUT_RUNS=500 npx vitest run test/validation/domain-shortcut.test.ts
const RUNS = Number(process.env['SHORTCUT_RUNS'] ?? 12);

/** One change to a virsh-made checkpoint: an error outside or inside its domain, or none. */
interface Mutation {
  name: string;
  apply(text: string): string;
}

const replaceOnce = (from: string | RegExp, to: string) => (text: string) => text.replace(from, to);

const MUTATIONS: Mutation[] = [
  { name: 'none', apply: (t) => t },
  {
    name: 'bad checkpoint value',
    apply: replaceOnce("checkpoint='bitmap'", "checkpoint='bitmapp'"),
  },
  {
    name: 'unknown element',
    apply: replaceOnce('</name>\n', '</name>\n  <retention>7</retention>\n'),
  },
  { name: 'bad creationTime', apply: replaceOnce(/<creationTime>\d+/, '<creationTime>soon') },
  { name: 'two names', apply: replaceOnce('</name>\n', '</name>\n  <name>again</name>\n') },
  { name: 'disk without name', apply: replaceOnce("<disk name='vdb' ", '<disk ') },
  {
    name: 'element after the domain',
    apply: replaceOnce('</domain>\n', '</domain>\n  <junk/>\n'),
  },
  {
    name: 'malformed after the domain',
    apply: replaceOnce('</domaincheckpoint>', '</domaincheckpoin>'),
  },
  { name: 'malformed before the domain', apply: replaceOnce('</disks>', '</disk>') },
  { name: 'domain error', apply: replaceOnce('<memory ', '<memroy ') },
  {
    name: 'domain attribute',
    apply: replaceOnce("<domain type='kvm'", "<domain type='kvm' bogus='1'"),
  },
  { name: 'domain malformed', apply: replaceOnce('</vcpu>', '</vcp>') },
  {
    name: 'domain in a namespace',
    apply: replaceOnce('<domaincheckpoint>', '<domaincheckpoint xmlns="urn:x">'),
  },
  {
    name: 'prefix declared outside',
    apply: replaceOnce('<domaincheckpoint>', '<domaincheckpoint xmlns:q="urn:q">'),
  },
  { name: 'comment', apply: replaceOnce('<disks>', '<!-- note --><disks>') },
  { name: 'no domain', apply: (t) => t.replace(/ {2}<domain[\s\S]*<\/domain>\n/, '') },
  { name: 'blank lines inside', apply: replaceOnce('<os>', '<os>\n\n') },
];

/** The validator's runs, with how many of their files carried the stand-in. */
function counting(inner: Validator) {
  const seen = { runs: 0, files: 0, standIns: 0 };
  const validator: Validator = {
    async validate(files) {
      seen.runs++;
      seen.files += files.length;
      seen.standIns += files.filter((f) => f.contents.includes(STAND_IN_DOMAIN)).length;
      return inner.validate(files);
    },
    close: () => inner.close(),
  };
  return { validator, seen };
}

describe('validating each distinct <domain> once', () => {
  let schemas: SchemaSet;
  let plain: Validator;
  const folder = backupFolder(60);
  beforeAll(async () => {
    schemas = await loadSchemaSet();
    plain = await createNodeValidator(schemas);
  });

  it('finds the domain of a virsh-made checkpoint, and keeps every other line as it was', () => {
    const text = (folder[0] as { contents: string }).contents;
    const span = findDomain(text);
    expect(span?.text).toMatch(/^<domain type='kvm'[\s\S]*<\/domain>$/);
    const replaced = withStandIn(text, span as NonNullable<typeof span>);
    const [a, b] = [text.split('\n'), replaced.split('\n')];
    expect(b).toHaveLength(a.length);
    const changed = a.flatMap((line, i) => (line === b[i] ? [] : [i]));
    const firstDomainLine = a.findIndex((l) => l.includes('<domain '));
    expect(changed[0]).toBe(firstDomainLine);
    expect(changed.every((i) => a[i]?.includes('<') && i >= firstDomainLine)).toBe(true);
    expect(b.slice(changed.at(-1)! + 1)).toEqual(a.slice(changed.at(-1)! + 1));
  });

  it.each([
    ['a DOCTYPE', (t: string) => `<!DOCTYPE domaincheckpoint>\n${t}`],
    [
      'a namespace outside',
      (t: string) => t.replace('<domaincheckpoint>', '<domaincheckpoint xmlns:x="u">'),
    ],
    ['a comment outside', (t: string) => t.replace('<disks>', '<!-- x --><disks>')],
    ['a carriage return', (t: string) => t.replace('\n', '\r\n')],
    ['markup beside the domain', (t: string) => t.replace('</domain>', '</domain><x/>')],
    [
      'two domains',
      (t: string) => t.replace('</domaincheckpoint>', '<domain/></domaincheckpoint>'),
    ],
  ])('stands aside for %s', (_, change) => {
    expect(findDomain(change((folder[0] as { contents: string }).contents))).toBeUndefined();
  });

  it(
    'gives every file the same verdict and messages as xmllint on the whole file',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              file: fc.integer({ min: 0, max: folder.length - 1 }),
              mutation: fc.integer({ min: 0, max: MUTATIONS.length - 1 }),
            }),
            { minLength: 1, maxLength: 12 },
          ),
          async (picks) => {
            const files: XmlFile[] = picks.map((p, i) => ({
              fileName: `f${i}.xml`,
              contents: (MUTATIONS[p.mutation] as Mutation).apply(
                (folder[p.file] as { contents: string }).contents,
              ),
            }));
            const { validator, seen } = counting(plain);
            const shortcut = withDomainShortcut(validator, schemas);
            const want = await plain.validate(files);
            // Twice: the second call stands in for every domain the first found valid.
            expect(await shortcut.validate(files)).toEqual(want);
            expect(await shortcut.validate(files)).toEqual(want);
            const validDomains = files.filter((f, i) => {
              const span = findDomain(f.contents);
              return span && want[i]?.valid && want[i]?.problems.length === 0;
            });
            if (validDomains.length > 0) expect(seen.standIns).toBeGreaterThan(0);
          },
        ),
        { numRuns: RUNS, seed: 20261126 },
      );
    },
    30_000 + RUNS * 8_000,
  );

  it('validates a repeated domain once: a folder of 60 sends it in full only for its first file', async () => {
    const { validator, seen } = counting(plain);
    const shortcut = withDomainShortcut(validator, schemas);
    const files = folder.map((c) => ({ fileName: c.fileName, contents: c.contents }));
    const verdicts = await shortcut.validate(files);
    expect(verdicts.every((v) => v.valid && v.problems.length === 0)).toBe(true);
    const distinct = new Set(files.map((f) => findDomain(f.contents)?.text)).size;
    expect(distinct).toBeGreaterThan(1);
    // One run: every file once, and the stand-in alone once; all but one file per distinct domain
    // with the stand-in.
    expect(seen.runs).toBe(1);
    expect(seen.files).toBe(files.length + 1);
    expect(seen.standIns).toBe(files.length - distinct + 1);
  });

  it('sends again, whole, the files that stood in for a domain its first file found invalid', async () => {
    const { validator, seen } = counting(plain);
    const shortcut = withDomainShortcut(validator, schemas);
    const same = folder.filter(
      (c) => findDomain(c.contents)?.text === findDomain((folder[0] as typeof c).contents)?.text,
    );
    expect(same.length).toBeGreaterThan(2);
    // The domain broken the same way in each: the first file finds it, the others wait for it.
    const files = same.map((c) => ({
      fileName: c.fileName,
      contents: c.contents.replace('<name>vm', '<name >vm').replace('</uuid>', '</uuid><bogus/>'),
    }));
    const verdicts = await shortcut.validate(files);
    expect(verdicts).toEqual(await plain.validate(files));
    expect(verdicts.every((v) => !v.valid)).toBe(true);
    expect(seen.runs).toBe(2);
    expect(seen.files).toBe(files.length + 1 + files.length - 1);
  });

  it('is off for a schema set that does not nest domain.rng', async () => {
    const flat: SchemaSet = {
      ...schemas,
      files: schemas.files.map((f) =>
        f.fileName === schemas.root
          ? {
              ...f,
              contents: f.contents.replace(
                /<grammar>\s*(<include href="domain.rng"\/>)\s*<\/grammar>/,
                '$1',
              ),
            }
          : f,
      ),
    };
    const { validator, seen } = counting(plain);
    const files = folder.slice(0, 5).map((c) => ({ fileName: c.fileName, contents: c.contents }));
    await withDomainShortcut(validator, flat).validate(files);
    expect(seen).toEqual({ runs: 1, files: 5, standIns: 0 });
  });
});
