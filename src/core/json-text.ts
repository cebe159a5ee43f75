import type { Position, Result } from './problem.ts';
import { problem } from './problem.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One JSON text of a file that holds several one after another, and where each object starts. */
export interface JsonDocument {
  value: JsonValue;
  position: Position;
  /** Where each object and array of `value` opens, for problems that point into the file. */
  positions: { get(o: object): Position | undefined };
}

const LITERALS = [
  ['true', true],
  ['false', false],
  ['null', null],
] as const;

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Deeper than any qemu-img or QMP answer: a hostile file cannot exhaust the stack. */
const MAX_DEPTH = 256;

class JsonError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/**
 * Reads every JSON text in `text`, one after another with only white space between them, as a
 * shell loop of `qemu-img info --output=json` writes them (RFC 8259, no comments, no trailing
 * commas). Positions are 1-based lines and columns.
 */
export function parseJsonTexts(text: string): Result<JsonDocument[]> {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const positionOf = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] as number) + 1 };
  };
  // Offsets, turned into lines only when asked: a file may hold 200,000 bitmaps.
  const offsets = new Map<object, number>();
  const positions = {
    get: (o: object) => {
      const at = offsets.get(o);
      return at === undefined ? undefined : positionOf(at);
    },
  };
  let i = 0;

  const skipSpace = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  const expect = (c: string, what: string) => {
    if (text[i] !== c) throw new JsonError(`expected ${what}`, i);
    i++;
  };

  const readString = (): string => {
    const start = i;
    i++; // the opening quote
    let out = '';
    let from = i;
    for (;;) {
      if (i >= text.length) throw new JsonError('a string is not closed', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) throw new JsonError('a control character inside a string', i);
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += text.slice(from, i);
      const e = text[i + 1];
      const simple = e === undefined || !Object.hasOwn(ESCAPES, e) ? undefined : ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        throw new JsonError('an invalid escape in a string', i);
      }
      from = i;
    }
    out += text.slice(from, i);
    i++; // the closing quote
    return out;
  };

  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

  const readValue = (depth: number): JsonValue => {
    if (depth > MAX_DEPTH) throw new JsonError(`nested deeper than ${MAX_DEPTH} levels`, i);
    skipSpace();
    const c = text[i];
    if (c === '{') {
      const object: JsonObject = {};
      offsets.set(object, i);
      i++;
      skipSpace();
      if (text[i] === '}') {
        i++;
        return object;
      }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') throw new JsonError('expected a name in double quotes', i);
        const key = readString();
        skipSpace();
        expect(':', "':' after a name");
        const value = readValue(depth + 1);
        // A name given twice: the last wins, as JSON.parse and QEMU's parser have it; a name
        // `__proto__` is a name like any other, never the object's prototype.
        if (key === '__proto__') {
          Object.defineProperty(object, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else object[key] = value;
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect('}', "',' or '}'");
        return object;
      }
    }
    if (c === '[') {
      const array: JsonValue[] = [];
      offsets.set(array, i);
      i++;
      skipSpace();
      if (text[i] === ']') {
        i++;
        return array;
      }
      for (;;) {
        array.push(readValue(depth + 1));
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect(']', "',' or ']'");
        return array;
      }
    }
    if (c === '"') return readString();
    for (const [word, value] of LITERALS) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) {
      i += number[0].length;
      return Number(number[0]);
    }
    throw new JsonError(i >= text.length ? 'the text ends inside a value' : 'expected a value', i);
  };

  const documents: JsonDocument[] = [];
  try {
    // A byte order mark is no part of the text (RFC 8259 lets a reader ignore it).
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    for (skipSpace(); i < text.length; skipSpace()) {
      const start = i;
      const value = readValue(0);
      documents.push({ value, position: positionOf(start), positions });
    }
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    return {
      ok: false,
      problems: [problem('json-malformed', `not JSON: ${e.message}`, positionOf(e.at))],
    };
  }
  return { ok: true, value: documents, problems: [] };
}
