import type { BackupHeader, Checkpoint } from '../core/index.ts';
import {
  checkpointFileName,
  compareNatural,
  decodeXmlFile,
  DEFAULT_MAX_FILE_BYTES,
  fileSizeProblem,
  BACKUP_HEADER_BYTES,
  isBackupImageConfig,
  parseCheckpoint,
  readBackupFileName,
  readBackupHeader,
} from '../core/index.ts';
import type { OpenedFile } from './open-slice.ts';
import type { SkippedFile } from './open-slice.ts';

/** What the page gets from a picker or a drop: a File, with the path inside a dropped or picked folder. */
export interface FileLike {
  name: string;
  size: number;
  webkitRelativePath?: string;
  /** react-dropzone's path inside a dropped folder. */
  path?: string;
  /** The bundle it was unpacked from, by its path. */
  archive?: string;
  /** The bytes, where they are in memory already (an entry of a bundle): read without a stream. */
  inMemory?: Uint8Array;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  stream(): ReadableStream<Uint8Array>;
}

export function pathOf(file: FileLike): string {
  return (file.webkitRelativePath || file.path || file.name).replace(/^\.?\//, '');
}

/**
 * The .xml files among those offered, in natural order of their paths; the rest skipped with the
 * reason. Nothing is read, not even a size: in Chromium each File's size is a round trip to the
 * browser, and a folder holds thousands.
 */
export function sortOfferedFiles(files: readonly FileLike[]): OfferedFiles {
  const offered = files.map((file) => ({ path: pathOf(file), file }));
  offered.sort((a, b) => compareNatural(a.path, b.path));
  return classify(offered);
}

export interface OfferedFiles {
  toRead: { path: string; file: FileLike }[];
  /** .json files: qemu-img info or QMP output about the disk images, if their content says so. */
  json: { path: string; file: FileLike }[];
  skipped: SkippedFile[];
  /** virtnbdbackup's files among them (also in `skipped`): read by name, for its Backups. */
  backups: { path: string; file: FileLike }[];
}

/** Why virtnbdbackup's `DISK.CHECKPOINT.qcow.json` is not read as the disk's image now. */
export const BACKUP_IMAGE_INFO =
  "virtnbdbackup's qemu-img info of the image at that backup (taken with --force-share: a running VM's bitmaps are not in it), not read as the image now";

/** Past this many files, their order is found off the page: 200,000 paths take it half a second. */
export const SORT_ON_PAGE = 5_000;

/**
 * sortOfferedFiles, with a large offer's order (a bundle's 200,000 entries) found by `order`, a
 * worker's compareNatural over the paths alone, so that the page does not stop for it.
 */
export async function sortOfferedFilesOffPage(
  files: readonly FileLike[],
  order: (paths: string[]) => Promise<Uint32Array>,
  pause: () => Promise<void> = nextTask,
  step = OFFER_STEP,
): Promise<OfferedFiles> {
  if (files.length <= SORT_ON_PAGE) return sortOfferedFiles(files);
  // A step at a time, pausing between: 200,000 entries in one go held the page 130-180 ms
  // unloaded (their paths, then their objects and kinds, and the collection of the garbage).
  const paths: string[] = [];
  for (const file of files) {
    if (paths.push(pathOf(file)) % step === 0) await pause();
  }
  const sorted = await order(paths);
  const offered = noneOffered();
  let done = 0;
  for (const i of sorted) {
    classifyInto(offered, { path: paths[i] as string, file: files[i] as FileLike });
    if (++done % step === 0) await pause();
  }
  return offered;
}

/** Offered files sorted out in one task, when many. */
const OFFER_STEP = 20_000;
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const noneOffered = (): OfferedFiles => ({ toRead: [], json: [], skipped: [], backups: [] });

function classify(offered: readonly { path: string; file: FileLike }[]): OfferedFiles {
  const out = noneOffered();
  for (const o of offered) classifyInto(out, o);
  return out;
}

/** Sorts one offered file out by its kind, into `out`. */
function classifyInto(out: OfferedFiles, o: { path: string; file: FileLike }): void {
  if (/\.xml$/i.test(o.file.name)) out.toRead.push(o);
  else if (isBackupImageConfig(o.file.name)) {
    // qemu-img info --force-share at a backup: a running VM's image shows no bitmaps in it.
    out.skipped.push({ fileName: o.path, reason: BACKUP_IMAGE_INFO });
    out.backups.push(o);
  } else if (/\.json$/i.test(o.file.name)) out.json.push(o);
  else {
    out.skipped.push({ fileName: o.path, reason: 'not an .xml or .json file' });
    if (readBackupFileName(o.file.name)) out.backups.push(o);
  }
}

/**
 * The .json files offered, read as disk image state (qemu-img info or QMP, recognised by their
 * content); those that are not are given back as skipped, with why.
 */
export async function readImageFiles(
  files: readonly { path: string; file: FileLike }[],
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<{ read: { fileName: string; text: string }[]; skipped: SkippedFile[] }> {
  const read: { fileName: string; text: string }[] = [];
  const skipped: SkippedFile[] = [];
  for (const { path, file } of files) {
    const bytes = await readBytes(file, maxBytes);
    if ('refused' in bytes) skipped.push({ fileName: path, reason: bytes.refused });
    else read.push({ fileName: path, text: new TextDecoder().decode(bytes.bytes) });
  }
  return { read, skipped };
}

/**
 * The headers of the finished virtnbdbackup data files among `files` (their first 4 KiB, the rest
 * never read), by path; a file with none readable is left out.
 */
export async function readBackupHeaders(
  files: readonly { path: string; file: FileLike }[],
): Promise<Record<string, BackupHeader>> {
  const out: Record<string, BackupHeader> = {};
  await Promise.all(
    files.map(async ({ path, file }) => {
      const known = readBackupFileName(file.name);
      if (known?.kind !== 'data' || known.partial) return;
      const start = await firstBytes(file, BACKUP_HEADER_BYTES);
      const header = start && readBackupHeader(start);
      if (header) out[path] = header;
    }),
  );
  return out;
}

/** A file's first `n` bytes, by its stream, cancelled once they are in (a data file may be 100 GiB). */
async function firstBytes(file: FileLike, n: number): Promise<Uint8Array | undefined> {
  if (file.inMemory) return file.inMemory.subarray(0, n);
  try {
    const reader = file.stream().getReader();
    const chunks: Uint8Array[] = [];
    let got = 0;
    while (got < n) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      got += value.length;
    }
    void reader.cancel();
    const bytes = new Uint8Array(Math.min(got, n));
    let at = 0;
    for (const c of chunks) {
      if (at >= bytes.length) break;
      const part = c.subarray(0, bytes.length - at);
      bytes.set(part, at);
      at += part.length;
    }
    return bytes;
  } catch {
    return undefined;
  }
}

/** Skipped files in the order of their paths, as the operator sees the folder. */
export function inPathOrder(skipped: SkippedFile[]): SkippedFile[] {
  return skipped.sort((a, b) => compareNatural(a.fileName, b.fileName));
}

/**
 * A file's bytes, read as a stream so that nothing asks for its size first: past `maxBytes` the
 * read stops and the file is refused, its size then given in the reason.
 */
export async function readBytes(
  file: FileLike,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<{ bytes: Uint8Array } | { refused: string }> {
  if (file.inMemory) {
    const tooLarge = fileSizeProblem(file.inMemory.length, maxBytes);
    return tooLarge ? { refused: tooLarge.message } : { bytes: file.inMemory };
  }
  try {
    const reader = file.stream().getReader();
    const parts: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > maxBytes) {
        await reader.cancel();
        return { refused: fileSizeProblem(file.size, maxBytes)?.message ?? 'too large' };
      }
      parts.push(value);
    }
    if (parts.length === 1) return { bytes: parts[0] as Uint8Array };
    const bytes = new Uint8Array(length);
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    return { bytes };
  } catch (e) {
    return { refused: `could not be read: ${(e as Error).message}` };
  }
}

/**
 * Files read at once. A folder's chunk of 250 read all at once made the page's tasks long (250
 * streams started, then their bytes arriving together: tasks of 60-150 ms); 32 at a time leave
 * every task short and read the folder as fast (measured with /work/wt/tools/lt-read.mts).
 */
export const READ_AT_ONCE = 32;

/** Each file's bytes as readBytes gives them, in the files' order, at most `atOnce` read at a time. */
export async function readEachBytes(
  files: readonly FileLike[],
  atOnce = READ_AT_ONCE,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<({ bytes: Uint8Array } | { refused: string })[]> {
  const out: ({ bytes: Uint8Array } | { refused: string })[] = new Array(files.length);
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const i = next++;
      out[i] = await readBytes(files[i] as FileLike, maxBytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, files.length) }, lane));
  return out;
}

/**
 * Reads the .xml files among those offered, in natural order of their paths, decoding their bytes
 * as libxml2 would; anything else is skipped with its reason, as is an .xml file that is not XML
 * text (binary, not UTF-8, too large), whose reason names the line where known. On the page's own
 * thread: a folder goes to the workers (open-actions.ts).
 */
export async function readCheckpointFiles(
  files: readonly FileLike[],
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<{ opened: OpenedFile[]; skipped: SkippedFile[] }> {
  const opened: OpenedFile[] = [];
  const { toRead, skipped } = sortOfferedFiles(files);
  for (const { path, file } of toRead) {
    const read = await readBytes(file, maxBytes);
    if ('refused' in read) {
      skipped.push({ fileName: path, reason: read.refused });
      continue;
    }
    const text = decodeXmlFile(read.bytes);
    if (text.ok) {
      const { text: contents, original } = text.value;
      opened.push(original ? { fileName: path, contents, original } : { fileName: path, contents });
    } else {
      const [p] = text.problems;
      skipped.push({
        fileName: path,
        reason: p && p.line ? `line ${p.line}: ${p.message}` : (p?.message ?? ''),
      });
    }
  }
  return { opened, skipped: inPathOrder(skipped) };
}

/** A pasted text's file name: NAME.xml when it reads as a checkpoint with a name. */
export function pastedFileName(text: string): string {
  const parsed = parseCheckpoint(text);
  const checkpoint: Checkpoint | undefined = parsed.ok ? parsed.value : undefined;
  return checkpoint?.name ? checkpointFileName(checkpoint) : 'pasted.xml';
}
