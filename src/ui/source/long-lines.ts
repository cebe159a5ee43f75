/**
 * Past this many characters a line is not wrapped: CodeMirror then draws only the part of it on
 * screen, where a wrapped line is drawn whole and laid out again at each selection read (a
 * 100,000-deep checkpoint's one line of 700,000 characters held each click 250 ms, seconds under load).
 */
export const WRAP_LIMIT = 10_000;

/** Whether every line of `text` is at most `limit` characters long. */
export function linesWithin(text: string, limit = WRAP_LIMIT): boolean {
  if (text.length <= limit) return true;
  for (let from = 0; ;) {
    const end = text.indexOf('\n', from);
    if ((end < 0 ? text.length : end) - from > limit) return false;
    if (end < 0) return true;
    from = end + 1;
  }
}
