/**
 * A long text crosses between the page and a worker in pieces, each its own message, so that no
 * one task copies megabytes: a 15 MB file posted whole stops the page for 100-300 ms (copying it
 * into the message, and out of it on the other side). The message itself carries a placeholder
 * for each text, filled in on arrival; messages arrive in order, so the pieces come first.
 */

/** Characters per piece: a few milliseconds of copying. */
export const PIECE_CHARS = 512 * 1024;

const PLACEHOLDER = '__largeText';

/** One piece of a long text, sent before the message that names it. */
export interface TextPiece {
  textPiece: { key: number; text: string };
}

function isTextPiece(data: unknown): data is TextPiece {
  const piece = (data as Partial<TextPiece> | null)?.textPiece;
  return typeof piece?.key === 'number' && typeof piece.text === 'string';
}

function isPlaceholder(value: unknown): value is { [PLACEHOLDER]: number } {
  return typeof (value as Record<string, unknown> | null)?.[PLACEHOLDER] === 'number';
}

const isPlain = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/**
 * The message with each text over PIECE_CHARS replaced by a placeholder, and the pieces to send
 * first (slices of the text: each copies only its own characters). Arrays and plain objects are
 * looked into; anything else (typed arrays, for one) goes as it is.
 */
export function packLargeTexts(message: unknown): { message: unknown; pieces: TextPiece[] } {
  const pieces: TextPiece[] = [];
  // Keys need only be unique within a message: its pieces come right before it, and are used up.
  let keys = 0;
  const pack = walkOnce((value, inner) => {
    if (typeof value !== 'string' || value.length <= PIECE_CHARS) return inner(value);
    const key = keys++;
    for (let at = 0; at < value.length; at += PIECE_CHARS) {
      pieces.push({ textPiece: { key, text: value.slice(at, at + PIECE_CHARS) } });
    }
    return { [PLACEHOLDER]: key };
  });
  return { message: pack(message), pieces };
}

/**
 * A walk over arrays and plain objects that replaces values as `visit` says, copying only what
 * changes. Each object is looked into once, however often the message refers to it: a report of
 * 200,000 stray bitmaps points 200,000 times at the image that holds them all, and walking that
 * image each time made the walk quadratic (the page stood still for hours). Its replacement is
 * reused, so a shared object stays shared, as the structured clone keeps it. An object met again
 * inside itself (a cycle) is left as it is there.
 */
function walkOnce(
  visit: (value: unknown, inner: (value: unknown) => unknown) => unknown,
): (value: unknown) => unknown {
  const done = new Map<object, unknown>();
  const inner = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const seen = done.get(value);
    if (seen !== undefined) return seen;
    done.set(value, value);
    let result: unknown = value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, i) => {
        const walked = walk(item);
        if (walked !== item) (copy ??= [...value])[i] = walked;
      });
      result = copy ?? value;
    } else if (isPlain(value)) {
      let copy: Record<string, unknown> | undefined;
      for (const [k, item] of Object.entries(value)) {
        const walked = walk(item);
        if (walked !== item) (copy ??= { ...value })[k] = walked;
      }
      result = copy ?? value;
    }
    done.set(value, result);
    return result;
  };
  const walk = (value: unknown): unknown => visit(value, inner);
  return walk;
}

/**
 * Reads what arrives from the other side: pieces are kept (undefined is returned for them), and a
 * message gets its texts back, each joined from its pieces. One reader per channel.
 */
export function createLargeTextReader(): (data: unknown) => unknown {
  const texts = new Map<number, string[]>();
  // A new walk per message: what it replaced belongs to that message's texts.
  const unpack = (message: unknown) =>
    walkOnce((value, inner) => {
      if (!isPlaceholder(value)) return inner(value);
      const key = value[PLACEHOLDER];
      const parts = texts.get(key) ?? [];
      texts.delete(key);
      return parts.join('');
    })(message);
  return (data) => {
    if (!isTextPiece(data)) return texts.size === 0 ? data : unpack(data);
    const { key, text } = data.textPiece;
    const parts = texts.get(key);
    if (parts) parts.push(text);
    else texts.set(key, [text]);
    return undefined;
  };
}

/** Posts a message from a worker, its long texts in pieces first (the page takes each in a task of its own). */
export function postWithLargeTexts(
  post: (message: unknown, transfer?: Transferable[]) => void,
  message: unknown,
  transfer: Transferable[] = [],
): void {
  const packed = packLargeTexts(message);
  for (const piece of packed.pieces) post(piece);
  post(packed.message, transfer);
}
