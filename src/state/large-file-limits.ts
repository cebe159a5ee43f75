/** How large a file the page handles itself, and how large it edits without asking. */

/**
 * Above this many characters the page never reads, checks or formats a file itself: its core
 * work (about a second per MB) goes to the workers, so the page never stops for it.
 */
export const OFF_PAGE_CHARS = 128 * 1024;
/**
 * Above this, a file is too large to edit comfortably (each edit rewrites megabytes in a worker,
 * seconds each): it opens read-only, with its source view folded, until the operator asks.
 */
export const READ_ONLY_CHARS = 2_000_000;

export const isOffPage = (doc: { text: string }): boolean => doc.text.length > OFF_PAGE_CHARS;
export const isLargeFile = (doc: { text: string }): boolean => doc.text.length > READ_ONLY_CHARS;
