import type { Checkpoint } from '../core/index.ts';
import {
  checkpointFileName,
  compareNatural,
  decodeXml,
  DEFAULT_MAX_FILE_BYTES,
  fileSizeProblem,
  parseCheckpoint,
} from '../core/index.ts';
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
  arrayBuffer(): Promise<ArrayBuffer>;
}

export function pathOf(file: FileLike): string {
  return (file.webkitRelativePath || file.path || file.name).replace(/^\.?\//, '');
}

/**
 * Reads the .xml files among those offered, in natural order of their paths, decoding their bytes
 * as libxml2 would; anything else is skipped with its reason, as is an .xml file that is not XML
 * text (binary, not UTF-8, too large), whose reason names the line where known.
 */
export async function readCheckpointFiles(
  files: readonly FileLike[],
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<{ opened: OpenedFile[]; skipped: SkippedFile[] }> {
  const opened: OpenedFile[] = [];
  const skipped: SkippedFile[] = [];
  const sorted = [...files].sort((a, b) => compareNatural(pathOf(a), pathOf(b)));
  for (const file of sorted) {
    const path = pathOf(file);
    if (!/\.xml$/i.test(file.name)) {
      skipped.push({ fileName: path, reason: 'not an .xml file' });
    } else if (fileSizeProblem(file.size, maxBytes)) {
      skipped.push({ fileName: path, reason: fileSizeProblem(file.size, maxBytes)?.message ?? '' });
    } else {
      try {
        const text = decodeXml(new Uint8Array(await file.arrayBuffer()));
        if (text.ok) opened.push({ fileName: path, contents: text.value });
        else {
          const [p] = text.problems;
          skipped.push({
            fileName: path,
            reason: p && p.line ? `line ${p.line}: ${p.message}` : (p?.message ?? ''),
          });
        }
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
