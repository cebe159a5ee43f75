import { DOMParser } from '@xmldom/xmldom';
import type { Position, Problem, Result } from './problem.ts';
import { problem } from './problem.ts';

/** A plain, serialisable XML tree that keeps where each element and attribute stood. */
export interface XmlAttribute {
  name: string;
  value: string;
  position: Position;
}

export interface XmlText {
  kind: 'text';
  text: string;
}

export interface XmlElement {
  kind: 'element';
  name: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  position: Position;
}

export type XmlNode = XmlElement | XmlText;

interface LocatedNode {
  lineNumber?: number;
  columnNumber?: number;
}

// DOM node types, as numbers: core has no DOM globals.
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

function positionOf(node: LocatedNode): Position {
  // An empty document has no line of its own: it is line 1, as libxml2 says.
  return { line: Math.max(1, node.lineNumber ?? 1), column: Math.max(1, node.columnNumber ?? 1) };
}

/** libxml2 refuses documents nested deeper than this (without XML_PARSE_HUGE), and so do we. */
export const MAX_DEPTH = 257;

/** libxml2's XML_MAX_TEXT_LENGTH: a longer text node is refused (without XML_PARSE_HUGE). */
export const MAX_TEXT_LENGTH = 10_000_000;

/** A limit of libxml2's that the document passes, with libxml2's words. */
class OverLimit extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly position: Position,
  ) {
    super(message);
  }
}

/** The document's text, to look at what the DOM no longer shows: where a text node's raw run ends. */
class RawSource {
  private readonly lineStarts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1))
      this.lineStarts.push(i + 1);
  }
  /** The raw characters of a text node: from where it starts up to the next tag. */
  runAt(node: LocatedNode): string {
    const start = (this.lineStarts[(node.lineNumber ?? 1) - 1] ?? 0) + (node.columnNumber ?? 1) - 1;
    const end = this.text.indexOf('<', start);
    return this.text.slice(start, end < 0 ? undefined : end);
  }
}

const BLANK = /^[ \t\n\r]*$/;

/**
 * libxml2 as libvirt runs it (keepBlanks off) drops a run of raw blanks by a heuristic, areBlanks():
 * when a tag follows it, unless it is all the element holds, or a text node came before it, or
 * the element's first node is text. Comments, processing instructions and CDATA are nodes that
 * are not text.
 */
function isIgnorableBlank(node: ChildNode, kept: readonly number[], raw: RawSource): boolean {
  const data = (node as CharacterData).data;
  if (!BLANK.test(data)) return false;
  // A character or entity reference in the run: libxml2 sees text, not a run of blanks.
  if (raw.runAt(node as LocatedNode).includes('&')) return false;
  const onlyContent = kept.length === 0 && node.nextSibling === null;
  if (onlyContent) return false;
  if (kept.length && (kept[kept.length - 1] === TEXT_NODE || kept[0] === TEXT_NODE)) return false;
  return true;
}

function convertElement(el: Element, raw: RawSource, depth = 1): XmlElement {
  if (depth > MAX_DEPTH) {
    throw new OverLimit(
      'xml-too-deep',
      'Excessive depth in document: 256 use XML_PARSE_HUGE option',
      positionOf(el as LocatedNode),
    );
  }
  const attributes: XmlAttribute[] = [];
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (a)
      attributes.push({ name: a.name, value: a.value, position: positionOf(a as LocatedNode) });
  }
  const children: XmlNode[] = [];
  // The node types libxml2 would have made children so far, blanks it dropped left out.
  const kept: number[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === TEXT_NODE && isIgnorableBlank(c, kept, raw)) continue;
    kept.push(c.nodeType);
    if (c.nodeType === ELEMENT_NODE) children.push(convertElement(c as Element, raw, depth + 1));
    else if (c.nodeType === TEXT_NODE || c.nodeType === CDATA_SECTION_NODE) {
      const text = (c as CharacterData).data;
      if (text.length > MAX_TEXT_LENGTH) {
        throw new OverLimit(
          'xml-text-too-long',
          'Resource limit exceeded: Text node too long, try XML_PARSE_HUGE',
          positionOf(c as LocatedNode),
        );
      }
      const last = children[children.length - 1];
      // The model keeps character data only: CDATA is text, merged with its neighbours.
      if (last && last.kind === 'text') last.text += text;
      else children.push({ kind: 'text', text });
    }
  }
  return {
    kind: 'element',
    name: el.nodeName,
    attributes,
    children,
    position: positionOf(el as LocatedNode),
  };
}

/** XML 1.0's line ends, as libxml2 reads them; xmldom's default also folds XML 1.1's NEL and LS. */
function xml10LineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * Reads XML text into a plain tree with positions. Entities of a DTD are never expanded and nothing
 * is ever fetched: @xmldom/xmldom knows only the five predefined entities and character references.
 */
export function parseXml(text: string): Result<XmlElement> {
  const problems: Problem[] = [];
  const source = xml10LineEndings(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  let root: XmlElement | undefined;
  try {
    const doc = new DOMParser({
      locator: true,
      // already done above, so that positions point into `source`
      normalizeLineEndings: (t: string) => t,
      onError: (level: string, message: string, context?: { locator?: LocatedNode }) => {
        // U+FFFD is a legal character; xmldom only guesses at a decoding problem.
        if (level === 'warning' && message.startsWith('Unicode replacement character')) return;
        const at = context?.locator ? positionOf(context.locator) : undefined;
        problems.push(problem('xml-malformed', `malformed XML: ${message.split('\n')[0]}`, at));
      },
    }).parseFromString(source, 'text/xml');
    const el = doc.documentElement;
    if (el && !problems.length)
      root = convertElement(el as unknown as Element, new RawSource(source));
  } catch (e) {
    if (e instanceof OverLimit) problems.push(problem(e.code, e.message, e.position));
    // otherwise onError has recorded the fatal error with its position
  }
  if (problems.length || !root) {
    if (!problems.length)
      problems.push(
        problem('xml-malformed', 'malformed XML: missing root element', { line: 1, column: 1 }),
      );
    return { ok: false, problems: dedupe(problems) };
  }
  return { ok: true, value: root, problems: [] };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.column}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter(
    (c): c is XmlElement => c.kind === 'element' && (name === undefined || c.name === name),
  );
}

export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c): c is XmlElement => c.kind === 'element' && c.name === name);
}

export function attribute(el: XmlElement, name: string): string | undefined {
  return el.attributes.find((a) => a.name === name)?.value;
}

export function attributeNode(el: XmlElement, name: string): XmlAttribute | undefined {
  return el.attributes.find((a) => a.name === name);
}

/** The XPath string value of an element: all its descendant text, in order. */
export function textContent(el: XmlElement): string {
  let out = '';
  for (const c of el.children) out += c.kind === 'text' ? c.text : textContent(c);
  return out;
}
