import type { XmlAttribute, XmlElement, XmlNamespace, XmlNode } from './xml-tree.ts';

/** Namespace bindings in scope: prefix (`` for the default) to URI. */
export type NamespaceScope = ReadonlyMap<string, string>;

/** The scope inside an element: its own declarations over what it inherits. */
export function scopeOf(el: XmlElement, outer: NamespaceScope): NamespaceScope {
  if (!el.namespaces?.length) return outer;
  const scope = new Map(outer);
  for (const ns of el.namespaces) scope.set(ns.prefix, ns.uri);
  return scope;
}

function prefixOf(name: string): string | undefined {
  const colon = name.indexOf(':');
  return colon < 0 ? undefined : name.slice(0, colon);
}

/**
 * The copy libvirt keeps of a domain's <metadata> (xmlCopyNode): every prefix used inside whose
 * declaration stands outside is declared again on <metadata>, in the order the copy meets them
 * (an element before its attributes, then its children); declarations inside stay where they are.
 */
function reconcile(metadata: XmlElement, outer: NamespaceScope): XmlNamespace[] {
  const onMetadata = [...(metadata.namespaces ?? [])];
  const declaredOnMetadata = new Set(onMetadata.map((ns) => ns.prefix));
  const visit = (el: XmlElement, declared: ReadonlySet<string>) => {
    const here = new Set(declared);
    for (const ns of el.namespaces ?? []) here.add(ns.prefix);
    const need = (prefix: string | undefined) => {
      if (prefix === undefined || prefix === 'xml') return;
      if (here.has(prefix) || declaredOnMetadata.has(prefix)) return;
      const uri = outer.get(prefix);
      // An undeclared prefix has no namespace at all: nothing to declare.
      if (uri === undefined) return;
      onMetadata.push({ prefix, uri });
      declaredOnMetadata.add(prefix);
    };
    need(prefixOf(el.name));
    for (const a of el.attributes) need(prefixOf(a.name));
    for (const c of el.children) if (c.kind === 'element') visit(c, here);
  };
  for (const c of metadata.children) if (c.kind === 'element') visit(c, new Set());
  return onMetadata;
}

/**
 * libvirt's virDomainDefMetadataSanitize: only elements in a namespace stay, and of those only the
 * first in each namespace; text, comments and processing instructions directly inside go.
 */
function sanitize(children: readonly XmlNode[]): XmlElement[] {
  const seen = new Set<string>();
  const kept: XmlElement[] = [];
  for (const c of children) {
    if (c.kind !== 'element' || c.uri === undefined || seen.has(c.uri)) continue;
    seen.add(c.uri);
    kept.push(c);
  }
  return kept;
}

/** libxml2's xmlEscapeContent, for text (xmlNodeDump with its UTF-8 default). */
function escapeText(text: string): string {
  return text.replace(/[<>&\r]/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '&#13;',
  );
}

/**
 * libxml2's xmlBufAttrSerializeTxtContent for a node of no document (libvirt's copy): line ends,
 * tabs and markup as references, and every character beyond ASCII as `&#xHEX;`.
 */
function escapeAttribute(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\n') out += '&#10;';
    else if (ch === '\r') out += '&#13;';
    else if (ch === '\t') out += '&#9;';
    else if (ch === '"') out += '&quot;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '&') out += '&amp;';
    else if (c >= 0x80) out += `&#x${c.toString(16).toUpperCase()};`;
    else out += ch;
  }
  return out;
}

/** libxml2's xmlBufWriteQuotedString: double quotes, single when the value holds a double one. */
function quoted(value: string): string {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/"/g, '&quot;')}"`;
}

function namespaceDeclarations(namespaces: readonly XmlNamespace[]): string {
  return namespaces
    .filter((ns) => ns.prefix !== 'xml')
    .map((ns) => ` ${ns.prefix === '' ? 'xmlns' : `xmlns:${ns.prefix}`}=${quoted(ns.uri)}`)
    .join('');
}

function attributes(list: readonly XmlAttribute[]): string {
  return list.map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`).join('');
}

/** libxml2 indents no deeper than MAX_INDENT (60 spaces). */
const indent = (level: number) => '  '.repeat(Math.min(level, 30));

/**
 * libxml2's xmlNodeDump with format on: each child on its own indented line, unless an element
 * holds text, CDATA or an entity reference, in which case everything inside it is written as it
 * stands.
 */
function dumpNode(node: XmlNode, level: number, format: boolean, out: string[]): void {
  switch (node.kind) {
    case 'text':
      out.push(escapeText(node.text));
      return;
    case 'cdata':
      out.push(`<![CDATA[${node.text}]]>`);
      return;
    case 'comment':
      out.push(`<!--${node.text}-->`);
      return;
    case 'pi':
      out.push(node.data === '' ? `<?${node.target}?>` : `<?${node.target} ${node.data}?>`);
      return;
    case 'entity':
      out.push(`&${node.name};`);
      return;
    case 'element':
      dumpElement(node, node.namespaces ?? [], node.children, level, format, out);
  }
}

function dumpElement(
  el: XmlElement,
  namespaces: readonly XmlNamespace[],
  children: readonly XmlNode[],
  level: number,
  format: boolean,
  out: string[],
): void {
  out.push(`<${el.name}${namespaceDeclarations(namespaces)}${attributes(el.attributes)}`);
  if (children.length === 0) {
    out.push('/>');
    return;
  }
  const inner =
    format && !children.some((c) => c.kind === 'text' || c.kind === 'cdata' || c.kind === 'entity');
  out.push('>');
  if (inner) out.push('\n');
  for (const c of children) {
    if (inner && (c.kind === 'element' || c.kind === 'comment' || c.kind === 'pi')) {
      out.push(indent(level + 1));
    }
    dumpNode(c, level + 1, inner, out);
    if (inner) out.push('\n');
  }
  if (inner) out.push(indent(level));
  out.push(`</${el.name}>`);
}

/**
 * A domain's <metadata> exactly as libvirt 9.0 prints it: the copy libvirt keeps (namespaces
 * declared outside moved onto <metadata>), sanitized, then dumped by libxml2 at `level` (its
 * first line not indented: libvirt's buffer does that).
 */
export function formatMetadata(metadata: XmlElement, level: number, outer: NamespaceScope): string {
  const namespaces = reconcile(metadata, outer);
  const out: string[] = [];
  dumpElement(metadata, namespaces, sanitize(metadata.children), level, true, out);
  return out.join('');
}
