import type { Checkpoint } from './checkpoint.ts';
import { CHECKPOINT_ROOT, readCheckpoint } from './checkpoint.ts';
import type { FormatOptions } from './format.ts';
import { formatCheckpoint } from './format.ts';
import type { Position } from './problem.ts';
import type { XmlDocument, XmlElement, XmlNode } from './xml-tree.ts';
import { parseXmlDocument } from './xml-parser.ts';

/** One thing libvirt's format of a file changes or leaves out, where the file has it. */
export interface FormatChange {
  line?: number;
  what: string;
}

/** The checkpoint's fields libvirt reads; anything else at the root is not kept. */
const FIELDS = new Set(['name', 'description', 'parent', 'creationTime', 'disks', 'domain']);
const DISK_ATTRIBUTES = new Set(['name', 'checkpoint', 'bitmap', 'size']);

function at(p: Position | undefined): { line?: number } {
  return p ? { line: p.line } : {};
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Markup that libvirt's format of this subtree drops or rewrites: comments, PIs, CDATA, entities. */
function markup(el: XmlElement, out: FormatChange[], inMetadata: boolean): void {
  for (const c of el.children) {
    if (c.kind === 'element') {
      const metadata = inMetadata || (c.name === 'metadata' && c.uri === undefined);
      markup(c, out, metadata);
      continue;
    }
    // Inside an element of <metadata>, libvirt keeps everything as the file has it.
    if (inMetadata && el.name !== 'metadata') continue;
    if (c.kind === 'comment') out.push({ ...at(c.position), what: 'a comment is left out' });
    else if (c.kind === 'pi') {
      out.push({
        ...at(c.position),
        what: `the processing instruction <?${c.target}?> is left out`,
      });
    } else if (c.kind === 'cdata') {
      out.push({ ...at(el.position), what: `a CDATA section in <${el.name}> is written as text` });
    } else if (c.kind === 'entity') {
      out.push({
        ...at(c.position),
        what: `the entity reference &${c.name}; is written as its value`,
      });
    }
  }
}

function namespaceMoves(root: XmlElement, domain: XmlElement | undefined, out: FormatChange[]) {
  for (const ns of root.namespaces ?? []) {
    const decl = ns.prefix === '' ? 'xmlns' : `xmlns:${ns.prefix}`;
    out.push({
      ...at(root.position),
      what: `${decl} on <domaincheckpoint> is not kept there: libvirt declares a namespace on the element that uses it`,
    });
  }
  const metadata = domain?.children.find(
    (c): c is XmlElement => c.kind === 'element' && c.name === 'metadata' && c.uri === undefined,
  );
  if (!metadata) return;
  const seen = new Set<string>();
  for (const c of metadata.children) {
    if (c.kind !== 'element') {
      if (c.kind === 'text' && c.text.trim() === '') continue;
      out.push({
        ...at(metadata.position),
        what: 'text, comments and processing instructions directly in <metadata> are left out',
      });
      continue;
    }
    if (c.uri === undefined) {
      out.push({
        ...at(c.position),
        what: `<${c.name}> in <metadata> is left out: libvirt keeps only elements in a namespace`,
      });
    } else if (seen.has(c.uri)) {
      out.push({
        ...at(c.position),
        what: `<${c.name}> in <metadata> is left out: libvirt keeps one element per namespace`,
      });
    } else seen.add(c.uri);
  }
}

function fieldChanges(
  root: XmlElement,
  cp: Checkpoint,
  options: FormatOptions,
  out: FormatChange[],
): void {
  for (const c of root.children) {
    if (c.kind !== 'element') continue;
    if (!FIELDS.has(c.name) || c.uri !== undefined) {
      out.push({
        ...at(c.position),
        what: `<${c.name}> is left out: it is not part of a checkpoint libvirt keeps`,
      });
    }
  }
  if (cp.creationTimeAsWritten !== undefined) {
    out.push({
      ...at(cp.positions.creationTime),
      what: `creationTime '${cp.creationTimeAsWritten}' is left out: libvirt cannot read it`,
    });
  } else if (cp.creationTime === '0') {
    out.push({ ...at(cp.positions.creationTime), what: 'creationTime 0 is left out' });
  }
  for (const disk of cp.disks ?? []) {
    if (!disk.name) {
      out.push({ ...at(disk.position), what: 'a disk without a name is left out' });
      continue;
    }
    if (disk.checkpointAsWritten !== undefined) {
      out.push({
        ...at(disk.position),
        what: `disk ${disk.name}: checkpoint '${disk.checkpointAsWritten}' is written as 'bitmap'`,
      });
    }
    if (disk.size !== undefined && (!options.size || disk.bitmap === undefined)) {
      out.push({ ...at(disk.position), what: `disk ${disk.name}: its size is left out` });
    }
  }
  const disks = root.children.find(
    (c): c is XmlElement => c.kind === 'element' && c.name === 'disks',
  );
  for (const d of disks?.children ?? []) {
    if (d.kind !== 'element') continue;
    for (const a of d.attributes) {
      if (!DISK_ATTRIBUTES.has(a.name)) {
        out.push({ ...at(a.position), what: `the attribute ${a.name}= of a disk is left out` });
      }
    }
    if (d.name !== 'disk') {
      out.push({ ...at(d.position), what: `<${d.name}> in <disks> is read as a disk` });
    }
    // What libvirt's format adds: a disk without checkpoint= is a bitmap, and is written as one.
    const name = d.attributes.find((a) => a.name === 'name')?.value;
    if (name && !d.attributes.some((a) => a.name === 'checkpoint')) {
      out.push({
        ...at(d.position),
        what: `disk ${name}: checkpoint='bitmap' is added (a disk without checkpoint= is a bitmap)`,
      });
    }
  }
  if (cp.domain && options.noDomain) {
    out.push({ ...at(cp.positions.domain), what: 'the <domain> is left out (no domain)' });
  }
  if (cp.domain && !options.securityInfo && hasSecret(cp.domain)) {
    out.push({
      ...at(cp.positions.domain),
      what: 'graphics passwords are left out (without security info)',
    });
  }
}

function hasSecret(el: XmlElement): boolean {
  if (el.name === 'graphics' && el.attributes.some((a) => a.name === 'passwd')) return true;
  return el.children.some((c: XmlNode) => c.kind === 'element' && hasSecret(c));
}

/**
 * What exporting a file in libvirt's format (`virsh checkpoint-dumpxml`) changes, said before it
 * is done: what it leaves out and what it writes otherwise, each with its line, then the layout.
 * Empty when the file is already exactly what libvirt prints.
 */
export function formatChanges(text: string, options: FormatOptions = {}): FormatChange[] {
  const parsed = parseXmlDocument(text);
  if (!parsed.ok) {
    const line = parsed.problems[0]?.line;
    return [{ ...(line === undefined ? {} : { line }), what: 'the file cannot be read as XML' }];
  }
  const doc: XmlDocument = parsed.value;
  const read = readCheckpoint(doc.root);
  if (!read.ok || doc.root.name !== CHECKPOINT_ROOT) {
    return [{ ...at(doc.root.position), what: 'the file is not a checkpoint' }];
  }
  const cp = read.value;
  if (formatCheckpoint(cp, options) === text) return [];
  const out: FormatChange[] = [];
  if (text.charCodeAt(0) === 0xfeff) out.push({ line: 1, what: 'the byte order mark is left out' });
  if (doc.declaration) {
    out.push({ ...at(doc.declaration.position), what: 'the XML declaration is left out' });
  }
  if (doc.doctype) out.push({ ...at(doc.doctype.position), what: 'the DOCTYPE is left out' });
  for (const node of [...doc.prolog, ...doc.epilog]) {
    out.push({
      ...at(node.position),
      what:
        node.kind === 'comment' ? 'a comment is left out' : 'a processing instruction is left out',
    });
  }
  markup(doc.root, out, false);
  namespaceMoves(doc.root, cp.domain, out);
  fieldChanges(doc.root, cp, options, out);
  out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  out.push({
    what: 'the layout is libvirt’s: two spaces a level, one element a line, single quotes, LF line ends',
  });
  return out;
}

/** The changes as a few lines an operator reads at once: like ones grouped, with their lines. */
export function summarizeChanges(changes: readonly FormatChange[]): string[] {
  const groups = new Map<string, number[]>();
  for (const c of changes) {
    const lines = groups.get(c.what) ?? [];
    if (c.line !== undefined) lines.push(c.line);
    groups.set(c.what, lines);
  }
  return [...groups].map(([what, lines]) => {
    if (lines.length === 0) return what;
    const where = lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`;
    const count = lines.length > 1 ? ` (${plural(lines.length, 'place')})` : '';
    return `${where}: ${what}${count}`;
  });
}
