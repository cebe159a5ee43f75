import type { BackupHeader, PackedImageInfo } from '../core/index.ts';
import { unpackedImageInfo } from '../core/index.ts';
import type { VmDefinition } from './definitions-slice.ts';
import type { ImageFile } from './images-slice.ts';
import type { TargetVm } from './rules-slice.ts';
import type { EditorState } from './editor-state.ts';

/**
 * What the session keeps of each VM beside its checkpoints (issue 21.3): its definitions, its
 * target, its disk images' state and the choices made about them, its backup files' names. Each document keeps its VM
 * itself (its `vm`), so the grouping comes back with the files.
 */
export interface SavedVms {
  definitions: VmDefinition[];
  targets: Record<string, TargetVm>;
  targetGenerations: number;
  folderTargetGenerations: Record<string, number>;
  /** A file read in a worker is kept packed (its clone is cheap), one read on the page as read. */
  imagesByVm: Record<string, SavedImageFile[]>;
  imageChoicesByVm: Record<string, Record<string, string | null>>;
  runningByVm: Record<string, boolean>;
  /** virtnbdbackup's files each VM's folder held, by path (its Backups tab). */
  backupFiles: Record<string, string[]>;
  backupHeaders: Record<string, BackupHeader>;
}

/** The store's fields that `SavedVms` holds: a read-only tab never changes them itself. */
export const SAVED_VM_FIELDS = [
  'definitions',
  'targets',
  'targetGenerations',
  'folderTargetGenerations',
  'imagesByVm',
  'imageChoicesByVm',
  'runningByVm',
  'backupFiles',
  'backupHeaders',
] as const satisfies readonly (keyof EditorState)[];

/** The VMs' part of the session's entry; undefined when there is nothing to keep. */
export function savedVmsOf(s: EditorState): SavedVms | undefined {
  const empty =
    s.definitions.length === 0 &&
    Object.keys(s.targets).length === 0 &&
    Object.keys(s.imagesByVm).length === 0 &&
    Object.keys(s.imageChoicesByVm).length === 0 &&
    Object.keys(s.runningByVm).length === 0 &&
    Object.keys(s.backupFiles).length === 0;
  if (empty) return undefined;
  const out = {} as Record<string, unknown>;
  for (const key of SAVED_VM_FIELDS) out[key] = s[key];
  const imagesByVm: Record<string, SavedImageFile[]> = {};
  for (const [vm, files] of Object.entries(s.imagesByVm))
    imagesByVm[vm] = files.map(savedImageFile);
  out['imagesByVm'] = imagesByVm;
  return out as unknown as SavedVms;
}

/** An image file as the session keeps it. */
export type SavedImageFile = ImageFile | { fileName: string; packed: PackedImageInfo };

function savedImageFile(f: ImageFile): SavedImageFile {
  return f.packed ? { fileName: f.fileName, packed: f.packed } : f;
}

/** An image file kept by the session, as the store holds it. */
function imageFileOf(f: SavedImageFile): ImageFile {
  if ('info' in f) return f;
  return { fileName: f.fileName, info: unpackedImageInfo(f.packed), packed: f.packed };
}

/** What the store takes back from a stored session: the VMs as kept, else none. */
export function vmsFromSaved(
  saved: SavedVms | undefined,
): Omit<SavedVms, 'imagesByVm'> & { imagesByVm: Record<string, ImageFile[]> } {
  return {
    definitions: Array.isArray(saved?.definitions) ? saved.definitions : [],
    targets: saved?.targets ?? {},
    targetGenerations: saved?.targetGenerations ?? 0,
    folderTargetGenerations: saved?.folderTargetGenerations ?? {},
    imagesByVm: Object.fromEntries(
      Object.entries(saved?.imagesByVm ?? {}).map(([vm, files]) => [vm, files.map(imageFileOf)]),
    ),
    imageChoicesByVm: saved?.imageChoicesByVm ?? {},
    runningByVm: saved?.runningByVm ?? {},
    backupFiles: saved?.backupFiles ?? {},
    backupHeaders: saved?.backupHeaders ?? {},
  };
}

/** The fields whose change the session's saves must hear of. */
export function savedVmsKey(s: EditorState): unknown[] {
  return SAVED_VM_FIELDS.map((key) => s[key]);
}
