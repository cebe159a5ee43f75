import type { StateCreator } from 'zustand';
import type {
  BackupReadiness,
  BitmapReport,
  ForestEntry,
  ImageInfo,
  Problem,
} from '../core/index.ts';
import {
  backupReadiness,
  backupVm,
  bitmapVerdicts,
  matchImages,
  readImageInfo,
  repairScript,
} from '../core/index.ts';
import type { SkippedFile } from './open-slice.ts';
import type { EditorMutators, EditorState } from './store.ts';

/** One file of `qemu-img info --output=json` (or QMP) output the operator loaded. */
export interface ImageFile {
  fileName: string;
  info: ImageInfo;
}

/** The checkpoints held against the bitmaps really in the disk images: worked out, then read. */
export interface DiskState {
  report: BitmapReport;
  readiness: BackupReadiness;
  repair: string;
  /** Problems of the image files themselves (an image no disk matches, a bitmap no checkpoint keeps). */
  imageProblems: Problem[];
  /** Problems the images show of a checkpoint (metadata without bitmap, a gap…), by document id. */
  problemsById: Record<string, Problem[]>;
}

/**
 * The disk images' state (issue "Disk images"): the loaded outputs, which image each disk is, and
 * whether the VM runs; `diskState` is derived from them and the chain by `updateDiskState`, which
 * the store calls when any input changes.
 */
export interface ImagesSlice {
  imageFiles: ImageFile[];
  /** The operator's choice of image per disk target (null: none), over the automatic match. */
  imageChoices: Record<string, string | null>;
  /** The VM runs: its images were read with -U, so in-use bitmaps are expected. */
  vmRunning: boolean;
  diskState: DiskState | null;
  /** The inputs `diskState` was worked out from. */
  diskStateInputs: unknown[];
  /** Reads outputs as qemu-img info or QMP, recognised by content; gives back those refused. */
  openImageFiles: (files: readonly { fileName: string; text: string }[]) => SkippedFile[];
  chooseImage: (disk: string, image: string | null) => void;
  setVmRunning: (running: boolean) => void;
  closeImageFiles: () => void;
  updateDiskState: () => void;
}

/** What the disk state is worked out from: the same inputs, the same state. */
function inputsOf(s: EditorState): unknown[] {
  return [s.imageFiles, s.imageChoices, s.vmRunning, s.forest, s.target, s.idByFile];
}

/** Whether a text looks like JSON: the disk images' outputs are, checkpoints never. */
export function looksLikeJson(text: string): boolean {
  return /^\s*[[{]/.test(text);
}

function deriveDiskState(s: EditorState): DiskState | null {
  if (s.imageFiles.length === 0) return null;
  const entries = [...s.forest.entries.values()] as ForestEntry[];
  const vm = backupVm(entries, s.target?.domain);
  const images = s.imageFiles.map((f) => f.info);
  const match = matchImages(vm.disks, images, s.imageChoices);
  const report = bitmapVerdicts(entries, match, {
    running: s.vmRunning,
    // Only the VM's current definition proves which image is a disk's top.
    currentDefinition: s.target !== null,
    ...(vm.name !== undefined ? { vm: vm.name } : {}),
  });
  const problemsById: Record<string, Problem[]> = {};
  const imageProblems: Problem[] = [];
  for (const p of report.problems) {
    const id = p.file === undefined ? undefined : s.idByFile.get(p.file);
    if (id === undefined) imageProblems.push(p);
    else (problemsById[id] ??= []).push(p);
  }
  return {
    report,
    readiness: backupReadiness(report),
    repair: repairScript(report, {
      ...(vm.name !== undefined ? { domain: vm.name } : {}),
      ...(vm.uuid !== undefined ? { uuid: vm.uuid } : {}),
    }),
    imageProblems,
    problemsById,
  };
}

export const createImagesSlice: StateCreator<EditorState, EditorMutators, [], ImagesSlice> = (
  set,
  get,
) => ({
  imageFiles: [],
  imageChoices: {},
  vmRunning: false,
  diskState: null,
  diskStateInputs: [],
  openImageFiles: (files) => {
    const refused: SkippedFile[] = [];
    const read: ImageFile[] = [];
    for (const f of files) {
      const info = readImageInfo(f.text, f.fileName);
      if (info.ok) read.push({ fileName: f.fileName, info: info.value });
      else {
        const [p] = info.problems;
        refused.push({
          fileName: f.fileName,
          reason: `${p?.line !== undefined ? `line ${p.line}: ` : ''}${p?.message ?? 'not qemu-img info'}`,
        });
      }
    }
    if (read.length) {
      // A file loaded again replaces the one of the same name.
      const names = new Set(read.map((f) => f.fileName));
      set({ imageFiles: [...get().imageFiles.filter((f) => !names.has(f.fileName)), ...read] });
    }
    return refused;
  },
  chooseImage: (disk, image) => set({ imageChoices: { ...get().imageChoices, [disk]: image } }),
  setVmRunning: (running) => set({ vmRunning: running }),
  closeImageFiles: () => set({ imageFiles: [], imageChoices: {} }),
  updateDiskState: () => {
    const s = get();
    const inputs = inputsOf(s);
    if (inputs.every((v, i) => v === s.diskStateInputs[i])) return;
    set({ diskState: deriveDiskState(s), diskStateInputs: inputs });
  },
});

export const selectDiskState = (s: EditorState) => s.diskState;
export const selectImageFiles = (s: EditorState) => s.imageFiles;
