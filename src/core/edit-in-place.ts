import type { Checkpoint, CheckpointDisk, CheckpointType } from './checkpoint.ts';
import { CHECKPOINT_ROOT } from './checkpoint.ts';
import { escapeXml } from './escape.ts';
import type { Result } from './problem.ts';
import type { XmlAttribute, XmlElement } from './xml-tree.ts';
import { attribute, childElements, firstChild } from './xml-tree.ts';
import { parseXmlDocument } from './xml-parser.ts';

/** A disk's field a form changes: its checkpoint, or its bitmap (empty: libvirt's default). */
export type DiskFieldEdit =
  | { field: 'disk-checkpoint'; disk: string; checkpoint: CheckpointType }
  | { field: 'disk-bitmap'; disk: string; bitmap: string };

/** One field a form changes. An empty value removes the field. */
export type CheckpointFieldEdit =
  { field: 'name' | 'description' | 'parent' | 'creationTime'; value: string } | DiskFieldEdit;

/** Text changes to make at once: replace [start, end) with text. */
interface Splice {
  start: number;
  end: number;
  text: string;
}

function apply(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, s.start) + s.text + out.slice(s.end);
  }
  return out;
}

/** libvirt's order of a checkpoint's fields, which an added field takes its place in. */
const FIELD_ORDER = ['name', 'description', 'parent', 'creationTime', 'disks', 'domain'];

/** How the file lays out children of an element: the line end and indentation it uses. */
interface Layout {
  newline: string;
  indent: string;
  /** Whether children stand on lines of their own (else the file is written flat). */
  pretty: boolean;
}

function layoutOf(text: string, parent: XmlElement, fallbackIndent: string): Layout {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  for (const c of parent.children) {
    if (c.kind !== 'element' || !c.span) continue;
    const lineStart = text.lastIndexOf('\n', c.span.start - 1) + 1;
    const before = text.slice(lineStart, c.span.start);
    if (/^[ \t]*$/.test(before) && lineStart > (parent.span?.start ?? 0)) {
      return { newline, indent: before, pretty: true };
    }
    return { newline, indent: '', pretty: false };
  }
  // No child yet: one level deeper than the parent's own line.
  const start = parent.span?.start ?? 0;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const own = /^[ \t]*/.exec(text.slice(lineStart, start))?.[0] ?? '';
  const pretty = text.slice(parent.span?.openEnd ?? 0).startsWith(newline) || lineStart > 0;
  return { newline, indent: own + fallbackIndent, pretty };
}

/** Removes an element, with its own line when it has one. */
function removal(text: string, el: XmlElement): Splice {
  const span = el.span as NonNullable<XmlElement['span']>;
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  const lineEnd = text.indexOf('\n', span.end);
  const alone =
    /^[ \t]*$/.test(text.slice(lineStart, span.start)) &&
    /^[ \t\r]*$/.test(text.slice(span.end, lineEnd < 0 ? text.length : lineEnd));
  if (alone) {
    return { start: lineStart, end: lineEnd < 0 ? text.length : lineEnd + 1, text: '' };
  }
  return { start: span.start, end: span.end, text: '' };
}

/** An element's content replaced by `inner` (an empty element `<x/>` opened up). */
function setContent(el: XmlElement, inner: string): Splice {
  const span = el.span as NonNullable<XmlElement['span']>;
  if (span.closeStart === undefined) {
    return { start: span.start, end: span.end, text: `<${el.name}>${inner}</${el.name}>` };
  }
  return { start: span.openEnd, end: span.closeStart, text: inner };
}

/** A new child of `parent` after `after` (or first), on its own line when the file has lines. */
function insertion(
  text: string,
  parent: XmlElement,
  after: XmlElement | undefined,
  xml: string,
): Splice {
  const layout = layoutOf(text, parent, '  ');
  const span = parent.span as NonNullable<XmlElement['span']>;
  const lead = layout.pretty ? `${layout.newline}${layout.indent}` : '';
  if (after?.span) return { start: after.span.end, end: after.span.end, text: lead + xml };
  if (span.closeStart === undefined) {
    // `<parent/>`: opened up, the child inside.
    const close = layout.pretty ? `${layout.newline}${layout.indent.slice(2)}` : '';
    const open = text.slice(span.start, span.end - 2);
    return {
      start: span.start,
      end: span.end,
      text: `${open}>${lead}${xml}${close}</${parent.name}>`,
    };
  }
  return { start: span.openEnd, end: span.openEnd, text: lead + xml };
}

/** The field a new one goes after: the last present that libvirt writes before it. */
function predecessor(root: XmlElement, field: string): XmlElement | undefined {
  const before = FIELD_ORDER.slice(0, FIELD_ORDER.indexOf(field));
  let last: XmlElement | undefined;
  for (const c of childElements(root)) if (before.includes(c.name)) last = c;
  return last;
}

function quoteOf(el: XmlElement, text: string): string {
  const a = el.attributes[0];
  return a?.valueSpan ? (text[a.valueSpan.start - 1] ?? "'") : "'";
}

function attributeValue(value: string, quote: string): string {
  return escapeXml(value)
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
    .replace(quote === '"' ? /&apos;/g : /&quot;/g, quote === '"' ? "'" : '"');
}

function findAttribute(el: XmlElement, name: string): XmlAttribute | undefined {
  return el.attributes.find((a) => a.name === name && a.uri === undefined);
}

/** Sets (or, with undefined, removes) an attribute in a start tag, the rest of the tag as it is. */
function setAttribute(
  text: string,
  el: XmlElement,
  name: string,
  value: string | undefined,
  after?: string,
): Splice | undefined {
  const existing = findAttribute(el, name);
  const quote = quoteOf(el, text);
  if (existing?.valueSpan && existing.span) {
    if (value === undefined) {
      // The attribute and the blanks before it.
      let start = existing.span.start;
      while (start > 0 && /[ \t\r\n]/.test(text[start - 1] ?? '')) start--;
      return { start, end: existing.span.end, text: '' };
    }
    const q = text[existing.valueSpan.start - 1] ?? quote;
    return {
      start: existing.valueSpan.start,
      end: existing.valueSpan.end,
      text: attributeValue(value, q),
    };
  }
  if (value === undefined) return undefined;
  const anchor = after === undefined ? undefined : findAttribute(el, after);
  const span = el.span as NonNullable<XmlElement['span']>;
  const at =
    anchor?.span?.end ??
    el.attributes[el.attributes.length - 1]?.span?.end ??
    span.start + 1 + el.name.length;
  return { start: at, end: at, text: ` ${name}=${quote}${attributeValue(value, quote)}${quote}` };
}

function disksOf(root: XmlElement): XmlElement | undefined {
  return firstChild(root, 'disks');
}

function diskNamed(disks: XmlElement | undefined, name: string): XmlElement | undefined {
  return disks ? childElements(disks).find((d) => attribute(d, 'name') === name) : undefined;
}

/** A disk the file does not list yet, as libvirt writes one. */
function newDisk(name: string, checkpoint: CheckpointType, bitmap?: string): string {
  const parts = [`name='${attributeValue(name, "'")}'`, `checkpoint='${checkpoint}'`];
  if (bitmap) parts.push(`bitmap='${attributeValue(bitmap, "'")}'`);
  return `<disk ${parts.join(' ')}/>`;
}

function diskEdit(text: string, root: XmlElement, edit: DiskFieldEdit): Splice[] {
  const disks = disksOf(root);
  const disk = diskNamed(disks, edit.disk);
  const wanted: { checkpoint: CheckpointType; bitmap?: string } =
    edit.field === 'disk-checkpoint'
      ? { checkpoint: edit.checkpoint }
      : edit.bitmap
        ? { checkpoint: 'bitmap', bitmap: edit.bitmap }
        : { checkpoint: 'bitmap' };
  if (!disk) {
    const xml = newDisk(edit.disk, wanted.checkpoint, wanted.bitmap);
    if (disks) {
      const last = childElements(disks).at(-1);
      return [insertion(text, disks, last, xml)];
    }
    const layout = layoutOf(text, root, '  ');
    const inner = layout.pretty
      ? `<disks>${layout.newline}${layout.indent}  ${xml}${layout.newline}${layout.indent}</disks>`
      : `<disks>${xml}</disks>`;
    return [insertion(text, root, predecessor(root, 'disks'), inner)];
  }
  const splices: (Splice | undefined)[] = [];
  if (edit.field === 'disk-checkpoint') {
    splices.push(setAttribute(text, disk, 'checkpoint', edit.checkpoint, 'name'));
    // A disk without a checkpoint has no bitmap and no size: libvirt prints neither.
    if (edit.checkpoint === 'no') {
      splices.push(setAttribute(text, disk, 'bitmap', undefined));
      splices.push(setAttribute(text, disk, 'size', undefined));
    }
  } else {
    if (attribute(disk, 'checkpoint') === 'no' && edit.bitmap) {
      splices.push(setAttribute(text, disk, 'checkpoint', 'bitmap'));
    }
    const anchor = findAttribute(disk, 'checkpoint') ? 'checkpoint' : 'name';
    splices.push(setAttribute(text, disk, 'bitmap', edit.bitmap || undefined, anchor));
  }
  return splices.filter((s): s is Splice => s !== undefined);
}

function fieldEdit(text: string, root: XmlElement, field: string, value: string): Splice[] {
  const escaped = escapeXml(value);
  if (field === 'parent') {
    const parent = firstChild(root, 'parent');
    if (!value) return parent ? [removal(text, parent)] : [];
    const name = parent && firstChild(parent, 'name');
    if (name) return [setContent(name, escaped)];
    if (parent) return [insertion(text, parent, undefined, `<name>${escaped}</name>`)];
    const layout = layoutOf(text, root, '  ');
    const xml = layout.pretty
      ? `<parent>${layout.newline}${layout.indent}  <name>${escaped}</name>${layout.newline}${layout.indent}</parent>`
      : `<parent><name>${escaped}</name></parent>`;
    return [insertion(text, root, predecessor(root, 'parent'), xml)];
  }
  const el = firstChild(root, field);
  if (!value) return el ? [removal(text, el)] : [];
  if (el) return [setContent(el, escaped)];
  return [insertion(text, root, predecessor(root, field), `<${field}>${escaped}</${field}>`)];
}

/**
 * A form edit made in the file's own text: the field changes, and everything else the file holds
 * (comments, layout, quotes, namespaces, <metadata>, what the model does not know) stays as it is.
 */
export function editCheckpointText(text: string, edit: CheckpointFieldEdit): Result<string> {
  const parsed = parseXmlDocument(text);
  if (!parsed.ok) return parsed;
  const root = parsed.value.root;
  if (root.name !== CHECKPOINT_ROOT) return { ok: true, value: text, problems: [] };
  const splices =
    edit.field === 'disk-checkpoint' || edit.field === 'disk-bitmap'
      ? diskEdit(text, root, edit)
      : fieldEdit(text, root, edit.field, edit.value);
  return { ok: true, value: apply(text, splices), problems: [] };
}

/** A disk's entry in <disks>, added (named by its target) when the checkpoint does not list it. */
function withDisk(
  cp: Checkpoint,
  name: string,
  change: (disk: CheckpointDisk) => CheckpointDisk,
): Checkpoint {
  const disks = cp.disks ?? [];
  const index = disks.findIndex((d) => d.name === name);
  if (index >= 0) return { ...cp, disks: disks.map((d, i) => (i === index ? change(d) : d)) };
  return { ...cp, disks: [...disks, change({ name, checkpoint: 'bitmap' })] };
}

/** The same edit made to the model: what the edited text reads back as. */
export function applyCheckpointEdit(cp: Checkpoint, edit: CheckpointFieldEdit): Checkpoint {
  switch (edit.field) {
    case 'name':
    case 'description':
    case 'parent':
    case 'creationTime':
      return { ...cp, [edit.field]: edit.value || undefined };
    case 'disk-checkpoint':
      return withDisk(cp, edit.disk, (d) =>
        edit.checkpoint === 'bitmap'
          ? { ...d, checkpoint: 'bitmap' }
          : { name: d.name, checkpoint: 'no', ...(d.position ? { position: d.position } : {}) },
      );
    case 'disk-bitmap':
      return withDisk(cp, edit.disk, (d) => {
        const { bitmap: _old, ...rest } = d;
        return edit.bitmap ? { ...rest, checkpoint: 'bitmap', bitmap: edit.bitmap } : rest;
      });
  }
}
