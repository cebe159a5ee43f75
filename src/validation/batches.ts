import type { RunLimits, XmlFile } from './validator.ts';

/** Splits files, in order, into runs no larger than the limits; a file too large runs alone. */
export function splitIntoBatches<F extends XmlFile>(
  files: readonly F[],
  limits: Pick<RunLimits, 'maxFilesPerRun' | 'maxCharsPerRun'>,
): F[][] {
  const batches: F[][] = [];
  let batch: F[] = [];
  let chars = 0;
  for (const file of files) {
    const size = file.contents.length;
    if (
      batch.length > 0 &&
      (batch.length >= limits.maxFilesPerRun || chars + size > limits.maxCharsPerRun)
    ) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(file);
    chars += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
