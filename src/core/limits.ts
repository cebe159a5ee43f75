import type { Problem } from './problem.ts';
import { problem } from './problem.ts';

/**
 * Checkpoints are kilobytes, and libxml2 refuses a text over 10 MB anyway; past this a file is
 * refused, never read whole, so a huge one never reaches the page's fields (configurable).
 */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

/** A size as the limits' messages give it: bytes, KiB or MiB with one decimal. */
export function sizeText(bytes: number): string {
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
  return problem(
    'file-too-large',
    `file is ${sizeText(bytes)}, over the limit of ${sizeText(limit)}`,
    {
      line: 1,
      column: 1,
    },
  );
}

/** A problem for a file found over the limit while reading it, its whole size unknown (a size it reports can lie). */
export function overLimitProblem(limit = DEFAULT_MAX_FILE_BYTES): Problem {
  return problem('file-too-large', `file is over the limit of ${sizeText(limit)}`, {
    line: 1,
    column: 1,
  });
}
