import type { Problem } from './problem.ts';
import { problem } from './problem.ts';

/**
 * Checkpoints are kilobytes, and libxml2 refuses a text over 10 MB anyway; past this a file is
 * refused before it is read, so a huge one never reaches the page's fields (configurable).
 */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** A problem when a file is larger than the limit, before anything reads it. */
export function fileSizeProblem(
  bytes: number,
  limit = DEFAULT_MAX_FILE_BYTES,
): Problem | undefined {
  if (bytes <= limit) return undefined;
  return problem('file-too-large', `file is ${size(bytes)}, over the limit of ${size(limit)}`, {
    line: 1,
    column: 1,
  });
}
