// A <domain> read before stands for the next one only where the reading is the same in every way:
// with and without the reuse, every document is the same, positions and spans included, and so is
// libvirt's verdict on every file.
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { XmlElement } from '../../src/core/index.ts';
import {
  createDomainReuse,
  formatCheckpoint,
  openFile,
  parseCheckpoint,
  parseXmlDocument,
} from '../../src/core/index.ts';
import { backupFolder } from '../../src/samples/index.ts';

// More runs: REUSE_RUNS=2000 npx vitest run test/core/domain-reuse.test.ts
const RUNS = Number(process.env['REUSE_RUNS'] ?? 200);
const RULES = { profile: 'allow-no-domain' } as const;
const encoder = new TextEncoder();

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
function fixtureTexts(): { fileName: string; contents: string }[] {
  const out: { fileName: string; contents: string }[] = [];
  for (const dir of readdirSync(FIXTURES)) {
    for (const name of readdirSync(join(FIXTURES, dir))) {
      if (name.endsWith('.xml')) {
        out.push({ fileName: name, contents: readFileSync(join(FIXTURES, dir, name), 'utf8') });
      }
    }
  }
  return out;
}

function domainOf(root: XmlElement): XmlElement | undefined {
  return root.children.find((c): c is XmlElement => c.kind === 'element' && c.name === 'domain');
}

/** One change to a checkpoint that holds a domain: outside it, inside it, or around it. */
const CHANGES: [string, (text: string) => string][] = [
  ['none', (t) => t],
  [
    'a longer name (the domain moves)',
    (t) => t.replace(/<name>([^<]*)<\/name>/, '<name>$1-and-more</name>'),
  ],
  [
    'a description on two lines (the domain moves down)',
    (t) =>
      t.replace('<domaincheckpoint>', '<domaincheckpoint>\n  <description>one\ntwo</description>'),
  ],
  [
    'xml:space on the root',
    (t) => t.replace('<domaincheckpoint>', "<domaincheckpoint xml:space='preserve'>"),
  ],
  [
    'xml:space default on the root',
    (t) => t.replace('<domaincheckpoint>', "<domaincheckpoint xml:space='default'>"),
  ],
  [
    'a namespace on the root',
    (t) => t.replace('<domaincheckpoint>', "<domaincheckpoint xmlns:q='urn:q'>"),
  ],
  [
    'a default namespace on the root',
    (t) => t.replace('<domaincheckpoint>', "<domaincheckpoint xmlns='urn:q'>"),
  ],
  ['a comment before the domain', (t) => t.replace(/(\n\s*<domain[\s>])/, '\n  <!-- c -->$1')],
  ['a DOCTYPE with an entity', (t) => `<!DOCTYPE domaincheckpoint [<!ENTITY e "x">]>\n${t}`],
  [
    'an entity used in the domain',
    (t) => t.replace(/<name>([^<]*)<\/name>(\s*<uuid>)/, '<name>&e;</name>$2'),
  ],
  ['carriage returns', (t) => t.replace(/\n/g, '\r\n')],
  ['blanks before the domain', (t) => t.replace(/\n(\s*)<domain([\s>])/, '\n$1   <domain$2')],
  ['text beside the domain', (t) => t.replace(/\n(\s*)<domain([\s>])/, '\n$1x<domain$2')],
  ['a namespace warning in the domain', (t) => t.replace(/<domain([\s>])/, "<domain xmlns:a=''$1")],
  ['an undeclared prefix in the domain', (t) => t.replace(/<\/devices>/, '<a:b/></devices>')],
  ['a broken end tag in the domain', (t) => t.replace(/<\/uuid>/, '</uid>')],
  ['xml:space in the domain', (t) => t.replace(/<domain([\s>])/, "<domain xml:space='preserve'$1")],
  [
    'a second domain',
    (t) =>
      t.replace(
        '</domaincheckpoint>',
        "<domain type='kvm'><name>b</name></domain>\n</domaincheckpoint>",
      ),
  ],
  ['no root end', (t) => t.replace('</domaincheckpoint>', '')],
  ['an XML declaration', (t) => `<?xml version="1.0"?>\n${t}`],
  ['an empty domain', (t) => t.replace(/<domain[\s\S]*<\/domain>/, "<domain type='kvm'/>")],
];

describe('domain reuse', () => {
  it('reads a repeated domain once: a later file holds the very element of an earlier one', () => {
    const reuse = createDomainReuse();
    const seen = new Set<XmlElement>();
    let reused = 0;
    for (const f of backupFolder(40)) {
      const doc = parseXmlDocument(f.contents, { domains: reuse });
      if (!doc.ok) throw new Error('fixture');
      const domain = domainOf(doc.value.root) as XmlElement;
      if (seen.has(domain)) {
        reused++;
        expect(doc).toEqual(parseXmlDocument(f.contents));
        // Kept elements are frozen: what changed one would change every file holding it.
        expect(() => domain.children.push({ kind: 'text', text: 'x' })).toThrow();
      }
      seen.add(domain);
    }
    expect(reused).toBeGreaterThan(20);
  });

  it('gives every file of a folder, and every fixture, the same verdict as a reading of its own', () => {
    const files = [...backupFolder(400), ...fixtureTexts()];
    const reuse = createDomainReuse();
    // Twice through one reuse: the second pass meets every domain it kept.
    for (let pass = 0; pass < 2; pass++) {
      for (const f of files) {
        const bytes = encoder.encode(f.contents);
        const alone = openFile({ fileName: f.fileName, bytes }, RULES);
        expect(openFile({ fileName: f.fileName, bytes }, RULES, reuse)).toEqual(alone);
        // libvirt's format of it, laid out once per domain and way of printing it.
        const parsed = parseCheckpoint(f.contents);
        const again = parseCheckpoint(f.contents, reuse);
        expect(again.ok).toBe(parsed.ok);
        if (parsed.ok && again.ok) {
          for (const options of [{}, { securityInfo: true }, { noDomain: true }]) {
            expect(formatCheckpoint(again.value, options, reuse)).toBe(
              formatCheckpoint(parsed.value, options),
            );
          }
        }
      }
    }
  });

  it.each(CHANGES.map(([name, change]) => [name, change] as const))(
    'reads a file with %s the same the second time as the first',
    (_name, change) => {
      const text = change((backupFolder(3)[2] as { contents: string }).contents);
      const reuse = createDomainReuse();
      const alone = parseXmlDocument(text);
      expect(parseXmlDocument(text, { domains: reuse })).toEqual(alone);
      expect(parseXmlDocument(text, { domains: reuse })).toEqual(alone);
    },
  );

  it('reads a file alike after any other holding the same domain, however either was changed', () => {
    const folder = backupFolder(60);
    // Prologs and root attributes of one length: the domain stays where it was, so a reading kept
    // from one file meets the other, and only the rules of domain-reuse.ts keep them apart.
    const pad = (t: string, n: number) => t + ' '.repeat(n - t.length);
    const prologs = [
      '',
      '<!DOCTYPE domaincheckpoint [<!ENTITY e "x">]>',
      '<!-- a comment -->',
      '<?pi here?>',
      '<?xml version="1.0"?>',
      '\n'.repeat(12),
      '\n\n\n',
    ].map((p) => pad(p, 48));
    const rootAttributes = [
      '',
      "xml:space='preserve'",
      "xml:space='default'",
      "xmlns:q='urn:q'",
      "xmlns='urn:q'",
      "id='x'",
    ].map((a) => pad(a, 22));
    const build = (prolog: number, attribute: number, changes: number[], base: string) => {
      let text = base.replace(
        '<domaincheckpoint>',
        `<domaincheckpoint ${rootAttributes[attribute] ?? ''}>`,
      );
      for (const c of changes) text = (CHANGES[c] as [string, (t: string) => string])[1](text);
      return `${prologs[prolog] ?? ''}${text}`;
    };
    const change = fc.integer({ min: 0, max: CHANGES.length - 1 });
    const prolog = fc.integer({ min: 0, max: prologs.length - 1 });
    const attribute = fc.integer({ min: 0, max: rootAttributes.length - 1 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: folder.length - 1 }),
        fc.tuple(prolog, attribute, fc.array(change, { maxLength: 1 })),
        fc.option(fc.tuple(prolog, attribute, fc.array(change, { maxLength: 2 }))),
        (pick, seedParts, otherParts) => {
          const base = (folder[pick] as { contents: string }).contents;
          const seed = build(...seedParts, base);
          // Half the time the very same text: a domain kept from it, right or wrong, is met.
          const text = otherParts ? build(...otherParts, base) : seed;
          const reuse = createDomainReuse();
          parseXmlDocument(seed, { domains: reuse });
          expect(parseXmlDocument(text, { domains: reuse })).toEqual(parseXmlDocument(text));
          const bytes = encoder.encode(text);
          expect(openFile({ fileName: 'f.xml', bytes }, RULES, reuse)).toEqual(
            openFile({ fileName: 'f.xml', bytes }, RULES),
          );
        },
      ),
      { numRuns: RUNS, seed: 20261126 },
    );
  });
});
