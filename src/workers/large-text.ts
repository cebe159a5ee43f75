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
  const pack = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (value.length <= PIECE_CHARS) return value;
      const key = keys++;
      for (let at = 0; at < value.length; at += PIECE_CHARS) {
        pieces.push({ textPiece: { key, text: value.slice(at, at + PIECE_CHARS) } });
      }
      return { [PLACEHOLDER]: key };
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, i) => {
        const packed = pack(item);
        if (packed !== item) (copy ??= [...value])[i] = packed;
      });
      return copy ?? value;
    }
    if (isPlain(value)) {
      let copy: Record<string, unknown> | undefined;
      for (const [k, item] of Object.entries(value)) {
        const packed = pack(item);
        if (packed !== item) (copy ??= { ...value })[k] = packed;
      }
      return copy ?? value;
    }
    return value;
  };
  return { message: pack(message), pieces };
}

/**
 * Reads what arrives from the other side: pieces are kept (undefined is returned for them), and a
 * message gets its texts back, each joined from its pieces. One reader per channel.
 */
export function createLargeTextReader(): (data: unknown) => unknown {
  const texts = new Map<number, string[]>();
  const unpack = (value: unknown): unknown => {
    if (isPlaceholder(value)) {
      const key = value[PLACEHOLDER];
      const parts = texts.get(key) ?? [];
      texts.delete(key);
      return parts.join('');
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, i) => {
        const unpacked = unpack(item);
        if (unpacked !== item) (copy ??= [...value])[i] = unpacked;
      });
      return copy ?? value;
    }
    if (isPlain(value)) {
      let copy: Record<string, unknown> | undefined;
      for (const [k, item] of Object.entries(value)) {
        const unpacked = unpack(item);
        if (unpacked !== item) (copy ??= { ...value })[k] = unpacked;
      }
      return copy ?? value;
    }
    return value;
  };
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
