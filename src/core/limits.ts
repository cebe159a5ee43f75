import type { Problem } from './problem.ts';
import { problem } from './problem.ts';

/** Checkpoints are kilobytes; past this a file is refused before it is read (configurable). */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

function mebibytes(bytes: number): string {
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
    `file is ${mebibytes(bytes)}, over the limit of ${mebibytes(limit)}`,
    { line: 1, column: 1 },
  );
}
