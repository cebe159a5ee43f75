import type { XmlElement, XmlNode } from './xml-tree.ts';

/**
 * A chain's checkpoints mostly carry the same `<domain>`, and the domain is most of each file. When
 * a folder opens, a `<domain>` read before is not read again where nothing can make it read
 * differently: the same text at the same offset, line and column, in a file with no DOCTYPE,
 * comment, CDATA section, processing instruction or namespace declaration outside it, as a child of
 * a root that sets no xml:space, read with no warning. The element then is the same in every way,
 * its positions and spans included, so the one read before is used (frozen: nothing may change it).
 */

/** Where a file's one `<domain>` element is, when nothing outside it can change how it reads. */
export interface DomainSpan {
  start: number;
  end: number;
  text: string;
}

const START_TAG = /<domain[\s>/]/g;
const END_TAG = /<\/domain\s*>/g;

function onlyBlanks(text: string): boolean {
  return /^[ \t]*$/.test(text);
}

/**
 * The file's `<domain>`, or undefined where what surrounds it could change what is made of it: not
 * exactly one start and one end tag; a DOCTYPE, comment or CDATA section (`<!`), a processing
 * instruction or a namespace declaration outside the domain; a carriage return anywhere (libxml2
 * counts lines its own way there); anything but blanks beside the domain on its first and last line.
 */
export function findDomain(contents: string): DomainSpan | undefined {
  if (contents.includes('\r')) return undefined;
  const starts = [...contents.matchAll(START_TAG)];
  const ends = [...contents.matchAll(END_TAG)];
  const [first] = starts;
  const [last] = ends;
  if (starts.length !== 1 || ends.length !== 1 || !first || !last) return undefined;
  const start = first.index;
  const end = last.index + last[0].length;
  if (end <= start) return undefined;
  const before = contents.slice(0, start);
  const after = contents.slice(end);
  const declaration = /^<\?xml\s[^?]*\?>/.exec(before)?.[0] ?? '';
  const outside = before.slice(declaration.length) + after;
  if (outside.includes('<!') || outside.includes('<?') || /xmlns/.test(outside)) return undefined;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = after.indexOf('\n');
  if (!onlyBlanks(before.slice(lineStart))) return undefined;
  if (!onlyBlanks(lineEnd < 0 ? after : after.slice(0, lineEnd))) return undefined;
  return { start, end, text: contents.slice(start, end) };
}

/** The domains read so far, by where they stood and what they said; see the top of this file. */
export interface DomainReuse {
  /** The element read before at this place with this text, if any. */
  take(span: DomainSpan, line: number, column: number): XmlElement | undefined;
  /** Keeps an element read with no warning at this place, frozen. */
  keep(span: DomainSpan, line: number, column: number, element: XmlElement): void;
  /** What is worked out of a kept element (its facts, its disks), worked out once. */
  derived<T>(element: XmlElement, what: string, compute: () => T): T;
}

/** What is worked out of an element, once per kept domain where there is a `reuse`. */
export function derivedOf<T>(
  reuse: DomainReuse | undefined,
  element: XmlElement,
  what: string,
  compute: () => T,
): T {
  return reuse ? reuse.derived(element, what, compute) : compute();
}

function deepFreeze(node: XmlNode): void {
  if (node.kind === 'element') {
    for (const child of node.children) deepFreeze(child);
    for (const a of node.attributes) Object.freeze(a);
    Object.freeze(node.attributes);
    Object.freeze(node.children);
    if (node.namespaces) {
      for (const n of node.namespaces) Object.freeze(n);
      Object.freeze(node.namespaces);
    }
    Object.freeze(node.position);
    if (node.span) Object.freeze(node.span);
  }
  Object.freeze(node);
}

/**
 * Up to `limit` domains are kept (then the oldest go). A folder's checkpoints come chain by chain,
 * each chain's mostly with one domain, so a few dozen suffice: over the bench's 10,000 files, 64 held
 * 9 MB and read as fast as 2,000, which held 103 MB.
 */
export function createDomainReuse(limit = 64): DomainReuse {
  const byText = new Map<string, Map<string, XmlElement>>();
  let count = 0;
  const kept = new WeakMap<XmlElement, Map<string, unknown>>();
  const where = (span: DomainSpan, line: number, column: number) =>
    `${span.start}:${line}:${column}`;
  return {
    take(span, line, column) {
      return byText.get(span.text)?.get(where(span, line, column));
    },
    keep(span, line, column, element) {
      if (count >= limit) {
        const oldest = byText.keys().next();
        if (!oldest.done) {
          count -= byText.get(oldest.value)?.size ?? 0;
          byText.delete(oldest.value);
        }
      }
      deepFreeze(element);
      let places = byText.get(span.text);
      if (!places) byText.set(span.text, (places = new Map()));
      if (!places.has(where(span, line, column))) count++;
      places.set(where(span, line, column), element);
      kept.set(element, new Map());
    },
    derived(element, what, compute) {
      const memo = kept.get(element);
      if (!memo) return compute();
      if (memo.has(what)) return memo.get(what) as ReturnType<typeof compute>;
      const value = compute();
      memo.set(what, value);
      return value;
    },
  };
}
