import type { TreeRow } from './tree-rows.ts';

/** Keys typed closer together than this are one word to find; a longer pause starts a new one. */
export const TYPE_AHEAD_MS = 700;

/**
 * Type-ahead: the next row after `from` (wrapping) whose name starts with what was typed; typing
 * one letter again moves on among the rows starting with it.
 */
export function typeAheadMatch(rows: readonly TreeRow[], from: number, typed: string): number {
  const text = typed.toLowerCase();
  if (!text || rows.length === 0) return -1;
  const same = [...text].every((c) => c === text[0]);
  const prefix = same ? (text[0] as string) : text;
  // A longer string stays on the current row if it still matches; one letter moves on.
  const start = same ? from + 1 : from;
  for (let i = 0; i < rows.length; i++) {
    const index = (start + i + rows.length) % rows.length;
    if (rows[index]?.item.label.toLowerCase().startsWith(prefix)) return index;
  }
  return -1;
}
