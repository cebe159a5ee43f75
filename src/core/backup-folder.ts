import type { ForestEntry } from './forest-entry.ts';
import { buildForest } from './forest.ts';
import { append } from './append.ts';
import { compareNatural } from './order.ts';
import type { Problem } from './problem.ts';

/**
 * A virtnbdbackup folder read by its file names, as virtnbdbackup 1.9.15 writes them
 * (`setTargetFile`, `backupConfig`, `saveCheckpointFile`): each disk's data file of each backup,
 * mapped to the checkpoint it belongs to, and whether the chain of full + incrementals is whole.
 */

/** virtnbdbackup's backup levels: `-l full|inc|diff|copy` (auto becomes full or inc). */
export type BackupLevel = 'full' | 'inc' | 'diff' | 'copy';

/** A file virtnbdbackup writes that the editor does not read as text: told by its name alone. */
export type BackupFile =
  | {
      kind: 'data';
      path: string;
      /** The disk's target (`vda`). */
      disk: string;
      level: BackupLevel;
      /** inc: the checkpoint whose changes it holds (`virtnbdbackup.3`); diff: the time it was taken. */
      ident?: string;
      /** Still `.partial`: virtnbdbackup renames the file only when the disk's backup finished. */
      partial: boolean;
    }
  /** `backup.LEVEL.MMDDYYYYHHMMSS.log`: one backup's log. */
  | { kind: 'log'; path: string; level: string }
  /** `DOMAIN.cpt`: virtnbdbackup's own list of the chain's checkpoints (JSON). */
  | { kind: 'checkpoint-list'; path: string; vm: string }
  /** `autostart.IDENT`: the VM was marked to start with the host. */
  | { kind: 'autostart'; path: string }
  /**
   * `DISK.IDENT.qcow.json`: `qemu-img info --force-share` of the disk's image at that backup, for
   * virtnbdrestore to make the image again. Taken while the VM ran, it shows no bitmaps (QEMU
   * writes them into the image when the VM stops): no evidence of the bitmaps, then or now.
   */
  | { kind: 'image-config'; path: string; disk: string; ident: string };

const DATA = /^([^./\\]+)\.(full|copy)\.data(\.partial)?$/;
const DATA_SINCE = /^([^./\\]+)\.(inc|diff)\.(.+)\.data(\.partial)?$/;
const LOG = /^backup\.([a-z]+)\.\d+\.log$/;
const CHECKPOINT_LIST = /^(.+)\.cpt$/;
const AUTOSTART = /^autostart\..+$/;
const IMAGE_CONFIG = /^([^./\\]+)\.(.+)\.qcow\.json$/;

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** What virtnbdbackup file a path names, by its name; undefined for any other file. */
export function readBackupFileName(path: string): BackupFile | undefined {
  const name = baseName(path);
  const data = DATA.exec(name);
  if (data) {
    const [, disk, level, partial] = data as unknown as [string, string, BackupLevel, string?];
    return { kind: 'data', path, disk, level, partial: partial !== undefined };
  }
  const since = DATA_SINCE.exec(name);
  if (since) {
    const [, disk, level, ident, partial] = since as unknown as [
      string,
      string,
      BackupLevel,
      string,
      string?,
    ];
    return { kind: 'data', path, disk, level, ident, partial: partial !== undefined };
  }
  const log = LOG.exec(name);
  if (log) return { kind: 'log', path, level: log[1] as string };
  const list = CHECKPOINT_LIST.exec(name);
  if (list) return { kind: 'checkpoint-list', path, vm: list[1] as string };
  if (AUTOSTART.test(name)) return { kind: 'autostart', path };
  const config = IMAGE_CONFIG.exec(name);
  if (config) {
    return { kind: 'image-config', path, disk: config[1] as string, ident: config[2] as string };
  }
  return undefined;
}

export type BackupDataFile = Extract<BackupFile, { kind: 'data' }>;

/**
 * What a data file says of itself: virtnbdbackup's sparse stream starts with a `meta` frame
 * (`meta %016x %016x\r\n` and that many bytes of JSON, streamer.py's dumpMetadata).
 */
export interface BackupHeader {
  diskName: string;
  checkpointName: string;
  /** '' for a full or copy backup. */
  parentCheckpoint: string;
  incremental: boolean;
  /** false, or the lz4 level given with `-z`. */
  compressed: boolean | number;
  /** Bytes of the disk's data in the file (before compression), and the disk's size. */
  dataSize: number;
  virtualSize: number;
  date: string;
}

/** How much of a data file its header needs: the frame and a few hundred bytes of JSON. */
export const BACKUP_HEADER_BYTES = 4096;

const META_FRAME = /^meta ([0-9a-f]{16}) ([0-9a-f]{16})\r\n/;

/** The header at the start of a virtnbdbackup data file, or undefined when it has none readable. */
export function readBackupHeader(start: Uint8Array): BackupHeader | undefined {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(start);
  const frame = META_FRAME.exec(text);
  if (!frame) return undefined;
  const length = Number.parseInt(frame[2] as string, 16);
  const json = text.slice(frame[0].length, frame[0].length + length);
  if (json.length < length) return undefined;
  let meta: unknown;
  try {
    meta = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof meta !== 'object' || meta === null) return undefined;
  const m = meta as Record<string, unknown>;
  const str = (k: string) => (typeof m[k] === 'string' ? (m[k] as string) : '');
  const num = (k: string) => (typeof m[k] === 'number' ? (m[k] as number) : 0);
  if (typeof m['diskName'] !== 'string' || typeof m['checkpointName'] !== 'string')
    return undefined;
  const compressed = m['compressed'];
  return {
    diskName: str('diskName'),
    checkpointName: str('checkpointName'),
    parentCheckpoint: str('parentCheckpoint'),
    incremental: m['incremental'] === true,
    compressed: typeof compressed === 'number' ? compressed : compressed === true,
    dataSize: num('dataSize'),
    virtualSize: num('virtualSize'),
    date: str('date'),
  };
}

/**
 * One disk of one checkpoint: its data file there (`present`), only a `.partial` one (`partial`),
 * one whose header says it holds other data (`wrong`), or none (`missing`). `restorable`: the chain from the full backup up to it is all present.
 */
export interface DiskBackup {
  disk: string;
  /** `wrong`: the file's header says it holds other data (another checkpoint's, an offline delta). */
  state: 'present' | 'partial' | 'missing' | 'wrong';
  /** The file expected, by virtnbdbackup's naming: `vda.full.data`, `vda.inc.virtnbdbackup.2.data`. */
  expected: string;
  /** The file found (the `.partial` one for `partial`). */
  file?: string;
  /** What the file's header says, when it was read. */
  header?: BackupHeader;
  restorable: boolean;
}

/** One checkpoint's backup: the full one (the chain's root) or an incremental, each disk's data. */
export interface CheckpointBackup {
  checkpoint: string;
  /** The checkpoint's file. */
  file: string;
  level: 'full' | 'inc';
  disks: DiskBackup[];
}

export interface BackupFolder {
  /** The checkpoints in the chain's order (parents first), each with its disks' data files. */
  checkpoints: CheckpointBackup[];
  /**
   * Backups without a checkpoint of their own: copy and diff data files, and an offline delta
   * named for the chain's first checkpoint (`DISK.inc.virtnbdbackup.0.data`).
   */
  others: BackupDataFile[];
  /** Every disk that has a data file or that a checkpoint keeps a bitmap of. */
  disks: string[];
  /** Logs, virtnbdbackup's checkpoint list and qemu-img info, the autostart mark: known, not read. */
  notes: BackupFile[];
  problems: Problem[];
}

function at(entry: ForestEntry): Pick<Problem, 'file' | 'line' | 'column'> {
  const root = entry.checkpoint.positions.root;
  return { file: entry.file, ...(root ? { line: root.line, column: root.column } : {}) };
}

/** The data file's name virtnbdbackup writes for a disk's backup of a checkpoint. */
function expectedName(disk: string, level: 'full' | 'inc', checkpoint: string): string {
  return level === 'full' ? `${disk}.full.data` : `${disk}.inc.${checkpoint}.data`;
}

/** The disks a checkpoint keeps a bitmap of (libvirt's checkpoint='bitmap'); all when it lists none. */
function disksOf(entry: ForestEntry, all: readonly string[]): string[] {
  const listed = entry.checkpoint.disks;
  if (!listed || listed.length === 0) return [...all];
  return listed.filter((d) => d.checkpoint === 'bitmap').map((d) => d.name);
}

/**
 * Maps a VM's backup files (paths, by name) to its checkpoints: the full backup (`DISK.full.data`)
 * to the chain's root, each incremental (`DISK.inc.NAME.data`) to checkpoint NAME, for each disk
 * the checkpoint keeps a bitmap of; and says what breaks the chain, in virtnbdbackup's and
 * libvirt's words. A data file's header, where read (`headers`, by path), must say the same.
 */
export function mapBackups(
  paths: readonly string[],
  entries: readonly ForestEntry[],
  headers: ReadonlyMap<string, BackupHeader> = new Map(),
): BackupFolder {
  const files = paths
    .map(readBackupFileName)
    .filter((f): f is BackupFile => f !== undefined)
    .sort((a, b) => compareNatural(a.path, b.path));
  const data = files.filter((f): f is BackupDataFile => f.kind === 'data');
  const notes = files.filter((f) => f.kind !== 'data');
  // By disk, then by what the file is the backup of: `full`, or the incremental's checkpoint.
  const found = new Map<string, BackupDataFile>();
  const keyOf = (disk: string, of: string) => `${disk}\u0000${of}`;
  for (const f of data) {
    if (f.level !== 'full' && f.level !== 'inc') continue;
    const key = keyOf(f.disk, f.level === 'full' ? '' : (f.ident as string));
    const had = found.get(key);
    // A finished file wins over a `.partial` one of the same backup.
    if (!had || (had.partial && !f.partial)) found.set(key, f);
  }
  const forest = buildForest(entries);
  const diskSet = new Set(data.map((f) => f.disk));
  for (const e of forest.entries.values()) for (const d of disksOf(e, [])) diskSet.add(d);
  const disks = [...diskSet].sort(compareNatural);

  const problems: Problem[] = [];
  const checkpoints: CheckpointBackup[] = [];
  const byName = new Map<string, CheckpointBackup>();
  const used = new Set<BackupDataFile>();
  for (const key of forest.topological) {
    const entry = forest.entries.get(key);
    if (!entry) continue;
    const parent = forest.parentOf.get(key);
    const level = parent === undefined ? 'full' : 'inc';
    const above = parent === undefined ? undefined : byName.get(parent);
    const row: CheckpointBackup = { checkpoint: key, file: entry.file, level, disks: [] };
    for (const disk of disksOf(entry, disks)) {
      const file = found.get(keyOf(disk, level === 'full' ? '' : key));
      if (file) used.add(file);
      const header = file ? headers.get(file.path) : undefined;
      const state = !file
        ? 'missing'
        : file.partial
          ? 'partial'
          : header && headerDisagrees(header, disk, key, parent)
            ? 'wrong'
            : 'present';
      const before = above?.disks.find((d) => d.disk === disk);
      const restorable =
        state === 'present' && (level === 'full' || (before !== undefined && before.restorable));
      row.disks.push({
        disk,
        state,
        expected: expectedName(disk, level, key),
        ...(file ? { file: file.path } : {}),
        ...(header ? { header } : {}),
        restorable,
      });
    }
    checkpoints.push(row);
    byName.set(key, row);
  }
  for (const row of checkpoints) {
    const entry = forest.entries.get(row.checkpoint) as ForestEntry;
    for (const d of row.disks) {
      if (d.state === 'present') continue;
      if (row.level === 'full' && d.state === 'missing') {
        const next = firstIncrementalWithData(row.checkpoint, d.disk, forest.children, byName);
        if (next !== undefined) {
          problems.push({
            code: 'backup-no-full',
            severity: 'error',
            message: `incremental ${next} has no full backup before it: disk ${d.disk} has no ${d.expected} (checkpoint ${row.checkpoint})`,
            ...at(entry),
          });
          continue;
        }
      }
      if (d.state === 'wrong') {
        problems.push({
          code: 'backup-wrong-data',
          severity: 'error',
          message: `checkpoint ${row.checkpoint} has no data file for disk ${d.disk}: ${wrongData(d, row.checkpoint)}`,
          ...at(entry),
        });
        continue;
      }
      problems.push(
        d.state === 'partial'
          ? {
              code: 'backup-partial',
              severity: 'error',
              message: `checkpoint ${row.checkpoint} has no data file for disk ${d.disk}: ${baseName(d.file ?? '')} is a partial backup (virtnbdbackup: "One of the last backups seems to have failed.")`,
              ...at(entry),
            }
          : {
              code: 'backup-no-data',
              severity: 'error',
              message: `checkpoint ${row.checkpoint} has no data file for disk ${d.disk}: no ${d.expected} in the folder`,
              ...at(entry),
            },
      );
    }
  }
  const offline: BackupDataFile[] = [];
  for (const f of data) {
    if (used.has(f) || f.level !== 'inc') continue;
    if (found.get(keyOf(f.disk, f.ident as string)) !== f) continue;
    const ident = f.ident as string;
    if (forest.entries.has(ident)) {
      // Named for the chain's first checkpoint: an offline backup's delta since it (virtnbdbackup
      // writes no full backup's data under an incremental's name).
      if (!forest.parentOf.has(ident)) {
        offline.push(f);
        continue;
      }
      // Named for a later checkpoint that keeps no bitmap of the disk: no incremental of it.
      problems.push({
        code: 'backup-no-bitmap',
        severity: 'warning',
        message: `incremental ${ident} of disk ${f.disk} is no backup libvirt could have made: checkpoint ${ident} keeps no bitmap of disk ${f.disk}`,
        file: f.path,
      });
      continue;
    }
    problems.push({
      code: 'backup-no-checkpoint',
      severity: 'warning',
      message: `incremental ${f.ident as string} of disk ${f.disk} has no checkpoint ${f.ident as string} among the files opened (checkpoints/${f.ident as string}.xml)`,
      file: f.path,
    });
  }
  const others = [...data.filter((f) => f.level === 'copy' || f.level === 'diff'), ...offline];
  return { checkpoints, others, disks, notes, problems };
}

/** Whether a data file's header says it holds other data than the disk's backup of the checkpoint. */
function headerDisagrees(
  h: BackupHeader,
  disk: string,
  checkpoint: string,
  parent: string | undefined,
): boolean {
  if (h.diskName !== disk || h.checkpointName !== checkpoint) return true;
  return parent === undefined ? h.parentCheckpoint !== '' : h.parentCheckpoint !== parent;
}

/** What a data file holds instead, in the words of its header. */
function wrongData(d: DiskBackup, checkpoint: string): string {
  const h = d.header as BackupHeader;
  const name = baseName(d.file ?? '');
  if (h.diskName !== d.disk) return `${name} holds disk ${h.diskName}'s data (its header says)`;
  if (h.checkpointName !== checkpoint)
    return `${name} holds the backup of checkpoint ${h.checkpointName} (its header says)`;
  if (h.parentCheckpoint === checkpoint)
    return `${name} holds the changes since ${checkpoint}, not those up to it: an offline backup (the VM shut off) saves "only delta" under the latest checkpoint's name, over its incremental`;
  return `${name} holds the changes since ${h.parentCheckpoint || 'nothing (a full backup)'}, not since its parent (its header says)`;
}

/** The first incremental below a checkpoint, parents first, whose data file of the disk is there. */
function firstIncrementalWithData(
  root: string,
  disk: string,
  children: ReadonlyMap<string, readonly string[]>,
  byName: ReadonlyMap<string, CheckpointBackup>,
): string | undefined {
  const queue = [...(children.get(root) ?? [])];
  for (let i = 0; i < queue.length; i++) {
    const name = queue[i] as string;
    const row = byName.get(name);
    if (row?.disks.some((d) => d.disk === disk && d.state !== 'missing')) return name;
    append(queue, children.get(name) ?? []);
  }
  return undefined;
}

/** Whether a `.json` file is virtnbdbackup's qemu-img info of a disk at a backup: not read as the image now. */
export function isBackupImageConfig(path: string): boolean {
  return readBackupFileName(path)?.kind === 'image-config';
}

/** Whether any of the paths is a virtnbdbackup data file: a folder's Backups are then shown. */
export function hasBackupData(paths: readonly string[]): boolean {
  return paths.some((p) => readBackupFileName(p)?.kind === 'data');
}
