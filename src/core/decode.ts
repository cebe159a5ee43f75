import type { Result } from './problem.ts';
import { problem } from './problem.ts';

const SNIFF = 8192;

/** Decodes whole texts only (never `stream`), so one serves every file. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function hex(bytes: Uint8Array, from: number, count: number): string {
  return [...bytes.subarray(from, from + count)]
    .map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`)
    .join(' ');
}

/** The encoding a byte order mark or the first bytes of `<?xml` show, as XML's appendix F reads them. */
function sniffEncoding(b: Uint8Array): { encoding: string; skip: number } | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] !== 0x00) return { encoding: 'utf-16le', skip: 0 };
  if (b[0] === 0x00 && b[1] === 0x3c && b[3] !== 0x00) return { encoding: 'utf-16be', skip: 0 };
  return undefined;
}

function declaredEncoding(b: Uint8Array): string | undefined {
  // Only a declaration at the very start names one (`<?xml`), and most files have none.
  if (b[0] !== 0x3c || b[1] !== 0x3f) return undefined;
  const head = String.fromCharCode(...b.subarray(0, 200));
  return /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/.exec(head)?.[1];
}

/**
 * Bytes of a file to XML text as libxml2 would read them: a byte order mark or the XML declaration
 * names the encoding, UTF-8 otherwise. Binary data and bytes that are not UTF-8 get a clear problem.
 */
export function decodeXml(bytes: Uint8Array): Result<string> {
  const sniffed = sniffEncoding(bytes);
  if (!sniffed && bytes.subarray(0, SNIFF).includes(0)) {
    return {
      ok: false,
      problems: [problem('not-xml', 'binary data, not XML text', { line: 1, column: 1 })],
    };
  }
  const declared = sniffed ? undefined : declaredEncoding(bytes);
  const encoding = sniffed?.encoding ?? declared ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = encoding === 'utf-8' ? UTF8 : new TextDecoder(encoding, { fatal: true });
  } catch {
    return {
      ok: false,
      problems: [problem('encoding', `unsupported encoding ${encoding}`, { line: 1, column: 1 })],
    };
  }
  try {
    return { ok: true, value: decoder.decode(bytes.subarray(sniffed?.skip ?? 0)), problems: [] };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const where = bad < 0 ? 0 : bad;
    const message =
      encoding === 'utf-8'
        ? `Input is not proper UTF-8, indicate encoding ! Bytes: ${hex(bytes, where, 4)}`
        : `the bytes are not valid ${encoding}`;
    return {
      ok: false,
      problems: [problem('encoding', message, { line: lineAt(bytes, where), column: 1 })],
    };
  }
}

function firstInvalidUtf8(b: Uint8Array): number {
  // Halve the range until the first bad byte is near: a few decodes even for a large file. A
  // streaming decode leaves a cut sequence pending instead of calling it invalid.
  let lo = 0;
  let hi = b.length;
  while (hi - lo > 4) {
    const mid = (lo + hi) >>> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  for (let i = Math.max(0, lo - 3); i < hi; i++) if ((b[i] ?? 0) >= 0x80) return i;
  return lo;
}

/** A byte that is not UTF-8, kept in the text as a lone low surrogate (as Python's surrogateescape). */
const ESCAPE = 0xdc00;

/** Whether a UTF-16 unit stands for a byte that was not UTF-8 (see libvirtText). */
export function isEscapedByte(unit: number): boolean {
  return unit >= ESCAPE + 0x80 && unit <= ESCAPE + 0xff;
}

/**
 * A file's bytes as libvirt hands them to libxml2: read into a C string (it ends at the first NUL)
 * and parsed as UTF-8 whatever the file declares. Bytes that are not UTF-8 are kept as escapes, so
 * that the parser refuses them where libxml2 reaches them, with libxml2's words.
 */
export function libvirtText(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  const b = nul < 0 ? bytes : bytes.subarray(0, nul);
  const fast = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(b);
  if (!fast.includes('\ufffd')) return fast;
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    const need =
      c < 0x80
        ? 0
        : c >= 0xc2 && c < 0xe0
          ? 1
          : c >= 0xe0 && c < 0xf0
            ? 2
            : c >= 0xf0 && c < 0xf5
              ? 3
              : -1;
    let cp = need === 0 ? c : need === 1 ? c & 0x1f : need === 2 ? c & 0x0f : c & 0x07;
    let ok = need >= 0 && i + need < b.length + (need === 0 ? 1 : 0);
    for (let k = 1; ok && k <= need; k++) {
      const next = b[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (next & 0x3f);
    }
    const min = need === 2 ? 0x800 : need === 3 ? 0x10000 : 0;
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      out += String.fromCodePoint(cp);
      i += need + 1;
    } else {
      out += String.fromCharCode(ESCAPE + c);
      i++;
    }
  }
  return out;
}

/** The bytes of libvirtText's text again, from `at` on: for libxml2's "Bytes: 0x… 0x…". */
export function bytesAt(text: string, at: number, count: number): number[] {
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = at; i < text.length && out.length < count;) {
    const unit = text.charCodeAt(i);
    if (isEscapedByte(unit)) {
      out.push(unit - ESCAPE);
      i++;
      continue;
    }
    const cp = text.codePointAt(i) ?? 0;
    for (const byte of encoder.encode(String.fromCodePoint(cp))) out.push(byte);
    i += cp > 0xffff ? 2 : 1;
  }
  while (out.length < count) out.push(0);
  return out.slice(0, count);
}

/** A file's text as xmllint reads it, and what else its bytes hold when the text cannot tell. */
export interface DecodedFile {
  text: string;
  /**
   * Present only when the text does not give the file back (another encoding, a byte order
   * mark): the bytes as read, and the text libvirt reads from them (see libvirtText).
   */
  original?: { bytes: Uint8Array; libvirtText: string };
}

/** decodeXml, keeping what an export of the file as it is and libvirt's reading of it need. */
export function decodeXmlFile(bytes: Uint8Array): Result<DecodedFile> {
  const decoded = decodeXml(bytes);
  if (!decoded.ok) return decoded;
  const text = decoded.value;
  // An ASCII file is its text (the quick case); else compare the text's UTF-8 with the bytes.
  const same =
    (bytes.length === text.length && isAscii(bytes)) ||
    equalBytes(new TextEncoder().encode(text), bytes);
  if (same) return { ok: true, value: { text }, problems: [] };
  return {
    ok: true,
    value: { text, original: { bytes, libvirtText: libvirtText(bytes) } },
    problems: [],
  };
}

function isAscii(bytes: Uint8Array): boolean {
  const n = bytes.length;
  // Four bytes at a time from where they are aligned for it: a folder's files are megabytes.
  const lead = Math.min(n, (4 - (bytes.byteOffset % 4)) % 4);
  let i = 0;
  for (; i < lead; i++) if ((bytes[i] as number) >= 0x80) return false;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, (n - i) >>> 2);
  for (let w = 0; w < words.length; w++)
    if (((words[w] as number) & 0x80808080) !== 0) return false;
  for (i += words.length * 4; i < n; i++) if ((bytes[i] as number) >= 0x80) return false;
  return true;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
