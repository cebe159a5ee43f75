import type { Checkpoint } from './checkpoint.ts';
import type { Problem } from './problem.ts';

/** One loaded checkpoint file. */
export interface ForestEntry {
  file: string;
  checkpoint: Checkpoint;
}

/** Where a file's problem stands: the file, and the line and column of `position`. */
export function at(
  entry: ForestEntry,
  position = entry.checkpoint.positions.root,
): Partial<Problem> {
  return {
    file: entry.file,
    ...(position ? { line: position.line, column: position.column } : {}),
  };
}

export function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}
