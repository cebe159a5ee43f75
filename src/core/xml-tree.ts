import type { Position, Problem } from './problem.ts';

/** Offsets into the text a node was read from: `start` inclusive, `end` exclusive. */
export interface Span {
  start: number;
  end: number;
}

export interface XmlAttribute {
  /** As written, prefix included: `bitmap`, `xlink:href`. */
  name: string;
  /** The value as libxml2 reads it: references resolved, line ends and tabs made spaces. */
  value: string;
  position: Position;
  /** The namespace a prefixed attribute is in; absent for an unprefixed one or an unbound prefix. */
  uri?: string;
  /** Where the value stands between its quotes, for an edit in place. */
  valueSpan?: Span;
  /** From its name to its closing quote. */
  span?: Span;
  /** Entities it references that no declaration resolves (an external subset may): left as nodes. */
  unresolvedEntities?: string[];
}

/** A namespace declaration on an element: `xmlns:qemu='…'` (prefix `qemu`) or `xmlns='…'` (prefix ``). */
export interface XmlNamespace {
  prefix: string;
  uri: string;
}

export interface ElementSpan extends Span {
  /** Just past the `>` of the start tag (the whole element when it is empty: `<x/>`). */
  openEnd: number;
  /** Where the end tag `</x>` starts; absent for `<x/>`. */
  closeStart?: number;
}

export interface XmlElement {
  kind: 'element';
  /** As written, prefix included: `disk`, `qemu:commandline`. */
  name: string;
  /** The namespace it is in; absent when in none (libvirt's own elements). */
  uri?: string;
  /** The declarations written on this element, in order. */
  namespaces?: XmlNamespace[];
  attributes: XmlAttribute[];
  children: XmlNode[];
  /** Where its `<` stands. */
  position: Position;
  span?: ElementSpan;
}

export interface XmlText {
  kind: 'text';
  text: string;
}

/** A CDATA section: character data, kept apart where its form matters (libvirt's <metadata>). */
export interface XmlCData {
  kind: 'cdata';
  text: string;
}

export interface XmlComment {
  kind: 'comment';
  text: string;
  position: Position;
}

export interface XmlProcessingInstruction {
  kind: 'pi';
  target: string;
  data: string;
  position: Position;
}

/** A reference to a DTD entity, left as it is: libxml2 as libvirt runs it expands none. */
export interface XmlEntityReference {
  kind: 'entity';
  name: string;
  /** Its value as XPath's string() reads it, when the internal subset declares it. */
  text?: string;
  position: Position;
}

export type XmlNode =
  XmlElement | XmlText | XmlCData | XmlComment | XmlProcessingInstruction | XmlEntityReference;

export interface XmlDeclaration {
  version: string;
  encoding?: string;
  standalone?: boolean;
  position: Position;
}

export interface XmlDoctype {
  name: string;
  /** A SYSTEM or PUBLIC identifier: an external subset, never loaded. */
  external: boolean;
  /** General entities the internal subset declares. */
  entities: string[];
  position: Position;
}

/** A document as libxml2 reads it with libvirt's options. */
export interface XmlDocument {
  root: XmlElement;
  declaration?: XmlDeclaration;
  doctype?: XmlDoctype;
  /** Comments and processing instructions before the root element, and after it. */
  prolog: (XmlComment | XmlProcessingInstruction)[];
  epilog: (XmlComment | XmlProcessingInstruction)[];
  /** libxml2's namespace errors and warnings: reported, the document still well-formed. */
  warnings: Problem[];
}

/** An element in no namespace, as libvirt's XPath (`./name`, `./devices/disk`) finds it. */
function isPlain(node: XmlNode, name?: string): node is XmlElement {
  return (
    node.kind === 'element' && node.uri === undefined && (name === undefined || node.name === name)
  );
}

export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => isPlain(c, name));
}

export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c): c is XmlElement => isPlain(c, name));
}

export function attribute(el: XmlElement, name: string): string | undefined {
  return el.attributes.find((a) => a.name === name && a.uri === undefined)?.value;
}

/**
 * The XPath string value of an element, as libvirt reads every field: all its descendant
 * character data in order, a declared entity's value included (libxml2's xmlNodeGetContent).
 */
export function textContent(el: XmlElement): string {
  let out = '';
  for (const c of el.children) {
    if (c.kind === 'text' || c.kind === 'cdata') out += c.text;
    else if (c.kind === 'element') out += textContent(c);
    else if (c.kind === 'entity') out += c.text ?? '';
  }
  return out;
}
