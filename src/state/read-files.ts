import type { Checkpoint } from '../core/index.ts';
import { checkpointFileName, compareNatural, parseCheckpoint } from '../core/index.ts';
import type { OpenedFile } from './documents-slice.ts';
import type { SkippedFile } from './open-slice.ts';

/** What the page gets from a picker or a drop: a File, with the path inside a dropped or picked folder. */
export interface FileLike {
  name: string;
  size: number;
  webkitRelativePath?: string;
  /** react-dropzone's path inside a dropped folder. */
  path?: string;
  text(): Promise<string>;
}

/** Bigger than any checkpoint a VM could have: such a file is not one. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export function pathOf(file: FileLike): string {
  return (file.webkitRelativePath || file.path || file.name).replace(/^\.?\//, '');
}

/**
 * Reads the .xml files among those offered, in natural order of their paths; anything else is
 * skipped with its reason, never an error.
 */
export async function readCheckpointFiles(
  files: readonly FileLike[],
): Promise<{ opened: OpenedFile[]; skipped: SkippedFile[] }> {
  const opened: OpenedFile[] = [];
  const skipped: SkippedFile[] = [];
  const sorted = [...files].sort((a, b) => compareNatural(pathOf(a), pathOf(b)));
  for (const file of sorted) {
    const path = pathOf(file);
    if (!/\.xml$/i.test(file.name)) {
      skipped.push({ fileName: path, reason: 'not an .xml file' });
    } else if (file.size > MAX_FILE_BYTES) {
      skipped.push({ fileName: path, reason: 'larger than 16 MiB' });
    } else {
      try {
        opened.push({ fileName: file.name, contents: await file.text() });
      } catch (e) {
        skipped.push({ fileName: path, reason: `could not be read: ${(e as Error).message}` });
      }
    }
  }
  return { opened, skipped };
}

/** A pasted text's file name: NAME.xml when it reads as a checkpoint with a name. */
export function pastedFileName(text: string): string {
  const parsed = parseCheckpoint(text);
  const checkpoint: Checkpoint | undefined = parsed.ok ? parsed.value : undefined;
  return checkpoint?.name ? checkpointFileName(checkpoint) : 'pasted.xml';
}
