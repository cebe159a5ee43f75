import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { libvirtText, parseXmlDocument } from '../../src/core/index.ts';
import { seededRandom } from '../../src/samples/index.ts';

const XMLLINT = '/usr/bin/xmllint';
const hasXmllint = existsSync(XMLLINT);
if (!hasXmllint && process.env['CI']) {
  throw new Error(`${XMLLINT} is missing: apt-get install libxml2-utils`);
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The first fatal error as `LINE: message` (first line of it), or OK. */
function ours(text: string, source: 'file' | 'string' = 'file'): string {
  const r = parseXmlDocument(text, { source });
  if (r.ok) return 'OK';
  const p = r.problems[0];
  return `${p?.line}: ${p?.message.split('\n')[0]?.trimEnd()}`;
}

/**
 * What native xmllint (libxml2 2.9) says of a file: OK, or its first parser error; one inside an
 * entity's text on that text's line ("Entity: line N"), as libvirt's message gives it.
 */
function xmllint(path: string): string {
  const r = spawnSync(XMLLINT, ['--noout', '--nonet', path], { encoding: 'utf8' });
  if (r.status === 0) return 'OK';
  const first = r.stderr.split('\n').find((l) => l.includes(': parser error : '));
  const inEntity = first && /^Entity: line (\d+): parser error : (.*)$/.exec(first);
  if (inEntity) return `${inEntity[1]}: ${inEntity[2]?.trimEnd()}`;
  const m = first && /^.*?:(\d+): parser error : (.*)$/.exec(first);
  return m ? `${m[1]}: ${m[2]?.trimEnd()}` : `no parser error: ${r.stderr.split('\n')[0]}`;
}

// Each malformed input issue 9 names, with what libxml2 2.9.14 (xmllint, and libvirt 9.0) says.
const NAMED: [string, string, string][] = [
  [
    'a bare &',
    '<domaincheckpoint>\n  <name>a & b</name>\n</domaincheckpoint>\n',
    '2: xmlParseEntityRef: no name',
  ],
  [
    "']]>' in text",
    '<domaincheckpoint>\n  <name>a ]]> b</name>\n</domaincheckpoint>\n',
    "2: Sequence ']]>' not allowed in content",
  ],
  [
    '&#0;',
    '<domaincheckpoint>\n  <name>a &#0; b</name>\n</domaincheckpoint>\n',
    '2: xmlParseCharRef: invalid xmlChar value 0',
  ],
  [
    '&#xD800;',
    '<domaincheckpoint>\n  <name>a &#xD800; b</name>\n</domaincheckpoint>\n',
    '2: xmlParseCharRef: invalid xmlChar value 55296',
  ],
  [
    'a raw form feed',
    '<domaincheckpoint>\n  <name>a \f b</name>\n</domaincheckpoint>\n',
    '2: PCDATA invalid Char value 12',
  ],
  [
    'trailing garbage',
    '<domaincheckpoint>\n  <name>a</name>\n</domaincheckpoint>\n\n<x/>\n',
    '5: Extra content at the end of the document',
  ],
  [
    'an unclosed comment at the end',
    '<domaincheckpoint>\n  <name>a</name>\n</domaincheckpoint>\n<!-- open\n',
    '5: Comment not terminated',
  ],
  [
    'an early NUL',
    '<domaincheckpoint>\n\0<name>a</name>\n</domaincheckpoint>\n',
    '2: Char 0x0 out of allowed range',
  ],
  [
    'a UTF-16 declaration in a UTF-8 file',
    '<?xml version="1.0" encoding="UTF-16"?>\n<domaincheckpoint>\n  <name>a</name>\n\n</domaincheckpoint>\n',
    '1: Document labelled UTF-16 but has UTF-8 content',
  ],
  [
    'a wrong end tag',
    '<domaincheckpoint>\n  <name>a</name>\n  <disks>\n</domaincheckpoint>',
    '4: Opening and ending tag mismatch: disks line 3 and domaincheckpoint',
  ],
  [
    'a repeated attribute',
    '<domaincheckpoint a="1" a="2">\n</domaincheckpoint>',
    '1: Attribute a redefined',
  ],
  [
    "'<' in an attribute",
    '<domaincheckpoint a="<">\n</domaincheckpoint>',
    "1: Unescaped '<' not allowed in attributes values",
  ],
  [
    'an undeclared entity',
    '<domaincheckpoint>\n  <description>&who;</description>\n</domaincheckpoint>',
    "2: Entity 'who' not defined",
  ],
  ['no root', '\n\n  \n', "4: Start tag expected, '<' not found"],
  ['nothing', '', '1: Document is empty'],
];

describe('XML is read as libxml2 reads it', () => {
  for (const [what, text, said] of NAMED) {
    it(`refuses ${what} with libxml2's message on its line`, () => {
      expect(ours(text)).toBe(said);
    });
  }

  it.skipIf(!hasXmllint)('says what native xmllint says of each of those', () => {
    const dir = mkdtempSync(join(tmpdir(), 'libxml2-parity-'));
    dirs.push(dir);
    NAMED.forEach(([, text, said], i) => {
      const path = join(dir, `named${i}.xml`);
      writeFileSync(path, text);
      expect(xmllint(path), NAMED[i]?.[0]).toBe(said);
    });
  });

  it('keeps an undeclared prefix as libxml2 does: a namespace error, not a fatal one', () => {
    const r = parseXmlDocument('<d><metadata><app:info>x</app:info></metadata></d>');
    expect(r.ok).toBe(true);
    expect(r.problems[0]).toMatchObject({
      severity: 'warning',
      message: 'Namespace prefix app on info is not defined',
    });
  });
});

/** A document with `decls` as its internal subset and `body` inside its root <d>, line 5 on. */
const withDtd = (decls: string, body: string) =>
  `<!DOCTYPE d [\n${decls}\n]>\n<d>\n${body}\n</d>\n`;

/** Ten levels of ten references each: 10^9 "ha" (the billion laughs). */
const LAUGHS = Array.from({ length: 10 }, (_, i) =>
  i === 0 ? '<!ENTITY l0 "ha">' : `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`,
).join('\n');

// DTD, entity and attribute edge cases (issue 24.7), each with what libxml2 2.9.14 says: an error
// inside an entity's text on that text's line (xmllint's "Entity: line N"), one met while an
// attribute value is expanded on the attribute's line.
const DTD_CASES: [string, string, string][] = [
  [
    '< via a char ref in an entity, in an attribute',
    withDtd('<!ENTITY e "&#60;">', '<disk name="&e;"/>'),
    "5: '<' in entity 'e' is not allowed in attributes values",
  ],
  [
    '< literal in an entity declaration',
    withDtd('<!ENTITY e "<">', '<disk name="&e;"/>'),
    "5: '<' in entity 'e' is not allowed in attributes values",
  ],
  [
    '< in an entity used in content',
    withDtd('<!ENTITY e "&#60;">', '<x>&e;</x>'),
    '1: StartTag: invalid element name',
  ],
  [
    '< nested one entity deep, in an attribute',
    withDtd('<!ENTITY e "&#60;">\n<!ENTITY f "a&e;b">', '<disk name="&f;"/>'),
    "6: '<' in entity 'e' is not allowed in attributes values",
  ],
  [
    '&lt; in an entity, in an attribute',
    withDtd('<!ENTITY e "&#38;lt;">', '<disk name="&e;"/>'),
    'OK',
  ],
  [
    'an entity reference loop',
    withDtd('<!ENTITY a "&b;">\n<!ENTITY b "&a;">', '<x>&a;</x>'),
    '1: Detected an entity reference loop',
  ],
  [
    'an entity referring to itself',
    withDtd('<!ENTITY a "x&a;">', '<x>&a;</x>'),
    '1: Detected an entity reference loop',
  ],
  [
    'an entity loop in an attribute',
    withDtd('<!ENTITY a "&b;">\n<!ENTITY b "&a;">', '<x y="&a;"/>'),
    '6: Detected an entity reference loop',
  ],
  ['billion laughs', withDtd(LAUGHS, '<x>&l9;</x>'), '1: Detected an entity reference loop'],
  [
    'billion laughs in an attribute',
    withDtd(LAUGHS, '<x y="&l9;"/>'),
    '14: Detected an entity reference loop',
  ],
  [
    'an entity with an unclosed tag',
    withDtd('<!ENTITY e "<a>">', '<x>&e;</x>'),
    '1: Premature end of data in tag a line 1',
  ],
  [
    'an entity with a stray end tag',
    withDtd('<!ENTITY e "</a>">', '<x>&e;</x>'),
    '1: chunk is not well balanced',
  ],
  [
    'an entity with a bare &',
    withDtd('<!ENTITY e "a &#38; b">', '<x>&e;</x>'),
    '1: xmlParseEntityRef: no name',
  ],
  [
    'an entity with an error on its second line',
    withDtd('<!ENTITY e "ok&#10;&#38;">', '<x>&e;</x>'),
    '2: xmlParseEntityRef: no name',
  ],
  [
    'an entity with an undeclared entity',
    withDtd('<!ENTITY e "&nope;">', '<x>&e;</x>'),
    "1: Entity 'nope' not defined",
  ],
  [
    'a bare & in an entity value',
    withDtd('<!ENTITY e "a & b">', '<x>&e;</x>'),
    "2: EntityValue: '&' forbidden except for entities references",
  ],
  [
    '% in an entity value',
    withDtd('<!ENTITY e "50%">', '<x>&e;</x>'),
    "2: EntityValue: '%' forbidden except for entities references",
  ],
  [
    'an entity without a value',
    withDtd('<!ENTITY e>', '<x/>'),
    '2: Space required after the entity name',
  ],
  ['an entity without a name', withDtd('<!ENTITY "x">', '<x/>'), '2: xmlParseEntityDecl: no name'],
  [
    'an entity not terminated',
    withDtd('<!ENTITY e "x"', '<x/>'),
    '3: xmlParseEntityDecl: entity e not terminated',
  ],
  [
    'an unterminated entity value',
    '<!DOCTYPE d [\n<!ENTITY e "x>\n]>\n<d/>\n',
    '5: EntityValue: " or \' expected',
  ],
  [
    'no space after ENTITY',
    withDtd('<!ENTITYe "x">', '<x/>'),
    "2: Space required after '<!ENTITY'",
  ],
  [
    'no space after the name',
    withDtd('<!ENTITY e"x">', '<x/>'),
    '2: Space required after the entity name',
  ],
  [
    'an external entity referenced in content',
    withDtd('<!ENTITY e SYSTEM "file:///etc/hostname">', '<x>&e;</x>'),
    'OK',
  ],
  [
    'an external entity in an attribute',
    withDtd('<!ENTITY e SYSTEM "file:///etc/hostname">', '<x y="&e;"/>'),
    "5: Attribute references external entity 'e'",
  ],
  [
    'an unparsed entity referenced',
    withDtd('<!NOTATION n SYSTEM "n">\n<!ENTITY e SYSTEM "x" NDATA n>', '<x>&e;</x>'),
    '6: Entity reference to unparsed entity e',
  ],
  ['a parameter entity used in content', withDtd('<!ENTITY % p "x">', '<x>%p;</x>'), 'OK'],
  [
    'an undeclared entity in an attribute',
    withDtd('', '<x y="&nope;"/>'),
    "5: Entity 'nope' not defined",
  ],
  [
    'an entity reference without ;',
    withDtd('<!ENTITY e "x">', '<x y="&e"/>'),
    "5: EntityRef: expecting ';'",
  ],
  [
    'a char ref in an attribute to 0',
    withDtd('', '<x y="&#0;"/>'),
    '5: xmlParseCharRef: invalid xmlChar value 0',
  ],
  [
    'a char ref in an attribute out of range',
    withDtd('', '<x y="&#x110000;"/>'),
    '5: xmlParseCharRef: character reference out of bounds',
  ],
  ['a tab-only attribute', withDtd('', '<x y=\t/>'), '5: AttValue: " or \' expected'],
  [
    'an attribute without a value',
    withDtd('', '<x y/>'),
    '5: Specification mandates value for attribute y',
  ],
  ['an attribute without quotes', withDtd('', '<x y=1/>'), '5: AttValue: " or \' expected'],
  [
    'an attribute not closed',
    withDtd('', '<x y="1/>'),
    "6: Unescaped '<' not allowed in attributes values",
  ],
  [
    'a repeated attribute through a prefix',
    withDtd('', '<x xmlns:a="u" xmlns:b="u" a:y="1" b:y="2"/>'),
    'OK',
  ],
  [
    'xmlns bound to the xml namespace',
    withDtd('', '<x xmlns:p="http://www.w3.org/XML/1998/namespace"/>'),
    'OK',
  ],
  [
    'an unclosed DOCTYPE',
    '<!DOCTYPE d [\n<!ENTITY e "x">\n<d/>\n',
    '3: internal error: xmlParseInternalSubset: error detected in Markup declaration',
  ],
  [
    'a DOCTYPE after the root',
    '<d/>\n<!DOCTYPE d>\n',
    '2: Extra content at the end of the document',
  ],
  ['two DOCTYPEs', '<!DOCTYPE d>\n<!DOCTYPE d>\n<d/>\n', '2: StartTag: invalid element name'],
  [
    'a garbage declaration in the subset',
    withDtd('<!FOO bar>', '<x/>'),
    '2: internal error: xmlParseInternalSubset: error detected in Markup declaration',
  ],
  [
    'an ELEMENT declaration not closed',
    withDtd('<!ELEMENT x (#PCDATA)', '<x/>'),
    "3: expected '>'",
  ],
  [
    'an ATTLIST with a bad default',
    withDtd('<!ATTLIST x y CDATA "<">', '<x/>'),
    "2: Unescaped '<' not allowed in attributes values",
  ],
  [
    'an entity declared twice, the first wins',
    withDtd('<!ENTITY e "&#60;">\n<!ENTITY e "ok">', '<x y="&e;"/>'),
    "6: '<' in entity 'e' is not allowed in attributes values",
  ],
];

describe('DTD, entities and attribute values as libxml2 reads them', () => {
  for (const [what, text, said] of DTD_CASES) {
    it(`${what}: ${said}`, () => expect(ours(text)).toBe(said));
  }

  it.skipIf(!hasXmllint)('says what native xmllint says of each of those', () => {
    const dir = mkdtempSync(join(tmpdir(), 'libxml2-dtd-'));
    dirs.push(dir);
    const differ: string[] = [];
    DTD_CASES.forEach(([what, text], i) => {
      const path = join(dir, `dtd${i}.xml`);
      writeFileSync(path, text);
      const theirs = xmllint(path);
      if (ours(text) !== theirs) differ.push(`${what}: xmllint ${theirs}; ours ${ours(text)}`);
    });
    expect(differ).toEqual([]);
  });
});

describe("a file's bytes as libvirt reads them (a C string, UTF-8 whatever it declares)", () => {
  const utf16 = (text: string, bom: boolean) =>
    new Uint8Array([
      ...(bom ? [0xff, 0xfe] : []),
      ...[...text].flatMap((c) => [c.charCodeAt(0), 0]),
    ]);
  const doc = '<domaincheckpoint>\n  <name>c1</name>\n</domaincheckpoint>\n';
  // Each answer is virsh 9.0's: "error: (domain_checkpoint):LINE: message".
  const cases: [string, Uint8Array, string][] = [
    ['UTF-16 with a byte order mark', utf16(doc, true), "1: Start tag expected, '<' not found"],
    ['UTF-16 without one', utf16(doc, false), '1: StartTag: invalid element name'],
    [
      'ISO-8859-1 declared, not ASCII',
      new Uint8Array([
        ...new TextEncoder().encode(
          '<?xml version="1.0" encoding="ISO-8859-1"?>\n<domaincheckpoint>\n  <name>c1</name>\n  <description>caf',
        ),
        0xe9,
        ...new TextEncoder().encode('</description>\n</domaincheckpoint>\n'),
      ]),
      '4: Input is not proper UTF-8, indicate encoding !',
    ],
    [
      'a NUL ends it',
      new TextEncoder().encode('<domaincheckpoint>\n\0<name>a</name>\n</domaincheckpoint>\n'),
      '2: Premature end of data in tag domaincheckpoint line 1',
    ],
    [
      'a UTF-16 label on UTF-8',
      new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-16"?>\n${doc}`),
      'OK',
    ],
    [
      'an encoding libxml2 has not',
      new TextEncoder().encode(`<?xml version="1.0" encoding="FOO-BAR"?>\n${doc}`),
      '1: Unsupported encoding FOO-BAR',
    ],
  ];
  for (const [what, bytes, said] of cases) {
    it(what, () => expect(ours(libvirtText(bytes), 'string')).toBe(said));
  }
});

const BASE = `<?xml version="1.0" encoding="UTF-8"?>
<!-- made by virtnbdbackup -->
<domaincheckpoint>
  <name>virtnbdbackup.3</name>
  <description>nightly &amp; weekly — café</description>
  <parent>
    <name>virtnbdbackup.2</name>
  </parent>
  <creationTime>1700000300</creationTime>
  <disks>
    <disk name='vda' checkpoint='bitmap' bitmap='virtnbdbackup.3'/>
    <disk name="vdb" checkpoint="no"/>
  </disks>
  <domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
    <name>web01</name>
    <metadata>
      <app:info xmlns:app="http://example.org/app" a="1">mixed <b>bold</b> tail<![CDATA[<raw>]]><!-- c --><?pi data?></app:info>
    </metadata>
    <devices>
      <disk type='file' device='disk'>
        <source file='/var/lib/libvirt/images/web01.qcow2'/>
        <target dev='vda' bus='virtio'/>
      </disk>
    </devices>
    <qemu:commandline>
      <qemu:arg value='-foo'/>
    </qemu:commandline>
  </domain>
</domaincheckpoint>
<?after x?>
`;
const DTD = `<!DOCTYPE domaincheckpoint [
<!ENTITY who "operator">
<!ELEMENT note (#PCDATA)>
<!-- internal -->
]>
<domaincheckpoint>\r\n\t<name>c1</name>\r\n\t<description>by &who; &#x41;&#66;</description>\r\n</domaincheckpoint>\r\n`;
const INSERTS = [
  '&',
  '&;',
  '&#;',
  '&#x;',
  '&#0;',
  '&#65;',
  '&#xD800;',
  '&#1114112;',
  '&#xFFFE;',
  '&foo;',
  '&amp',
  '&who;',
  '<',
  '>',
  ']]>',
  ']]',
  '</',
  '</x>',
  '<x>',
  '<x/>',
  '<!--',
  '-->',
  '--',
  '<![CDATA[',
  '<?pi x?>',
  '<?xml version="1.0"?>',
  '<?',
  '?>',
  '<!DOCTYPE x>',
  '<!',
  '"',
  "'",
  '=',
  ' a="1"',
  ' a="1" a="2"',
  " b='<'",
  'p:',
  ':a',
  'a:b:c',
  ' xmlns:p="urn:p"',
  ' xmlns:q=""',
  ' p:at="v"',
  ' xml:space="preserve"',
  '\t',
  '\r',
  '\r\n',
  '\n',
  '\f',
  '\u0001',
  '\u0000',
  '\uFFFE',
  'é',
  '😀',
  '/>',
  '<a:b>',
  '<1>',
  '<x y=>',
  '<x y="1"z="2">',
  '&#x41',
  '&#9999999999;',
];

describe.skipIf(!hasXmllint)('generated malformed files, against native xmllint', () => {
  it('refuses what xmllint refuses, with its first message on its line, and accepts the rest', () => {
    const rng = seededRandom(Number(process.env['PARITY_SEED'] ?? 9));
    const count = Number(process.env['PARITY_CASES'] ?? 600);
    const dir = mkdtempSync(join(tmpdir(), 'libxml2-corpus-'));
    dirs.push(dir);
    const mismatches: string[] = [];
    for (let k = 0; k < count; k++) {
      let text = rng.chance(0.7) ? BASE : DTD;
      const how: string[] = [];
      for (let e = rng.int(1, 2); e > 0; e--) {
        const at = rng.int(0, text.length);
        const r = rng.int(0, 19);
        if (r < 12) {
          const piece = rng.pick(INSERTS);
          text = text.slice(0, at) + piece + text.slice(at);
          how.push(`insert ${JSON.stringify(piece)} at ${at}`);
        } else if (r < 15) {
          text = text.slice(0, at) + text.slice(at + rng.int(1, 8));
          how.push(`delete at ${at}`);
        } else if (r < 17) {
          text = text.slice(0, at);
          how.push(`cut at ${at}`);
        } else {
          text = text.slice(0, at) + text.slice(at, at + rng.int(1, 12)) + text.slice(at);
          how.push(`repeat at ${at}`);
        }
      }
      const path = join(dir, `c${k}.xml`);
      writeFileSync(path, text);
      const theirs = xmllint(path);
      const mine = ours(text);
      if (mine !== theirs)
        mismatches.push(`c${k} (${how.join(', ')}): xmllint ${theirs}; ours ${mine}`);
    }
    expect(mismatches).toEqual([]);
  });
});
