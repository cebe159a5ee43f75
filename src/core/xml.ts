import type { DomainReuse } from './domain-reuse.ts';
import type { Result } from './problem.ts';
import { parseXmlDocument } from './xml-parser.ts';
import type { XmlElement } from './xml-tree.ts';

export type {
  ElementSpan,
  Span,
  XmlAttribute,
  XmlCData,
  XmlComment,
  XmlDeclaration,
  XmlDoctype,
  XmlDocument,
  XmlElement,
  XmlEntityReference,
  XmlNamespace,
  XmlNode,
  XmlProcessingInstruction,
  XmlText,
} from './xml-tree.ts';
export { attribute, childElements, firstChild, textContent } from './xml-tree.ts';
export type { ParseOptions } from './xml-parser.ts';
export { MAX_DEPTH, MAX_TEXT_LENGTH, parseXmlDocument } from './xml-parser.ts';

/** The root element of XML text as libxml2 reads it for libvirt, or libxml2's first fatal error. */
export function parseXml(text: string, domains?: DomainReuse): Result<XmlElement> {
  const parsed = parseXmlDocument(text, domains ? { domains } : {});
  if (!parsed.ok) return parsed;
  return { ok: true, value: parsed.value.root, problems: parsed.problems };
}
