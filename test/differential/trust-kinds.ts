import type { Random } from '../../src/samples/index.ts';

/**
 * Files operators bring when something went wrong, generated over a case's XML: namespaces on the
 * root and on <domain>, <metadata> with mixed content and foreign namespaces, comments and
 * processing instructions anywhere, DTDs and entities, other encodings, and malformed XML. Each
 * transform keeps libvirt's own answer the thing to match.
 */
export type TrustKind =
  'metadata' | 'namespaces' | 'markup' | 'entities' | 'encoding' | 'malformed';

export const TRUST_KINDS: readonly (readonly [number, TrustKind])[] = [
  [5, 'metadata'],
  [3, 'namespaces'],
  [4, 'markup'],
  [3, 'entities'],
  [3, 'encoding'],
  [6, 'malformed'],
];

export interface Transformed {
  xml: string;
  /** The file's bytes when they are not the UTF-8 of `xml`. */
  bytes?: Uint8Array;
  /** The name libvirt will know the checkpoint by, when the transform changed it. */
  name?: string;
}

const METADATA_CHILDREN: readonly string[] = [
  '<app:info a="1" b=\'x"y\'>mixed <b>bold</b> tail</app:info>',
  '<app:info>plain</app:info>',
  '<x:y xmlns:x="urn:x" xmlns:unused="urn:u">\n  <x:z/>\n</x:y>',
  '<w:q xmlns:w="urn:w">  spaced  <w:r/>\n</w:q>',
  '<n:t xmlns:n="urn:n"><n:l1><n:l2><n:l3>v</n:l3></n:l2></n:l1></n:t>',
  '<m:t xmlns:m="urn:m" a="é&gt;\'&#13;" b=\'"\'>é &gt; &amp; &#13;x&#10;y<m:empty></m:empty></m:t>',
  '<c:t xmlns:c="urn:c"><![CDATA[<raw> & ]]></c:t>',
  '<p:t xmlns:p="urn:p"><!-- inner --><?pi data?><p:u/></p:t>',
  '<o:t xmlns:o="urn:o" at="☃ 😀\ttab">😀 text</o:t>',
  '<nons>no namespace, dropped</nons>',
  '<undeclared:x>dropped, no namespace</undeclared:x>',
  '<dup:again xmlns:dup="urn:x">same namespace as x:y</dup:again>',
  '<r:t xmlns:r="urn:r" r:own="1" y:outer="2"/>',
  '<!-- a comment directly in metadata -->',
  '<?pi directly in metadata?>',
  '<d:e xmlns:d="urn:d" xmlns="urn:default"><f g="&lt;&amp;&#10;&#9;é"/></d:e>',
];

function pickSome<T>(rng: Random, list: readonly T[], max: number): T[] {
  return rng.shuffle(list).slice(0, rng.int(0, max));
}

/** The lines of a canonical <domain> get a <metadata> where libvirt prints one: after the header. */
function withMetadata(rng: Random, xml: string): string {
  const lines = xml.split(/(?<=\n)/);
  const domainAt = lines.findIndex((l) => /^\s*<domain\b/.test(l));
  if (domainAt < 0) return xml;
  let at = domainAt + 1;
  while (at < lines.length && /^\s*<(name|uuid|genid|title|description)\b/.test(lines[at] ?? ''))
    at++;
  const indent = /^(\s*)/.exec(lines[domainAt + 1] ?? '')?.[1] ?? '';
  const children = pickSome(rng, METADATA_CHILDREN, 5);
  const body = children.length
    ? `${indent}<metadata>\n${children.map((c) => `${indent}  ${c}\n`).join('')}${indent}</metadata>\n`
    : `${indent}${rng.pick(['<metadata/>', '<metadata>\n' + indent + '</metadata>'])}\n`;
  lines.splice(at, 0, body);
  return lines.join('');
}

function rootNamespaces(rng: Random, xml: string): string {
  const decls = pickSome(
    rng,
    [' xmlns:app="http://example.org/app"', ' xmlns:y="urn:y"', " xmlns:spare='urn:spare'"],
    3,
  );
  return xml.replace(/<domaincheckpoint\b/, (m) => m + decls.join(''));
}

const MARKUP: readonly string[] = [
  '<!-- comment -->',
  '<!---->',
  '<?pi some data?>',
  '<?empty?>',
  '<!-- ünïcode ☃ -->',
];

/** Comments and processing instructions between any two tags inside the root, and around it. */
function sprinkle(rng: Random, xml: string): string {
  const root = xml.indexOf('<domaincheckpoint');
  const end = xml.lastIndexOf('</domaincheckpoint>');
  if (root < 0 || end < 0) return xml;
  let out = xml;
  for (let k = rng.int(1, 4); k > 0; k--) {
    const gaps: number[] = [];
    const from = out.indexOf('>', out.indexOf('<domaincheckpoint')) + 1;
    const to = out.lastIndexOf('</domaincheckpoint>');
    for (let i = from; i <= to; i++) if (out[i] === '<' && out[i - 1] === '>') gaps.push(i);
    if (!gaps.length) break;
    const at = rng.pick(gaps);
    out = out.slice(0, at) + rng.pick(MARKUP) + out.slice(at);
  }
  if (rng.chance(0.4)) out += `${rng.pick(MARKUP)}\n`;
  return out;
}

/** Where the checkpoint's own <name> starts: not the parent's, not the domain's; -1 if none. */
function ownNameAt(xml: string): number {
  const skip: [number, number][] = [];
  for (const tag of ['parent', 'domain']) {
    const from = xml.search(new RegExp(`<${tag}[\\s>]`));
    const to = xml.indexOf(`</${tag}>`, from);
    if (from >= 0 && to >= 0) skip.push([from, to]);
  }
  for (let at = xml.indexOf('<name>'); at >= 0; at = xml.indexOf('<name>', at + 1)) {
    if (!skip.some(([a, b]) => at > a && at < b)) return at;
  }
  return -1;
}

/** `selfParent`: the checkpoint names itself as parent, which a new name would break. */
function withEntities(
  rng: Random,
  xml: string,
  name: string | undefined,
  selfParent: boolean,
): Transformed {
  if (!xml.includes('<domaincheckpoint')) return { xml };
  const dtd = rng.pick([
    '<!DOCTYPE domaincheckpoint [\n<!ENTITY who "operator">\n<!ENTITY amp2 "&#38;#38;">\n]>\n',
    '<!DOCTYPE domaincheckpoint [\n<!ENTITY who "op">\n<!ENTITY ext SYSTEM "/nonexistent/x">\n]>\n',
    '<!DOCTYPE domaincheckpoint>\n',
    '<!DOCTYPE domaincheckpoint SYSTEM "/nonexistent/checkpoint.dtd">\n',
  ]);
  const place = rng.weighted<string>([
    [3, 'name'],
    [3, 'description'],
    [2, 'bitmap'],
    [1, 'none'],
  ]);
  let body = xml;
  let renamed: string | undefined;
  const own = ownNameAt(body);
  if (place === 'name' && name !== undefined && own >= 0 && !selfParent) {
    body = body.slice(0, own) + body.slice(own).replace(/<\/name>/, '&who;</name>');
    const value = /<!ENTITY who "([^"]*)">/.exec(dtd)?.[1];
    // Without a value the reference is empty; without a declaration libxml2 stops before.
    renamed = name + (value ?? '');
  } else if (place === 'description') {
    body = body.includes('<description>')
      ? body.replace(/<description>/, '<description>&who; ')
      : body.replace(/<\/name>/, '</name><description>by &who;</description>');
  } else if (place === 'bitmap') body = body.replace(/bitmap=(['"])/, 'bitmap=$1&who;');
  const decl = /^(\uFEFF?<\?xml[^>]*\?>\s*)/.exec(body)?.[1] ?? '';
  const out = decl + dtd + body.slice(decl.length);
  return renamed === undefined ? { xml: out } : { xml: out, name: renamed };
}

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const out: number[] = bom ? (littleEndian ? [0xff, 0xfe] : [0xfe, 0xff]) : [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out.push(...(littleEndian ? [c & 0xff, c >> 8] : [c >> 8, c & 0xff]));
  }
  return new Uint8Array(out);
}

function latin1(text: string): Uint8Array | undefined {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c > 0xff) return undefined;
    out.push(c);
  }
  return new Uint8Array(out);
}

function encode(rng: Random, xml: string): Transformed {
  const body = xml.replace(/^\uFEFF?(<\?xml[^>]*\?>\s*)?/, '');
  const kind = rng.pick([
    'utf16le',
    'utf16be',
    'utf16-nobom',
    'latin1',
    'latin1-ascii',
    'bom',
    'utf16-label',
    'nul',
  ]);
  if (kind.startsWith('utf16') && kind !== 'utf16-label') {
    const text = `<?xml version="1.0" encoding="UTF-16"?>\n${body}`;
    return { xml: text, bytes: utf16(text, kind !== 'utf16be', kind !== 'utf16-nobom') };
  }
  if (kind === 'latin1' || kind === 'latin1-ascii') {
    const text = `<?xml version="1.0" encoding="ISO-8859-1"?>\n${
      kind === 'latin1' ? body.replace(/<\/name>/, '</name><description>café</description>') : body
    }`;
    const bytes = latin1(text);
    return bytes ? { xml: text, bytes } : { xml };
  }
  if (kind === 'bom') return { xml: `\uFEFF${body}` };
  if (kind === 'utf16-label') return { xml: `<?xml version="1.0" encoding="UTF-16"?>\n${body}` };
  const at = rng.int(0, body.length);
  return {
    xml: body,
    bytes: new Uint8Array([
      ...new TextEncoder().encode(body.slice(0, at)),
      0,
      ...new TextEncoder().encode(body.slice(at)),
    ]),
  };
}

const BREAKERS: readonly string[] = [
  '&',
  '&;',
  '&#0;',
  '&#xD800;',
  '&#1114112;',
  '&nope;',
  '<',
  ']]>',
  '</x>',
  '<x>',
  '<!--',
  '"',
  '=',
  ' a="1" a="2"',
  " b='<'",
  '\f',
  '\u0001',
  '\uFFFE',
  '<?xml version="1.0"?>',
  '<!DOCTYPE x>',
];

function breakIt(rng: Random, xml: string): string {
  const at = rng.int(0, xml.length);
  const r = rng.int(0, 9);
  if (r < 6) return xml.slice(0, at) + rng.pick(BREAKERS) + xml.slice(at);
  if (r < 8) return xml.slice(0, at);
  return xml.slice(0, at) + xml.slice(at + rng.int(1, 8));
}

/** Applies one kind to a generated case's XML. */
export function transform(
  rng: Random,
  kind: TrustKind,
  xml: string,
  name: string | undefined,
  selfParent = false,
): Transformed {
  switch (kind) {
    case 'metadata':
      return { xml: rootNamespaces(rng, withMetadata(rng, xml)) };
    case 'namespaces':
      return { xml: rootNamespaces(rng, xml) };
    case 'markup':
      return { xml: sprinkle(rng, xml) };
    case 'entities':
      return withEntities(rng, xml, name, selfParent);
    case 'encoding':
      return encode(rng, xml);
    case 'malformed':
      return { xml: breakIt(rng, xml) };
  }
}
