/**
 * XML as libxml2 2.9 reads it for libvirt (XML_PARSE_NONET, no entity substitution, blanks dropped
 * by libxml2's own heuristic): the same documents refused, with libxml2's message at libxml2's line,
 * and the same tree kept. The order of checks follows libxml2's parser.c (xmlParseDocument,
 * xmlParseStartTag2, xmlParseAttValueComplex, xmlParseCharData, xmlParseComment, xmlParsePI,
 * xmlParseCDSect, xmlParseReference, xmlParseEndTag2), since which error comes first decides the
 * message libvirt prints. No general XML library reports libxml2's errors; this file does.
 */
import { append } from './append.ts';
import { bytesAt, isEscapedByte } from './decode.ts';
import type { DomainReuse, DomainSpan } from './domain-reuse.ts';
import { findDomain } from './domain-reuse.ts';
import { NamespaceScope } from './namespace-scope.ts';
import type { Position, Problem, Result } from './problem.ts';
import { problem } from './problem.ts';
import { isBlank, isChar, isNameChar, isNameStartChar } from './xml-chars.ts';
import type {
  XmlAttribute,
  XmlComment,
  XmlDeclaration,
  XmlDoctype,
  XmlDocument,
  XmlElement,
  XmlEntityReference,
  XmlNamespace,
  XmlNode,
  XmlProcessingInstruction,
} from './xml-tree.ts';
import { textContent } from './xml-tree.ts';

/** libxml2 refuses elements nested deeper than this (without XML_PARSE_HUGE). */
export const MAX_DEPTH = 256;
/** libxml2's XML_MAX_TEXT_LENGTH: a longer text node or attribute value is refused. */
export const MAX_TEXT_LENGTH = 10_000_000;
/**
 * The characters a document's entity references may expand to, in all. libvirt (no substitution)
 * would take more, but a JavaScript string holds at most 2^29 - 24: past this, the refusal libxml2
 * gives when it expands them (xmllint --noent), rather than "Invalid string length".
 */
export const MAX_EXPANDED_LENGTH = 2 ** 28;
/** libxml2's XML_MAX_NAME_LENGTH. */
const MAX_NAME_LENGTH = 50_000;

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

const MARKUP_ERROR = 'internal error: xmlParseInternalSubset: error detected in Markup declaration';

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const HASH = 0x23;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const APOS = 0x27;
const RBRACKET = 0x5d;
const LBRACKET = 0x5b;
const MINUS = 0x2d;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** libxml2's test_char_data: ASCII its quick path takes (no `<`, `&`, `]`, line end). */
function isQuickText(c: number): boolean {
  return (c >= SPACE && c < 0x80 && c !== LT && c !== AMP && c !== RBRACKET) || c === TAB;
}

/** libxml2's IS_BYTE_CHAR: what a start tag's attribute loop reads on. */
function isByteChar(c: number): boolean {
  return c >= SPACE || c === TAB || c === LF || c === CR;
}

/** XML's PubidChar. */
function isPubidChar(c: number): boolean {
  return (
    c === SPACE ||
    c === LF ||
    c === CR ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    "-'()+,./:=?;!*#@$_%".includes(String.fromCharCode(c))
  );
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Encodings glibc's iconv knows, by name without punctuation (as iconv compares them). */
const ICONV_NAMES =
  /^(UTF(8|16|16LE|16BE|32|32LE|32BE|7)|UCS(2|2LE|2BE|4|4LE|4BE)|(US)?ASCII|ANSIX341968|ISO8859\d{1,2}|ISO885911|LATIN\d{1,2}|L\d|(CP|WINDOWS)12(5\d)|CP(437|850|852|866|932|936|949|950)|KOI8[RU]|SHIFTJIS|SJIS|EUC(JP|KR|TW|CN)|GB2312|GBK|GB18030|BIG5(HKSCS)?|ISO2022(JP|KR|CN)\w*|EBCDIC\w*|IBM\d+|MACINTOSH|MAC|TIS620|VISCII|ARMSCII8|GEORGIANPS|HZ)$/;

/** An encoding libxml2 (with iconv) has a converter for. */
function isKnownEncoding(name: string): boolean {
  if (ICONV_NAMES.test(name.toUpperCase().replace(/[^A-Z0-9]/g, ''))) return true;
  try {
    new TextDecoder(name);
    return true;
  } catch {
    return false;
  }
}

function isQuickOrLine(c: number): boolean {
  return (c >= SPACE && c < 0x80) || c === TAB || c === LF;
}

/** The first fatal error: parsing stops there, as it does for libvirt (no recovery). */
class Fatal extends Error {
  constructor(
    message: string,
    readonly at: number,
    /** Where in an entity's replacement text it was found: libxml2 says "Entity: line N". */
    readonly inEntity?: Position,
  ) {
    super(message);
  }
}

/** An element being read: what libxml2 keeps on its name, space and namespace stacks. */
interface Open {
  element: XmlElement;
  local: string;
  prefix: string | undefined;
  line: number;
  /** libxml2's xml:space state: -1 unknown, -2 text seen (blanks kept), 0 default, 1 preserve. */
  space: number;
  /** How many namespace bindings it pushed. */
  bindings: number;
}

class Parser {
  private i = 0;
  private readonly n: number;
  private readonly newlines: number[] = [];
  private readonly warnings: Problem[] = [];
  private readonly stack: Open[] = [];
  /** Namespace bindings in scope. */
  private readonly bindings = new NamespaceScope();
  private declaration: XmlDeclaration | undefined;
  private doctype: XmlDoctype | undefined;
  private readonly declaredEntities = new Map<string, string | undefined>();
  private readonly declaredParameters = new Map<string, string | undefined>();
  /** General entities declared with NDATA: a reference to one is refused. */
  private unparsedEntities = new Set<string>();
  /** Entities whose whole expansion was found fit for an attribute value. */
  private attributeFit = new Set<string>();
  /** Element types the internal subset declares, and whether libxml2 counts them as mixed. */
  private readonly mixed = new Map<string, boolean>();
  private hasPERefs = false;
  /** Reading an entity's replacement text: the pseudo root never closes. */
  private balanced = false;
  /** Entities whose replacement text is being checked, outermost first. */
  private expanding: string[] = [];
  /** Each checked entity: how many references its whole replacement holds, itself included. */
  private entitySizes = new Map<string, number>();
  /** Each checked entity's string value, as XPath's string() and xmlGetProp read it. */
  private entityTexts = new Map<string, string>();
  /** Undeclared entities referenced in the attribute value being read. */
  private attributeEntities: string[] = [];
  /** References met in this text, those inside the entities counted. */
  private referenced = 0;
  /** The characters the entity references met in this text expand to. */
  private expanded = 0;
  private standalone = false;
  /** The file's <domain>, where a reading of it kept before may stand for it (domain-reuse.ts). */
  private readonly domain: DomainSpan | undefined;
  /** The domain being read, to be kept once it closes if it gave no warning. */
  private domainOpen: { line: number; column: number; warnings: number } | undefined;

  constructor(
    private readonly s: string,
    /** libxml2 read a file itself and found no UTF-16 in its bytes: a UTF-16 label is an error. */
    private readonly utf16Checked = false,
    private readonly reuse?: DomainReuse,
  ) {
    this.n = s.length;
    for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) this.newlines.push(k);
    this.domain = reuse ? findDomain(s) : undefined;
  }

  /** libxml2's line: one more than the line feeds before the cursor (a lone CR counts none). */
  lineAt(at: number): number {
    let lo = 0;
    let hi = this.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.newlines[mid] as number) < at) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }

  positionAt(at: number): Position {
    const line = this.lineAt(at);
    const lineStart = line === 1 ? 0 : (this.newlines[line - 2] as number) + 1;
    return { line, column: at - lineStart + 1 };
  }

  private fatal(message: string, at = this.i): never {
    throw new Fatal(message, at);
  }

  private nsWarning(message: string, at = this.i): void {
    this.warnings.push(
      problem('xml-namespace', message, { line: this.lineAt(at), column: 1 }, 'warning'),
    );
  }

  private warning(message: string, at = this.i): void {
    this.warnings.push(
      problem('xml-warning', message, { line: this.lineAt(at), column: 1 }, 'warning'),
    );
  }

  private code(at = this.i): number {
    return at < this.n ? this.s.charCodeAt(at) : 0;
  }

  private atEnd(): boolean {
    return this.i >= this.n;
  }

  private startsWith(word: string): boolean {
    return this.s.startsWith(word, this.i);
  }

  /** libxml2's CUR_CHAR for what is not ASCII: the code point, refused when XML cannot hold it. */
  private codePoint(at = this.i): number {
    const c = this.s.codePointAt(at) ?? 0;
    if (isEscapedByte(c)) {
      const hex = bytesAt(this.s, at, 4).map(
        (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`,
      );
      this.fatal(`Input is not proper UTF-8, indicate encoding !\nBytes: ${hex.join(' ')}`, at);
    }
    if (c === 0 && at < this.n) this.fatal('Char 0x0 out of allowed range', at);
    if (c >= 0x80 && !isChar(c)) {
      this.fatal(`Char 0x${c.toString(16).toUpperCase()} out of allowed range`, at);
    }
    return c;
  }

  /** libxml2's CUR_CHAR: CR LF and a lone CR read as LF. */
  private currentChar(): { c: number; width: number } {
    const c = this.code();
    if (c === CR) return { c: LF, width: this.code(this.i + 1) === LF ? 2 : 1 };
    if (c < 0x80) {
      if (c === 0 && this.i < this.n) this.fatal('Char 0x0 out of allowed range');
      return { c, width: 1 };
    }
    const cp = this.codePoint();
    return { c: cp, width: cp > 0xffff ? 2 : 1 };
  }

  private skipBlanks(): number {
    const from = this.i;
    while (this.i < this.n && isBlank(this.s.charCodeAt(this.i))) this.i++;
    return this.i - from;
  }

  // --- names -------------------------------------------------------------------------------

  private nameRun(start: (c: number) => boolean, rest: (c: number) => boolean): string | null {
    const from = this.i;
    const first = this.nameCode();
    if (!start(first) || (first === 0 && this.atEnd())) return null;
    this.i += first > 0xffff ? 2 : 1;
    for (;;) {
      const c = this.nameCode();
      if (this.atEnd() || !rest(c)) break;
      this.i += c > 0xffff ? 2 : 1;
    }
    if (this.i - from > MAX_NAME_LENGTH) this.fatal('Name too long use XML_PARSE_HUGE option');
    return this.s.slice(from, this.i);
  }

  /** A character of a name: libxml2 reads past ASCII with CUR_CHAR, which refuses a NUL. */
  private nameCode(): number {
    const c = this.code();
    if (c === 0 && !this.atEnd()) this.fatal('Char 0x0 out of allowed range');
    return c < 0x80 ? c : this.codePoint();
  }

  private parseNCName(): string | null {
    return this.nameRun(isNameStartChar, isNameChar);
  }

  private parseName(): string | null {
    return this.nameRun(
      (c) => c === COLON || isNameStartChar(c),
      (c) => c === COLON || isNameChar(c),
    );
  }

  private parseNmtoken(): string | null {
    return this.nameRun(
      (c) => c === COLON || isNameChar(c),
      (c) => c === COLON || isNameChar(c),
    );
  }

  /** libxml2's xmlParseQName: a malformed QName is a namespace error, the name kept whole. */
  private parseQName(): { prefix: string | undefined; local: string } | null {
    const at = this.i;
    const l = this.parseNCName();
    if (l === null) {
      if (this.code() === COLON) {
        const name = this.parseName();
        if (name !== null) {
          this.nsWarning(`Failed to parse QName '${name}'`, at);
          return { prefix: undefined, local: name };
        }
      }
      return null;
    }
    if (this.code() !== COLON) return { prefix: undefined, local: l };
    this.i++;
    const local = this.parseNCName();
    if (local === null) {
      this.nsWarning(`Failed to parse QName '${l}:'`, at);
      const token = this.parseNmtoken();
      return { prefix: undefined, local: `${l}:${token ?? ''}` };
    }
    if (this.code() === COLON) {
      this.nsWarning(`Failed to parse QName '${l}:${local}:'`, at);
      this.i++;
      const more = this.parseName();
      return { prefix: l, local: `${local}:${more ?? ''}` };
    }
    return { prefix: l, local };
  }

  // --- the document ------------------------------------------------------------------------

  parseDocument(): XmlDocument {
    if (this.code() === 0xfeff) this.i = 1;
    if (this.atEnd()) this.fatal('Document is empty');
    if (this.startsWith('<?xml') && isBlank(this.code(this.i + 5))) this.parseXmlDecl();
    const prolog = this.parseMisc();
    if (this.startsWith('<!DOCTYPE')) {
      this.parseDoctype();
      append(prolog, this.parseMisc());
    }
    if (this.code() !== LT || this.atEnd()) this.fatal("Start tag expected, '<' not found");
    const root = this.parseRootElement();
    const epilog = this.parseMisc();
    // libxml2 stops at a NUL here as at the end of the input.
    if (!this.atEnd() && this.code() !== 0) this.fatal('Extra content at the end of the document');
    const doc: XmlDocument = { root, prolog, epilog, warnings: this.warnings };
    if (this.declaration) doc.declaration = this.declaration;
    if (this.doctype) doc.doctype = this.doctype;
    return doc;
  }

  private parseMisc(): (XmlComment | XmlProcessingInstruction)[] {
    const nodes: (XmlComment | XmlProcessingInstruction)[] = [];
    for (;;) {
      if (this.startsWith('<?')) {
        const pi = this.parsePI();
        if (pi) nodes.push(pi);
      } else if (this.startsWith('<!--')) {
        const comment = this.parseComment();
        if (comment) nodes.push(comment);
      } else if (isBlank(this.code()) && !this.atEnd()) {
        this.i++;
      } else {
        return nodes;
      }
    }
  }

  /** libxml2's xmlParseXMLDecl, with its version, encoding and standalone parts. */
  private parseXmlDecl(): void {
    const at = this.i;
    this.i += 5;
    if (!isBlank(this.code())) this.fatal("Blank needed after '<?xml'");
    this.skipBlanks();
    const version = this.parseVersionInfo();
    if (version === null) this.fatal('Malformed declaration expecting version');
    if (version !== '1.0') {
      if (version.startsWith('1.')) this.warning(`Unsupported version '${version}'`);
      else this.fatal(`Unsupported version '${version}'`);
    }
    const decl: XmlDeclaration = { version, position: this.positionAt(at) };
    this.declaration = decl;
    if (!isBlank(this.code())) {
      if (this.startsWith('?>')) {
        this.i += 2;
        return;
      }
      this.fatal('Blank needed here');
    }
    const encoding = this.parseEncodingDecl();
    if (encoding !== null) {
      decl.encoding = encoding;
      // Only an encoding libxml2 switches to (not UTF-8, not UTF-16) asks for a blank before standalone.
      if (!/^utf-?(8|16)$/i.test(encoding) && !isBlank(this.code())) {
        if (this.startsWith('?>')) {
          this.i += 2;
          return;
        }
        this.fatal('Blank needed here');
      }
    }
    this.skipBlanks();
    const standalone = this.parseSDDecl();
    if (standalone !== undefined) {
      decl.standalone = standalone;
      this.standalone = standalone;
    }
    this.skipBlanks();
    if (this.startsWith('?>')) this.i += 2;
    else this.fatal("parsing XML declaration: '?>' expected");
  }

  /** An opening quote of a declaration's value, or libxml2's error. */
  private openQuote(): number {
    const q = this.code();
    if (q !== QUOTE && q !== APOS) this.fatal('String not started expecting \' or "');
    this.i++;
    return q;
  }

  private closeQuote(q: number): void {
    if (this.code() !== q || this.atEnd()) this.fatal('String not closed expecting " or \'');
    this.i++;
  }

  /** `version = '1.0'`: null when there is none. */
  private parseVersionInfo(): string | null {
    if (!this.startsWith('version')) return null;
    this.i += 7;
    this.skipBlanks();
    if (this.code() !== EQUALS) this.fatal("expected '='");
    this.i++;
    this.skipBlanks();
    const q = this.openQuote();
    // libxml2's xmlParseVersionNum: one digit, a dot, digits.
    const from = this.i;
    let ok = false;
    if (isDigit(this.code())) {
      this.i++;
      if (this.code() === 0x2e) {
        this.i++;
        while (isDigit(this.code())) this.i++;
        ok = true;
      }
    }
    const version = ok ? this.s.slice(from, this.i) : null;
    this.closeQuote(q);
    return version;
  }

  private parseEncodingDecl(): string | null {
    this.skipBlanks();
    if (!this.startsWith('encoding')) return null;
    this.i += 8;
    this.skipBlanks();
    if (this.code() !== EQUALS) this.fatal("expected '='");
    this.i++;
    this.skipBlanks();
    const q = this.openQuote();
    const name = /^[A-Za-z][A-Za-z0-9._-]*/.exec(this.s.slice(this.i, this.i + 200))?.[0];
    if (name === undefined) this.fatal('Invalid XML encoding name');
    this.i += name.length;
    this.closeQuote(q);
    if (/^utf-?16$/i.test(name) && this.utf16Checked) {
      this.fatal('Document labelled UTF-16 but has UTF-8 content');
    }
    if (!isKnownEncoding(name)) this.fatal(`Unsupported encoding ${name}`);
    return name;
  }

  private parseSDDecl(): boolean | undefined {
    if (!this.startsWith('standalone')) return undefined;
    this.i += 10;
    this.skipBlanks();
    if (this.code() !== EQUALS) this.fatal("expected '='");
    this.i++;
    this.skipBlanks();
    const q = this.openQuote();
    let value = false;
    if (this.startsWith('no')) this.i += 2;
    else if (this.startsWith('yes')) {
      this.i += 3;
      value = true;
    } else this.fatal("standalone accepts only 'yes' or 'no'");
    this.closeQuote(q);
    return value;
  }

  // --- comments and processing instructions ----------------------------------------------------

  /**
   * libxml2's xmlParseComment: ASCII on a quick path, then (after a character that is not ASCII, a
   * lone CR or a control character) xmlParseCommentComplex, whose messages differ.
   */
  private parseComment(): XmlComment {
    const at = this.i;
    this.i += 4;
    const from = this.i;
    // The quick path.
    for (;;) {
      const c = this.code();
      if (this.atEnd()) break;
      if (c === MINUS && this.code(this.i + 1) === MINUS) {
        if (this.code(this.i + 2) === GT) return this.endComment(at, from);
        const sofar = this.s.slice(from, this.i);
        this.fatal(
          sofar === ''
            ? 'Double hyphen within comment'
            : `Double hyphen within comment: <!--${sofar.slice(0, 50)}`,
        );
      }
      if (c === CR) {
        if (this.code(this.i + 1) !== LF) break;
        this.i += 2;
        continue;
      }
      if ((c >= SPACE && c < 0x80) || c === TAB || c === LF) this.i++;
      else break;
    }
    // The complex path: q and r are the two characters before cur.
    const buffer = () => this.s.slice(from, this.i).replace(/\r\n?/g, '\n');
    const next = (): number => {
      if (this.atEnd()) return 0;
      const { c } = this.currentChar();
      return c;
    };
    const advance = () => {
      this.i += this.currentChar().width;
    };
    const q = next();
    if (q === 0) this.fatal('Comment not terminated');
    if (!isChar(q)) this.fatal(`xmlParseComment: invalid xmlChar value ${q}`);
    advance();
    const r0 = next();
    if (r0 === 0) this.fatal('Comment not terminated');
    // libxml2 names q's value here, not r's.
    if (!isChar(r0)) this.fatal(`xmlParseComment: invalid xmlChar value ${q}`);
    advance();
    let qq = q;
    let r = r0;
    let cur = next();
    if (cur === 0) this.fatal('Comment not terminated');
    while (isChar(cur) && (cur !== GT || r !== MINUS || qq !== MINUS)) {
      if (r === MINUS && qq === MINUS) this.fatal("Comment must not contain '--' (double-hyphen)");
      qq = r;
      r = cur;
      advance();
      cur = next();
    }
    if (cur === 0) this.fatal(`Comment not terminated \n<!--${buffer().slice(0, 50)}`);
    if (!isChar(cur)) this.fatal(`xmlParseComment: invalid xmlChar value ${cur}`);
    // cur is the `>` of `-->`
    this.i -= 2;
    return this.endComment(at, from);
  }

  private endComment(at: number, from: number): XmlComment {
    const text = this.s.slice(from, this.i).replace(/\r\n?/g, '\n');
    this.i += 3;
    return { kind: 'comment', text, position: this.positionAt(at) };
  }

  private parsePI(): XmlProcessingInstruction | null {
    const at = this.i;
    this.i += 2;
    const target = this.parsePITarget();
    if (target === null) this.fatal('xmlParsePI : no target name');
    if (this.startsWith('?>')) {
      this.i += 2;
      return { kind: 'pi', target, data: '', position: this.positionAt(at) };
    }
    if (this.skipBlanks() === 0) this.fatal(`ParsePI: PI ${target} space expected`);
    const from = this.i;
    for (;;) {
      if (this.atEnd()) this.fatal(`ParsePI: PI ${target} never end ...`);
      const c = this.code();
      if (c === QUESTION && this.code(this.i + 1) === GT) break;
      if (c < 0x80) {
        if (c === 0) this.fatal('Char 0x0 out of allowed range');
        if (c < SPACE && c !== TAB && c !== LF && c !== CR) {
          this.fatal(`ParsePI: PI ${target} never end ...`);
        }
        this.i++;
      } else {
        const cp = this.codePoint();
        this.i += cp > 0xffff ? 2 : 1;
      }
    }
    const data = this.s.slice(from, this.i).replace(/\r\n?/g, '\n');
    this.i += 2;
    return { kind: 'pi', target, data, position: this.positionAt(at) };
  }

  private parsePITarget(): string | null {
    const at = this.i;
    const name = this.parseName();
    if (name === null) return null;
    if (/^xml$/i.test(name)) {
      this.fatal('XML declaration allowed only at the start of the document', at);
    }
    if (/^xml/i.test(name) && name !== 'xml-stylesheet' && name !== 'xml-model') {
      this.warning("xmlParsePITarget: invalid name prefix 'xml'", at);
    }
    if (name.includes(':')) this.nsWarning(`colons are forbidden from PI names '${name}'`, at);
    return name;
  }

  // --- the DOCTYPE -------------------------------------------------------------------------

  /** libxml2's xmlParseDocTypeDecl and xmlParseInternalSubset. */
  private parseDoctype(): void {
    const at = this.i;
    this.i += 9;
    this.skipBlanks();
    const name = this.parseName();
    if (name === null) this.fatal('xmlParseDocTypeDecl : no DOCTYPE name !');
    this.skipBlanks();
    const external = this.parseExternalId(true);
    this.skipBlanks();
    const doctype: XmlDoctype = { name, external, entities: [], position: this.positionAt(at) };
    this.doctype = doctype;
    if (this.code() === LBRACKET && !this.atEnd()) {
      this.i++;
      while (this.code() !== RBRACKET || this.atEnd()) {
        const before = this.i;
        this.skipBlanks();
        this.parseMarkupDecl();
        this.parsePEReference();
        if (this.i === before) this.fatal(MARKUP_ERROR);
      }
      this.i++;
      this.skipBlanks();
    }
    if (this.code() !== GT || this.atEnd()) this.fatal('DOCTYPE improperly terminated');
    this.i++;
    doctype.entities = [...this.declaredEntities.keys()];
  }

  /** SYSTEM "uri" or PUBLIC "id" "uri" (libxml2's xmlParseExternalID): whether there is one. */
  private parseExternalId(strict: boolean): boolean {
    if (this.startsWith('SYSTEM')) {
      this.i += 6;
      if (this.skipBlanks() === 0) this.fatal("Space required after 'SYSTEM'");
      if (this.parseSystemLiteral() === null) this.fatal('SYSTEM or PUBLIC, the URI is missing');
      return true;
    }
    if (this.startsWith('PUBLIC')) {
      this.i += 6;
      if (this.skipBlanks() === 0) this.fatal("Space required after 'PUBLIC'");
      if (this.parsePubidLiteral() === null) this.fatal('PUBLIC, the Public Identifier is missing');
      if (strict) {
        if (this.skipBlanks() === 0) this.fatal('Space required after the Public Identifier');
      } else if (this.skipBlanks() === 0 || (this.code() !== QUOTE && this.code() !== APOS)) {
        return true;
      }
      if (this.parseSystemLiteral() === null) this.fatal('SYSTEM or PUBLIC, the URI is missing');
      return true;
    }
    return false;
  }

  private parseSystemLiteral(): string | null {
    const q = this.code();
    if (q !== QUOTE && q !== APOS) this.fatal('SystemLiteral " or \' expected');
    this.i++;
    const from = this.i;
    for (;;) {
      if (this.atEnd()) this.fatal('Unfinished System or Public ID " or \' expected');
      const { c, width } = this.currentChar();
      if (!isChar(c)) this.fatal('Unfinished System or Public ID " or \' expected');
      if (c === q) break;
      this.i += width;
    }
    const value = this.s.slice(from, this.i);
    this.i++;
    return value;
  }

  private parsePubidLiteral(): string | null {
    const q = this.code();
    if (q !== QUOTE && q !== APOS) this.fatal('PubidLiteral " or \' expected');
    this.i++;
    const from = this.i;
    while (!this.atEnd() && this.code() !== q && isPubidChar(this.code())) this.i++;
    if (this.code() !== q || this.atEnd())
      this.fatal('Unfinished System or Public ID " or \' expected');
    const value = this.s.slice(from, this.i);
    this.i++;
    return value;
  }

  /** libxml2's xmlParseMarkupDecl: one declaration, comment or processing instruction. */
  private parseMarkupDecl(): void {
    if (this.code() !== LT) return;
    if (this.code(this.i + 1) === QUESTION) {
      this.parsePI();
      return;
    }
    if (this.code(this.i + 1) !== BANG) return;
    if (this.startsWith('<!ELEMENT')) this.parseElementDecl();
    else if (this.startsWith('<!ENTITY')) this.parseEntityDecl();
    else if (this.startsWith('<!ATTLIST')) this.skipDecl(true);
    else if (this.startsWith('<!NOTATION')) this.skipDecl();
    else if (this.startsWith('<!--')) this.parseComment();
  }

  /** `%name;` in the internal subset: libxml2's xmlParsePEReference. */
  private parsePEReference(): void {
    if (this.code() !== 0x25 || this.atEnd()) return;
    this.i++;
    const name = this.parseName();
    if (name === null) this.fatal('PEReference: no name');
    if (this.code() !== SEMICOLON) this.fatal("PEReference: expecting ';'");
    this.i++;
    if (!this.declaredParameters.has(name)) {
      if (this.standalone || (!this.doctype?.external && !this.hasPERefs)) {
        this.hasPERefs = true;
        this.fatal(`PEReference: %${name}; not found`);
      }
      this.warning(`PEReference: %${name}; not found`);
    }
    this.hasPERefs = true;
  }

  /** libxml2's xmlParseEntityDecl: a general entity's value is kept (its references are not). */
  private parseEntityDecl(): void {
    this.i += 8;
    if (this.skipBlanks() === 0) this.fatal("Space required after '<!ENTITY'");
    let parameter = false;
    if (this.code() === 0x25) {
      this.i++;
      if (this.skipBlanks() === 0) this.fatal("Space required after '%'");
      parameter = true;
    }
    const name = this.parseName();
    if (name === null) this.fatal('xmlParseEntityDecl: no name');
    if (name.includes(':')) this.nsWarning(`colons are forbidden from entities names '${name}'`);
    if (this.skipBlanks() === 0) this.fatal('Space required after the entity name');
    let value: string | undefined;
    if (this.code() === QUOTE || this.code() === APOS) {
      value = this.parseEntityValue();
    } else {
      if (!this.parseExternalId(true)) this.fatal('Entity value required');
      if (!parameter) {
        if (this.code() !== GT && this.skipBlanks() === 0) {
          this.fatal("Space required before 'NDATA'");
        }
        if (this.startsWith('NDATA')) {
          this.i += 5;
          if (this.skipBlanks() === 0) this.fatal("Space required after 'NDATA'");
          this.parseName();
          if (!this.declaredEntities.has(name)) this.unparsedEntities.add(name);
        }
      }
    }
    this.skipBlanks();
    if (this.code() !== GT || this.atEnd()) {
      this.fatal(`xmlParseEntityDecl: entity ${name} not terminated`);
    }
    this.i++;
    const table = parameter ? this.declaredParameters : this.declaredEntities;
    if (!table.has(name)) table.set(name, value);
  }

  /** libxml2's xmlParseEntityValue: character references decoded, entity references kept. */
  private parseEntityValue(): string {
    const q = this.code();
    this.i++;
    const from = this.i;
    for (;;) {
      if (this.atEnd()) this.fatal('EntityValue: " or \' expected');
      const { c, width } = this.currentChar();
      if (!isChar(c)) this.fatal('EntityValue: " or \' expected');
      if (c === q) break;
      this.i += width;
    }
    const raw = this.s.slice(from, this.i);
    this.i++;
    for (let k = 0; k < raw.length; k++) {
      const c = raw.charCodeAt(k);
      if (c !== 0x25 && !(c === AMP && raw.charCodeAt(k + 1) !== HASH)) continue;
      const name = /^[:A-Z_a-z\u00C0-\uFFFD][-.:\w\u00B7-\uFFFD]*/.exec(raw.slice(k + 1))?.[0];
      if (name === undefined || raw.charCodeAt(k + 1 + name.length) !== SEMICOLON) {
        this.fatal(`EntityValue: '${raw[k]}' forbidden except for entities references`);
      }
      if (c === 0x25) this.fatal('PEReferences forbidden in internal subset');
      k += name.length + 1;
    }
    return raw.replace(/&#(x[0-9A-Fa-f]*|[0-9]*);?/g, (ref, digits: string) => {
      if (!ref.endsWith(';'))
        this.fatal(
          digits.startsWith('x')
            ? 'CharRef: invalid hexadecimal value'
            : 'CharRef: invalid decimal value',
        );
      const value = digits.startsWith('x')
        ? parseInt(digits.slice(1) || '0', 16)
        : parseInt(digits || '0', 10);
      if (value >= 0x110000) this.fatal('xmlParseStringCharRef: character reference out of bounds');
      if (!isChar(value)) this.fatal(`xmlParseStringCharRef: invalid xmlChar value ${value}`);
      return String.fromCodePoint(value);
    });
  }

  /** libxml2's xmlParseElementDecl: whether the element's content is mixed is all the tree needs. */
  private parseElementDecl(): void {
    this.i += 9;
    if (this.skipBlanks() === 0) this.fatal("Space required after 'ELEMENT'");
    const name = this.parseName();
    if (name === null) this.fatal('xmlParseElementDecl: no name for Element');
    if (this.skipBlanks() === 0) this.fatal('Space required after the element name');
    let mixed: boolean;
    if (this.startsWith('EMPTY')) {
      this.i += 5;
      mixed = true;
    } else if (this.startsWith('ANY')) {
      this.i += 3;
      mixed = true;
    } else if (this.code() === 0x28 /* ( */) {
      this.i++;
      this.skipBlanks();
      if (this.startsWith('#PCDATA')) {
        this.parseMixedContentDecl();
        mixed = true;
      } else {
        this.parseChildrenContentDecl(1);
        mixed = false;
      }
      this.skipBlanks();
    } else if (this.code() === 0x25) {
      this.fatal('PEReference: forbidden within markup decl in internal subset');
    } else {
      this.fatal("xmlParseElementDecl: 'EMPTY', 'ANY' or '(' expected");
    }
    this.skipBlanks();
    if (this.code() !== GT || this.atEnd()) this.fatal("expected '>'");
    this.i++;
    const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
    if (!this.mixed.has(local)) this.mixed.set(local, mixed);
  }

  private parseMixedContentDecl(): void {
    this.i += 7;
    this.skipBlanks();
    if (this.code() === 0x29 /* ) */) {
      this.i++;
      if (this.code() === 0x2a) this.i++;
      return;
    }
    while (this.code() === 0x7c /* | */) {
      this.i++;
      this.skipBlanks();
      if (this.parseName() === null) {
        this.fatal('xmlParseElementMixedContentDecl : Name expected');
      }
      this.skipBlanks();
    }
    if (this.code() === 0x29 && this.code(this.i + 1) === 0x2a) this.i += 2;
    else this.fatal("MixedContentDecl : '|' or ')*' expected");
  }

  private parseChildrenContentDecl(depth: number): void {
    if (depth > 128) {
      this.fatal(
        `xmlParseElementChildrenContentDecl : depth ${depth} too deep, use XML_PARSE_HUGE`,
      );
    }
    const particle = (): void => {
      if (this.code() === 0x28) {
        this.i++;
        this.skipBlanks();
        this.parseChildrenContentDecl(depth + 1);
        this.skipBlanks();
        return;
      }
      if (this.parseName() === null) this.fatal("ContentDecl : Name or '(' expected");
      const c = this.code();
      if (c === QUESTION || c === 0x2a || c === 0x2b) this.i++;
    };
    this.skipBlanks();
    particle();
    this.skipBlanks();
    let separator = 0;
    while (this.code() !== 0x29 || this.atEnd()) {
      const c = this.code();
      if (c === 0x2c || c === 0x7c) {
        if (separator === 0) separator = c;
        else if (separator !== c) {
          this.fatal(
            `xmlParseElementChildrenContentDecl : '${String.fromCharCode(separator)}' expected`,
          );
        }
        this.i++;
      } else {
        this.fatal("ContentDecl : ',' '|' or ')' expected");
      }
      this.skipBlanks();
      particle();
      this.skipBlanks();
    }
    this.i++;
    const c = this.code();
    if (c === QUESTION || c === 0x2a || c === 0x2b) this.i++;
  }

  /** An ATTLIST or NOTATION declaration, passed over to its `>` (quoted strings included). */
  private skipDecl(attributes = false): void {
    while (!this.atEnd()) {
      const c = this.code();
      if (c === GT) {
        this.i++;
        return;
      }
      if (c === QUOTE || c === APOS) {
        const end = this.s.indexOf(String.fromCharCode(c), this.i + 1);
        if (end < 0) break;
        // An attribute list's quoted text is a default value: an attribute value to libxml2.
        const lt = attributes ? this.s.indexOf('<', this.i) : -1;
        if (lt >= 0 && lt < end) this.fatal("Unescaped '<' not allowed in attributes values", lt);
        this.i = end + 1;
      } else this.i++;
    }
    this.fatal(MARKUP_ERROR);
  }

  // --- elements ----------------------------------------------------------------------------

  private lookup(prefix: string): string | undefined {
    if (prefix === 'xml') return XML_NAMESPACE;
    const uri = this.bindings.uri(prefix);
    return uri === '' ? undefined : uri;
  }

  /** The root and everything in it, without recursion: documents can be deep. */
  private parseRootElement(): XmlElement {
    const root = this.parseElementStart();
    if (root === null) this.fatal('StartTag: invalid element name');
    if (this.stack.length === 0) return root;
    this.parseContent();
    return root;
  }

  /** A start tag; the element opened (pushed) unless it was empty. */
  private parseElementStart(): XmlElement | null {
    if (this.stack.length > MAX_DEPTH) {
      this.fatal(`Excessive depth in document: ${MAX_DEPTH} use XML_PARSE_HUGE option`);
    }
    const start = this.i;
    const line = this.lineAt(start);
    const parent = this.stack[this.stack.length - 1];
    const inherited = parent === undefined ? -1 : parent.space === -2 ? -1 : parent.space;
    if (this.domain?.start === start && this.stack.length === 1 && inherited === -1 && parent) {
      const at = this.positionAt(start);
      const read = this.reuse?.take(this.domain, at.line, at.column);
      if (read) {
        parent.element.children.push(read);
        this.i = this.domain.end;
        return read;
      }
      this.domainOpen = { line: at.line, column: at.column, warnings: this.warnings.length };
    }
    const tag = this.parseStartTag(inherited);
    const element = tag.element;
    element.position = this.positionAt(start);
    if (parent) parent.element.children.push(element);
    if (this.startsWith('/>')) {
      this.i += 2;
      element.span = { start, end: this.i, openEnd: this.i };
      this.bindings.unbind(tag.bindings);
      return element;
    }
    if (this.code() !== GT || this.atEnd()) {
      this.fatal(`Couldn't find end of Start Tag ${tag.local} line ${line}`);
    }
    this.i++;
    element.span = { start, end: this.i, openEnd: this.i };
    this.stack.push({
      element,
      local: tag.local,
      prefix: tag.prefix,
      line,
      space: tag.space,
      bindings: tag.bindings,
    });
    return element;
  }

  private parseStartTag(space: number): {
    element: XmlElement;
    local: string;
    prefix: string | undefined;
    space: number;
    bindings: number;
  } {
    this.i++;
    const nameAt = this.i;
    const qname = this.parseQName();
    if (qname === null) this.fatal('StartTag: invalid element name');
    const { prefix, local } = qname;
    const name = prefix === undefined ? local : `${prefix}:${local}`;
    const element: XmlElement = {
      kind: 'element',
      name,
      attributes: [],
      children: [],
      position: { line: 1, column: 1 },
    };
    const namespaces: XmlNamespace[] = [];
    const declared = new Set<string>();
    const attributes: (XmlAttribute & { prefix: string | undefined; local: string })[] = [];
    let pushed = 0;
    this.skipBlanks();
    while (
      !this.atEnd() &&
      this.code() !== GT &&
      !this.startsWith('/>') &&
      isByteChar(this.code())
    ) {
      const attrAt = this.i;
      const attr = this.parseAttribute();
      if (attr.prefix === undefined && attr.local === 'xmlns') {
        this.checkNamespaceUri(attr.value, undefined, attrAt);
        if (attr.value === XML_NAMESPACE) {
          this.nsWarning('xml namespace URI cannot be the default namespace', attrAt);
        } else if (attr.value === XMLNS_NAMESPACE) {
          this.nsWarning('reuse of the xmlns namespace name is forbidden', attrAt);
        } else if (declared.has('')) {
          this.fatal('Attribute xmlns redefined');
        } else {
          declared.add('');
          namespaces.push({ prefix: '', uri: attr.value });
          this.bindings.bind('', attr.value);
          pushed++;
        }
      } else if (attr.prefix === 'xmlns') {
        const prefix = attr.local;
        if (prefix === 'xml') {
          if (attr.value !== XML_NAMESPACE) {
            this.nsWarning('xml namespace prefix mapped to wrong URI', attrAt);
          }
        } else if (attr.value === XML_NAMESPACE) {
          this.nsWarning('xml namespace URI mapped to wrong prefix', attrAt);
        } else if (prefix === 'xmlns') {
          this.nsWarning('redefinition of the xmlns prefix is forbidden', attrAt);
        } else if (attr.value === XMLNS_NAMESPACE) {
          this.nsWarning('reuse of the xmlns namespace name is forbidden', attrAt);
        } else if (attr.value === '') {
          this.nsWarning(`xmlns:${prefix}: Empty XML namespace is not allowed`, attrAt);
        } else {
          this.checkNamespaceUri(attr.value, prefix, attrAt);
          if (declared.has(prefix)) this.fatal(`Attribute xmlns:${prefix} redefined`);
          declared.add(prefix);
          namespaces.push({ prefix, uri: attr.value });
          this.bindings.bind(prefix, attr.value);
          pushed++;
        }
      } else {
        if (attr.prefix === 'xml' && attr.local === 'space') {
          if (attr.value === 'default') space = 0;
          else if (attr.value === 'preserve') space = 1;
          else {
            this.warning(
              `Invalid value "${attr.value}" for xml:space : "default" or "preserve" expected`,
              attrAt,
            );
          }
        }
        attributes.push(attr);
      }
      if (this.code() === GT || this.startsWith('/>')) break;
      if (this.skipBlanks() === 0) this.fatal('attributes construct error');
    }
    // The checks libxml2 makes once the whole tag is read: bound prefixes, unique names. Each
    // attribute meets the first earlier one with its name, or with its local name in its namespace.
    const byName = new Map<string, number>();
    const byNamespace = new Map<string, number>();
    for (let k = 0; k < attributes.length; k++) {
      const a = attributes[k] as (typeof attributes)[number];
      if (a.prefix !== undefined) {
        const uri = this.lookup(a.prefix);
        if (uri === undefined) {
          this.nsWarning(`Namespace prefix ${a.prefix} for ${a.local} on ${local} is not defined`);
        } else a.uri = uri;
      }
      // A local name holds no space: `local prefix` and `local uri` name no other pair.
      const name = a.prefix === undefined ? a.local : `${a.local} :${a.prefix}`;
      const sameName = byName.get(name);
      const inNamespace = a.uri === undefined ? undefined : `${a.local} ${a.uri}`;
      const sameNamespace = inNamespace === undefined ? undefined : byNamespace.get(inNamespace);
      if (sameName !== undefined && (sameNamespace === undefined || sameName <= sameNamespace)) {
        this.fatal(
          a.prefix === undefined
            ? `Attribute ${a.local} redefined`
            : `Attribute ${a.prefix}:${a.local} redefined`,
        );
      }
      if (sameNamespace !== undefined) {
        this.nsWarning(`Namespaced Attribute ${a.local} in '${a.uri}' redefined`);
      }
      if (sameName === undefined) byName.set(name, k);
      if (inNamespace !== undefined && sameNamespace === undefined) byNamespace.set(inNamespace, k);
    }
    const uri = this.lookup(prefix ?? '');
    if (prefix !== undefined && uri === undefined) {
      this.nsWarning(`Namespace prefix ${prefix} on ${local} is not defined`, nameAt);
    }
    if (uri !== undefined) element.uri = uri;
    if (namespaces.length) element.namespaces = namespaces;
    element.attributes = attributes.map(({ prefix: _p, local: _l, ...a }) => a);
    return { element, local, prefix, space, bindings: pushed };
  }

  /** libxml2 asks libxml2's URI parser about a declared namespace; it is a warning either way. */
  private checkNamespaceUri(uri: string, prefix: string | undefined, at: number): void {
    if (uri === '') return;
    // What xmlParseURI refuses: characters a URI reference cannot hold unescaped.
    if (/[\s"<>\\^`{|}]|%(?![0-9A-Fa-f]{2})/.test(uri)) {
      this.nsWarning(
        prefix === undefined
          ? `xmlns: '${uri}' is not a valid URI`
          : `xmlns:${prefix}: '${uri}' is not a valid URI`,
        at,
      );
    } else if (prefix === undefined && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) {
      this.warning(`xmlns: URI ${uri} is not absolute`, at);
    }
  }

  private parseAttribute(): XmlAttribute & { prefix: string | undefined; local: string } {
    const at = this.i;
    const qname = this.parseQName();
    if (qname === null) this.fatal('error parsing attribute name');
    const name = qname.prefix === undefined ? qname.local : `${qname.prefix}:${qname.local}`;
    this.skipBlanks();
    if (this.code() !== EQUALS) {
      this.fatal(`Specification mandates value for attribute ${qname.local}`);
    }
    this.i++;
    this.skipBlanks();
    const valueStart = this.i + 1;
    this.attributeEntities = [];
    const value = this.parseAttValue();
    const attribute: XmlAttribute & { prefix: string | undefined; local: string } = {
      name,
      value,
      position: this.positionAt(at),
      valueSpan: { start: valueStart, end: this.i - 1 },
      span: { start: at, end: this.i },
      prefix: qname.prefix,
      local: qname.local,
    };
    if (this.attributeEntities.length) attribute.unresolvedEntities = this.attributeEntities;
    return attribute;
  }

  /** libxml2's xmlParseAttValueComplex: references resolved, line ends and tabs made spaces. */
  private parseAttValue(): string {
    const limit = this.code();
    if ((limit !== QUOTE && limit !== APOS) || this.atEnd()) {
      this.fatal('AttValue: " or \' expected');
    }
    this.i++;
    let value = '';
    let from = this.i;
    for (;;) {
      if (this.atEnd()) break;
      const c = this.code();
      if (c === limit || c === LT) break;
      if (c === AMP) {
        value += this.s.slice(from, this.i);
        value += this.parseReferenceInAttribute();
        from = this.i;
        continue;
      }
      if (c < 0x80) {
        if (c === TAB || c === LF || c === CR) {
          value += this.s.slice(from, this.i) + ' ';
          this.i += c === CR && this.code(this.i + 1) === LF ? 2 : 1;
          from = this.i;
          continue;
        }
        if (c < SPACE) {
          if (c === 0) this.fatal('Char 0x0 out of allowed range');
          break;
        }
        this.i++;
      } else {
        const cp = this.codePoint();
        this.i += cp > 0xffff ? 2 : 1;
      }
      if (this.i - from + value.length > MAX_TEXT_LENGTH) this.fatal('AttValue length too long');
    }
    value += this.s.slice(from, this.i);
    if (this.code() === LT && !this.atEnd())
      this.fatal("Unescaped '<' not allowed in attributes values");
    if (this.code() !== limit || this.atEnd()) {
      const c = this.code();
      if (!this.atEnd() && !isChar(c)) this.fatal('invalid character in attribute value');
      this.fatal("AttValue: ' expected");
    }
    this.i++;
    return value;
  }

  private parseReferenceInAttribute(): string {
    if (this.code(this.i + 1) === HASH) return String.fromCodePoint(this.parseCharRef());
    const ref = this.parseEntityRef();
    if (ref === null) return '';
    if (ref.value !== undefined) return ref.value;
    const declared = this.declaredEntities.get(ref.name);
    // libxml2's xmlParseEntityRef looks at the entity before its text is read.
    this.checkAttributeEntity(ref.name, ref.at, []);
    if (declared !== undefined) this.checkEntity(ref.name, declared, true);
    // A reference no declaration resolves stays a node in the attribute (libxml2 2.9).
    if (!this.declaredEntities.has(ref.name)) this.attributeEntities.push(ref.name);
    // libvirt reads an attribute with xmlGetProp, which gives the entity's value.
    return this.entityTexts.get(ref.name) ?? '';
  }

  /**
   * An entity referenced in an attribute value, and every entity its text reaches, as libxml2's
   * xmlParseEntityRef and xmlStringDecodeEntities check them: none external, none with '<', no
   * loop; each said at the attribute, never inside the entity (libxml2 reads no entity input there).
   */
  private checkAttributeEntity(name: string, at: number, outer: string[]): void {
    if (this.attributeFit.has(name) || !this.declaredEntities.has(name)) return;
    const content = this.declaredEntities.get(name);
    if (content === undefined) this.fatal(`Attribute references external entity '${name}'`, at);
    if (content.includes('<')) {
      this.fatal(`'<' in entity '${name}' is not allowed in attributes values`, at);
    }
    if (outer.includes(name) || outer.length > 40) {
      this.fatal('Detected an entity reference loop', at);
    }
    const inner = [...outer, name];
    for (const m of content.matchAll(/&([^;&]+);/g)) {
      const referenced = m[1] as string;
      if (PREDEFINED[referenced] !== undefined) continue;
      if (this.unparsedEntities.has(referenced)) {
        this.fatal(`Entity reference to unparsed entity ${referenced}`, at);
      }
      this.checkAttributeEntity(referenced, at, inner);
    }
    this.attributeFit.add(name);
  }

  /** libxml2's xmlParseCharRef: the code point, or a fatal error with libxml2's words. */
  private parseCharRef(): number {
    let value = 0;
    if (this.startsWith('&#x')) {
      this.i += 3;
      let count = 0;
      while (this.code() !== SEMICOLON) {
        const c = this.code();
        if (c >= 0x30 && c <= 0x39) value = value * 16 + (c - 0x30);
        else if (c >= 0x61 && c <= 0x66 && count < 20) value = value * 16 + (c - 0x61 + 10);
        else if (c >= 0x41 && c <= 0x46 && count < 20) value = value * 16 + (c - 0x41 + 10);
        else this.fatal('CharRef: invalid hexadecimal value');
        if (value > 0x110000) value = 0x110000;
        this.i++;
        count++;
      }
      this.i++;
    } else {
      this.i += 2;
      let count = 0;
      while (this.code() !== SEMICOLON) {
        const c = this.code();
        if (c >= 0x30 && c <= 0x39 && count < 20) value = value * 10 + (c - 0x30);
        else this.fatal('CharRef: invalid decimal value');
        if (value > 0x110000) value = 0x110000;
        this.i++;
        count++;
      }
      this.i++;
    }
    if (value >= 0x110000) this.fatal('xmlParseCharRef: character reference out of bounds');
    if (!isChar(value)) this.fatal(`xmlParseCharRef: invalid xmlChar value ${value}`);
    return value;
  }

  /**
   * libxml2's xmlParseEntityRef: a predefined entity's value; for a DTD's entity its name
   * (libvirt expands none); fatal when it is declared nowhere and could be declared nowhere else.
   */
  private parseEntityRef(): { name: string; value?: string; at: number } | null {
    const at = this.i;
    this.i++;
    const name = this.parseName();
    if (name === null) this.fatal('xmlParseEntityRef: no name');
    if (this.code() !== SEMICOLON) this.fatal("EntityRef: expecting ';'");
    this.i++;
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return { name, value: predefined, at };
    if (!this.declaredEntities.has(name)) {
      const external = this.doctype?.external === true;
      if (this.standalone || (!external && !this.hasPERefs)) {
        this.fatal(`Entity '${name}' not defined`);
      }
      this.warnings.push(
        problem('xml-entity', `Entity '${name}' not defined`, this.positionAt(at), 'warning'),
      );
    }
    if (this.unparsedEntities.has(name)) this.fatal(`Entity reference to unparsed entity ${name}`);
    return { name, at };
  }

  /** Element content, until the root's end tag: libxml2's xmlParseContentInternal. */
  private parseContent(): void {
    while (this.stack.length > 0) {
      if (this.balanced && this.stack.length === 1) {
        if (this.atEnd()) return;
        if (this.startsWith('</')) this.fatal('chunk is not well balanced');
      }
      if (this.atEnd() || this.code() === 0) {
        const open = this.stack[this.stack.length - 1] as Open;
        this.fatal(`Premature end of data in tag ${open.local} line ${open.line}`);
      }
      const c = this.code();
      if (c === LT) {
        const next = this.code(this.i + 1);
        if (next === QUESTION) this.addChild(this.parsePI());
        else if (this.startsWith('<![CDATA[')) this.parseCData();
        else if (this.startsWith('<!--')) this.addChild(this.parseComment());
        else if (next === SLASH) this.parseEndTag();
        else this.parseElementStart();
      } else if (c === AMP) {
        this.parseReference();
      } else {
        this.parseCharData();
      }
    }
  }

  private get open(): Open {
    return this.stack[this.stack.length - 1] as Open;
  }

  private addChild(node: XmlNode | null): void {
    if (node) this.open.element.children.push(node);
  }

  /** Character data as libxml2's SAX handler adds it: merged into a text node just before. */
  private addText(text: string): void {
    if (text === '') return;
    const children = this.open.element.children;
    const last = children[children.length - 1];
    if (last && last.kind === 'text') {
      if (last.text.length + text.length > MAX_TEXT_LENGTH) this.textTooLong();
      last.text += text;
    } else {
      if (text.length > MAX_TEXT_LENGTH) this.textTooLong();
      children.push({ kind: 'text', text });
    }
  }

  private textTooLong(): never {
    this.fatal('Resource limit exceeded: Text node too long, try XML_PARSE_HUGE');
  }

  private parseEndTag(): void {
    const open = this.open;
    const closeStart = this.i;
    this.i += 2;
    const wanted = open.prefix === undefined ? open.local : `${open.prefix}:${open.local}`;
    let matched: string | true | null;
    if (
      this.s.startsWith(wanted, this.i) &&
      (this.code(this.i + wanted.length) === GT || isBlank(this.code(this.i + wanted.length)))
    ) {
      this.i += wanted.length;
      matched = true;
    } else if (open.prefix === undefined) {
      const name = this.parseName();
      matched = name === open.local ? true : name;
    } else {
      const q = this.parseQName();
      matched = q && q.prefix === open.prefix && q.local === open.local ? true : (q?.local ?? null);
    }
    this.skipBlanks();
    if (this.code() !== GT || this.atEnd()) this.fatal("expected '>'");
    this.i++;
    if (matched !== true) {
      this.fatal(
        `Opening and ending tag mismatch: ${open.local} line ${open.line} and ${matched ?? 'unparsable'}`,
      );
    }
    const span = open.element.span;
    if (span) {
      span.closeStart = closeStart;
      span.end = this.i;
    }
    this.stack.pop();
    this.bindings.unbind(open.bindings);
    const domain = this.domain;
    const reading = this.domainOpen;
    if (reading && domain && span?.start === domain.start && this.i === domain.end) {
      this.domainOpen = undefined;
      if (this.warnings.length === reading.warnings) {
        this.reuse?.keep(domain, reading.line, reading.column, open.element);
      }
    }
  }

  /** libxml2's xmlParseCDSect: the section ends at `]]>`; adjacent sections merge into one node. */
  private parseCData(): void {
    this.i += 9;
    const from = this.i;
    const read = (): number => (this.atEnd() ? 0 : this.currentChar().c);
    // libxml2 raises this one with no message of its own.
    const unfinished = 'Unregistered error message';
    let r = read();
    if (!isChar(r)) this.fatal(unfinished);
    this.i += this.currentChar().width;
    let q = read();
    if (!isChar(q)) this.fatal(unfinished);
    this.i += this.currentChar().width;
    let cur = read();
    while (isChar(cur) && (r !== RBRACKET || q !== RBRACKET || cur !== GT)) {
      r = q;
      q = cur;
      this.i += this.currentChar().width;
      cur = read();
    }
    if (cur !== GT) {
      this.fatal(
        `CData section not finished\n${this.s.slice(from, Math.max(from, this.i - 2)).slice(0, 50)}`,
      );
    }
    const text = this.s.slice(from, this.i - 2).replace(/\r\n?/g, '\n');
    this.i++;
    const children = this.open.element.children;
    const last = children[children.length - 1];
    if (last && last.kind === 'cdata') last.text += text;
    else children.push({ kind: 'cdata', text });
  }

  /** libxml2's xmlParseReference: a character or predefined entity is text, a DTD's entity a node. */
  private parseReference(): void {
    if (this.code(this.i + 1) === HASH) {
      this.addText(String.fromCodePoint(this.parseCharRef()));
      return;
    }
    const ref = this.parseEntityRef();
    if (ref === null) return;
    if (ref.value !== undefined) {
      this.addText(ref.value);
      return;
    }
    const declared = this.declaredEntities.get(ref.name);
    if (declared !== undefined) this.checkEntity(ref.name, declared);
    const node: XmlEntityReference = {
      kind: 'entity',
      name: ref.name,
      position: this.positionAt(ref.at),
    };
    const text = this.entityTexts.get(ref.name);
    if (text !== undefined) node.text = text;
    this.open.element.children.push(node);
  }

  /**
   * An internal entity is checked at its first reference, as libxml2 does: its replacement text
   * must be well-formed content, and references that expand too far for the text around them
   * are libxml2's "entity reference loop" (its xmlParserEntityCheck: the billion laughs).
   */
  private checkEntity(name: string, content: string, inAttribute = false): void {
    if (this.expanding.includes(name) || this.expanding.length > 40) {
      this.fatal('Detected an entity reference loop');
    }
    let size = this.entitySizes.get(name);
    if (size === undefined) {
      size = 1;
      if (/[<&]/.test(content)) {
        const inner = new Parser(content);
        for (const [entity, value] of this.declaredEntities) {
          inner.declaredEntities.set(entity, value);
        }
        inner.entitySizes = this.entitySizes;
        inner.entityTexts = this.entityTexts;
        inner.unparsedEntities = this.unparsedEntities;
        inner.attributeFit = this.attributeFit;
        inner.expanding = [...this.expanding, name];
        try {
          inner.parseBalancedChunk();
        } catch (e) {
          if (!(e instanceof Fatal)) throw e;
          // libxml2 reports the error inside the entity ("Entity: line N"), then that it failed:
          // the innermost entity's line, as libvirt's message gives it; in an attribute value,
          // the attribute's.
          if (inAttribute) this.fatal(e.message);
          throw new Fatal(e.message, this.i, e.inEntity ?? inner.positionAt(e.at));
        }
        size += inner.referenced;
        this.entityTexts.set(name, textContent(inner.stack[0]?.element ?? inner.pseudo()));
      } else {
        this.entityTexts.set(name, content);
      }
      this.entitySizes.set(name, size);
    }
    this.referenced += size;
    this.expanded += this.entityTexts.get(name)?.length ?? 0;
    if (this.expanded > MAX_EXPANDED_LENGTH) this.fatal('Detected an entity reference loop');
    // An entity reference takes at least 3 characters: more than 10 times the text read so far
    // in references is an amplification.
    if (size * 3 >= Math.max(1, this.i) * 10 && size > 1) {
      this.fatal('Detected an entity reference loop');
    }
  }

  /** An entity's replacement text as content (libxml2's xmlParseBalancedChunkMemoryInternal). */
  private pseudo(): XmlElement {
    return {
      kind: 'element',
      name: 'pseudoroot',
      attributes: [],
      children: [],
      position: { line: 1, column: 1 },
    };
  }

  private parseBalancedChunk(): void {
    const pseudo = this.pseudo();
    this.stack.push({
      element: pseudo,
      local: 'pseudoroot',
      prefix: undefined,
      line: 1,
      space: -1,
      bindings: 0,
    });
    this.balanced = true;
    this.parseContent();
  }

  /**
   * libxml2's xmlParseCharData: runs of ASCII quickly, the rest a character at a time. A run that
   * starts with a blank goes through areBlanks (dropped, or kept as text, after which the element's
   * blanks are text for good: xml:space -2); a run that starts with anything else is text.
   */
  private parseCharData(): void {
    const n = this.n;
    let cur = this.i;
    let p = cur;
    do {
      // get_more_space
      for (;;) {
        while (p < n && this.s.charCodeAt(p) === SPACE) p++;
        if (p < n && this.s.charCodeAt(p) === LF) {
          while (p < n && this.s.charCodeAt(p) === LF) p++;
          continue;
        }
        break;
      }
      if (p < n && this.s.charCodeAt(p) === LT) {
        if (p > cur) this.deliver(cur, p, p, true, true);
        this.i = p;
        return;
      }
      // get_more
      for (;;) {
        while (p < n && isQuickText(this.s.charCodeAt(p))) p++;
        if (p < n && this.s.charCodeAt(p) === LF) {
          while (p < n && this.s.charCodeAt(p) === LF) p++;
          continue;
        }
        if (p < n && this.s.charCodeAt(p) === RBRACKET) {
          if (this.code(p + 1) === RBRACKET && this.code(p + 2) === GT) {
            this.fatal("Sequence ']]>' not allowed in content", p);
          }
          p++;
          continue;
        }
        break;
      }
      if (p > cur) {
        if (isBlank(this.s.charCodeAt(cur))) this.deliver(cur, p, p, false, true);
        else this.addText(this.s.slice(cur, p));
      }
      cur = p;
      if (p < n && this.s.charCodeAt(p) === CR && this.code(p + 1) === LF) {
        // CR LF: the CR is passed over, the LF starts the next run.
        cur = p + 1;
        p += 2;
        continue;
      }
      if (p >= n || this.s.charCodeAt(p) === LT || this.s.charCodeAt(p) === AMP) {
        this.i = p;
        return;
      }
      p = cur;
    } while (p < n && isQuickOrLine(this.s.charCodeAt(p)));
    this.i = cur;
    this.parseCharDataComplex();
  }

  /** libxml2's xmlParseCharDataComplex: a character at a time, handed over every 300 bytes. */
  private parseCharDataComplex(): void {
    let buffer = '';
    let bytes = 0;
    for (;;) {
      if (this.atEnd()) break;
      const { c, width } = this.currentChar();
      if (c === LT || c === AMP || !isChar(c)) break;
      if (c === RBRACKET && this.code(this.i + 1) === RBRACKET && this.code(this.i + 2) === GT) {
        this.fatal("Sequence ']]>' not allowed in content");
      }
      buffer += c === LF ? '\n' : this.s.slice(this.i, this.i + width);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      this.i += width;
      if (bytes >= 300) {
        this.deliverChunk(buffer);
        buffer = '';
        bytes = 0;
      }
    }
    if (buffer !== '') this.deliverChunk(buffer);
    if (!this.atEnd()) {
      const { c } = this.currentChar();
      if (c !== LT && c !== AMP && !isChar(c)) this.fatal(`PCDATA invalid Char value ${c}`);
    }
  }

  private deliverChunk(text: string): void {
    if (this.areBlanks(text, this.i, false)) return;
    this.addText(text);
    if (this.open.space === -1) this.open.space = -2;
  }

  /** A run of the quick path that starts with a blank: dropped by areBlanks, or text. */
  private deliver(from: number, to: number, next: number, known: boolean, quick: boolean): void {
    const raw = this.s.slice(from, to);
    if (this.areBlanks(raw, next, known)) return;
    this.addText(raw);
    if (quick && this.open.space === -1) this.open.space = -2;
  }

  /** libxml2's areBlanks with keepBlanks off (the heuristic, as libvirt's parse runs it). */
  private areBlanks(raw: string, next: number, known: boolean): boolean {
    const open = this.open;
    if (open.space === 1 || open.space === -2) return false;
    if (!known) {
      for (let k = 0; k < raw.length; k++) if (!isBlank(raw.charCodeAt(k))) return false;
    }
    const local = open.local;
    const mixed = this.mixed.get(local);
    if (mixed !== undefined) return !mixed;
    const after = this.code(next);
    if (next >= this.n || (after !== LT && after !== CR)) return false;
    const children = open.element.children;
    if (children.length === 0 && after === LT && this.code(next + 1) === SLASH) return false;
    const last = children[children.length - 1];
    if (last === undefined) return true;
    if (last.kind === 'text') return false;
    if (children[0]?.kind === 'text') return false;
    return true;
  }
}

export interface ParseOptions {
  /**
   * How libxml2 got the text. libvirt hands it a string already read as UTF-8 (the default);
   * xmllint reads a file, decodes it by its byte order mark or declaration, and then calls a
   * UTF-16 label on bytes that are not UTF-16 an error.
   */
  source?: 'string' | 'file';
  /** Domains read before, for many files read one after the other (domain-reuse.ts). */
  domains?: DomainReuse;
}

/**
 * Reads XML text as libxml2 reads it for libvirt: the tree with positions and spans, or the first
 * fatal error with libxml2's message and line. DTD entities are never expanded, nothing is fetched.
 */
export function parseXmlDocument(text: string, options: ParseOptions = {}): Result<XmlDocument> {
  const parser = new Parser(text, options.source === 'file', options.domains);
  try {
    const doc = parser.parseDocument();
    return { ok: true, value: doc, problems: doc.warnings };
  } catch (e) {
    if (!(e instanceof Fatal)) throw e;
    const at = e.inEntity ?? parser.positionAt(Math.min(e.at, text.length));
    return { ok: false, problems: [problem(codeOf(e.message), e.message, at)] };
  }
}

function codeOf(message: string): string {
  if (message.startsWith('Excessive depth')) return 'xml-too-deep';
  if (message.startsWith('Resource limit exceeded')) return 'xml-text-too-long';
  return 'xml-malformed';
}
