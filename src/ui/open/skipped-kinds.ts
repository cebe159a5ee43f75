import type { SkippedFile } from '../../state/index.ts';

/** The reason a file that is not a checkpoint's type is left out with (read-files.ts). */
const NOT_A_CHECKPOINT_TYPE = 'not an .xml or .json file';
const ALREADY_OPEN = /^already open\b/;
/** virtnbdbackup's DISK.CHECKPOINT.qcow.json, not read as the image now (read-files.ts's BACKUP_IMAGE_INFO). */
const BACKUP_IMAGE_INFO = /^virtnbdbackup's qemu-img info\b/;

/** Kinds of files a backup folder holds beside its checkpoints, by the end of their names. */
const KINDS_BY_NAME: { ending: RegExp; one: string; many: string }[] = [
  { ending: /\.data$/i, one: 'data file', many: 'data files' },
  { ending: /\.log$/i, one: 'log', many: 'logs' },
  {
    ending: /\.cpt$/i,
    one: 'virtnbdbackup checkpoint list',
    many: 'virtnbdbackup checkpoint lists',
  },
  { ending: /\.(chksum|sha256|md5)$/i, one: 'checksum', many: 'checksums' },
  { ending: /\.(qcow2|raw|img)$/i, one: 'disk image', many: 'disk images' },
];

/** Skipped files of one kind, on one line ("14 data files"); their list on request. */
export interface SkippedKind {
  key: string;
  one: string;
  many: string;
  files: SkippedFile[];
}

/**
 * The skipped files in kinds, each on one line: files that are not checkpoints by their type (data
 * files, logs…) and files already open are expected in a folder; `problems` are files left out for
 * a reason the operator must see (over a limit, unreadable, a bundle's hostile entry), one each.
 */
export function skippedKinds(skipped: readonly SkippedFile[]): {
  kinds: SkippedKind[];
  problems: SkippedFile[];
} {
  const kinds = new Map<string, SkippedKind>();
  const problems: SkippedFile[] = [];
  const add = (key: string, one: string, many: string, file: SkippedFile) => {
    let kind = kinds.get(key);
    if (!kind) kinds.set(key, (kind = { key, one, many, files: [] }));
    kind.files.push(file);
  };
  for (const file of skipped) {
    if (ALREADY_OPEN.test(file.reason)) add('already-open', 'already open', 'already open', file);
    else if (BACKUP_IMAGE_INFO.test(file.reason))
      add('backup-image-info', 'qemu-img info of a backup', 'qemu-img info of backups', file);
    else if (file.reason === NOT_A_CHECKPOINT_TYPE) {
      const kind = KINDS_BY_NAME.find((k) => k.ending.test(file.fileName));
      if (kind) add(kind.one, kind.one, kind.many, file);
      else add('other', 'other file', 'other files', file);
    } else problems.push(file);
  }
  return { kinds: [...kinds.values()], problems };
}

/** A kind's line: `14 data files`, `1 log`. */
export function kindLabel(kind: SkippedKind): string {
  const n = kind.files.length;
  return `${n.toLocaleString('en')} ${n === 1 ? kind.one : kind.many}`;
}
