import type { StateCreator } from 'zustand';
import type {
  BackupReadiness,
  BitmapReport,
  Forest,
  ForestEntry,
  ImageInfo,
  PackedImageInfo,
  Problem,
  RepairScriptOptions,
  Result,
  Steps,
} from '../core/index.ts';
import {
  backupReadiness,
  backupVm,
  bitmapVerdictSteps,
  buildForest,
  libvirtListed,
  matchImages,
  readImageInfo,
  repairScript,
  runSteps,
  runStepsPausing,
} from '../core/index.ts';
import type { VmChain } from './vm-chain.ts';
import type { SkippedFile } from './open-slice.ts';
import type { TargetVm } from './rules-slice.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';

/** One file of `qemu-img info --output=json` (or QMP) output the operator loaded. */
export interface ImageFile {
  fileName: string;
  info: ImageInfo;
  /**
   * `info` as it crossed from the worker, its bitmaps as columns: what the session stores. The
   * browser's storage took 100-380 ms of the page to clone 200,000 bitmaps as objects at each save.
   */
  packed?: PackedImageInfo;
}

/** A file of qemu-img or QMP output as read: refused, or its description (and packed form). */
export interface ImageReading {
  fileName: string;
  read: Result<ImageInfo>;
  packed?: PackedImageInfo;
}

/** The checkpoints held against the bitmaps really in the disk images: worked out, then read. */
export interface DiskState {
  report: BitmapReport;
  readiness: BackupReadiness;
  /**
   * The repair script, written when first asked for: with 200,000 stray bitmaps it is 150 MB and
   * seconds of work that no one may ever look at.
   */
  repair: () => string;
  /** What `repair` is written with: a large report's script is written in a worker with them. */
  repairOptions: RepairScriptOptions;
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
  /** Each VM's (by key) loaded outputs. */
  imagesByVm: Record<string, ImageFile[]>;
  /** Each VM's choice of image per disk target (null: none), over the automatic match. */
  imageChoicesByVm: Record<string, Record<string, string | null>>;
  /** The VMs that run: their images were read with -U, so in-use bitmaps are expected. */
  runningByVm: Record<string, boolean>;
  /**
   * The VMs whose repair script the operator asked to see: kept here, not in the view, so that a
   * tab switch or a disk state worked out again neither closes it nor opens it unasked.
   */
  repairShownByVm: Record<string, boolean>;
  /** Each VM's disk state, derived (null: no images loaded). */
  diskStates: Record<string, DiskState | null>;
  /** The VM on screen's: its images, choices, whether it runs and its disk state, of the above. */
  imageFiles: ImageFile[];
  imageChoices: Record<string, string | null>;
  vmRunning: boolean;
  diskState: DiskState | null;
  /** What the disk states were worked out from: in all, and each VM's. */
  diskStateInputs: { all: unknown[]; byVm: Record<string, unknown[]> };
  /**
   * Reads outputs as qemu-img info or QMP, recognised by content, as a VM's (by default the one on
   * screen); gives back those refused.
   */
  openImageFiles: (
    files: readonly { fileName: string; text: string }[],
    vm?: string,
  ) => SkippedFile[];
  /** The same, for outputs read already (in a worker): each file's reading. */
  addImageFiles: (
    files: readonly ImageReading[],
    vm?: string,
    prepared?: PreparedDiskState,
  ) => SkippedFile[];
  chooseImage: (disk: string, image: string | null) => void;
  setVmRunning: (running: boolean) => void;
  /** Shows or hides the repair script of the VM on screen. */
  showRepairScript: (shown: boolean) => void;
  closeImageFiles: () => void;
  updateDiskState: () => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends ImagesSlice {}
}

/** One VM's inputs of its disk state. */
interface VmImages {
  imageFiles: ImageFile[];
  imageChoices: Record<string, string | null>;
  vmRunning: boolean;
  forest: Forest;
  target: TargetVm | null;
  idByFile: ReadonlyMap<string, string>;
  /** A document's path as offered, by id: where it came from tells whether libvirt listed it. */
  pathOf: (id: string) => string | undefined;
}

const NO_IMAGES: ImageFile[] = [];
const NO_CHOICES: Record<string, string | null> = {};

function vmImagesOf(s: EditorState, vm: VmChain | undefined, key: string): VmImages {
  return {
    imageFiles: s.imagesByVm[key] ?? NO_IMAGES,
    imageChoices: s.imageChoicesByVm[key] ?? NO_CHOICES,
    vmRunning: s.runningByVm[key] === true,
    forest: vm?.forest ?? EMPTY_FOREST,
    target: s.targets[key] ?? null,
    idByFile: vm?.idByFile ?? new Map(),
    pathOf: (id) => s.documents[id]?.path,
  };
}

/** What the disk state is worked out from: the same inputs, the same state. */
function inputsOf(v: VmImages): unknown[] {
  return [v.imageFiles, v.imageChoices, v.vmRunning, v.forest, v.target, v.idByFile];
}

const EMPTY_FOREST = buildForest([]);

/** Whether a text looks like JSON: the disk images' outputs are, checkpoints never. */
export function looksLikeJson(text: string): boolean {
  return /^\s*[[{]/.test(text);
}

function deriveDiskState(s: VmImages): DiskState | null {
  return runSteps(diskStateSteps(s, Infinity));
}

/** `deriveDiskState`, pausing (a `yield`) after each `step` bitmaps or problems. */
function* diskStateSteps(s: VmImages, step: number): Steps<DiskState | null> {
  if (s.imageFiles.length === 0) return null;
  const entries = [...s.forest.entries.values()] as ForestEntry[];
  const vm = backupVm(entries, s.target?.domain);
  const images = s.imageFiles.map((f) => f.info);
  const match = matchImages(vm.disks, images, s.imageChoices);
  // A collected folder's checkpoints/ is libvirt's list; files from elsewhere are only at hand.
  const defined = libvirtListed(
    s.target?.fileName,
    s.imageFiles.map((f) => f.fileName),
    entries.map((e) => {
      const id = s.idByFile.get(e.file);
      const path = id === undefined ? undefined : s.pathOf(id);
      return { name: e.checkpoint.name ?? '', ...(path !== undefined ? { path } : {}) };
    }),
  );
  const report = yield* bitmapVerdictSteps(
    entries,
    match,
    {
      running: s.vmRunning,
      // Only the VM's current definition proves which image is a disk's top.
      currentDefinition: s.target !== null,
      ...(defined ? { defined } : {}),
      ...(vm.name !== undefined ? { vm: vm.name } : {}),
    },
    step,
  );
  yield;
  const problemsById: Record<string, Problem[]> = {};
  const imageProblems: Problem[] = [];
  // The file looked up once for a run of its problems (200,000 strays are in one JSON file).
  let lastFile: string | undefined;
  let lastId: string | undefined;
  let since = 0;
  for (const p of report.problems) {
    if (++since >= step) {
      since = 0;
      yield;
    }
    if (p.file !== lastFile) {
      lastFile = p.file;
      lastId = p.file === undefined ? undefined : s.idByFile.get(p.file);
    }
    const id = lastId;
    if (id === undefined) imageProblems.push(p);
    else (problemsById[id] ??= []).push(p);
  }
  let repair: string | undefined;
  const repairOptions: RepairScriptOptions = {
    ...(vm.name !== undefined ? { domain: vm.name } : {}),
    ...(vm.uuid !== undefined ? { uuid: vm.uuid } : {}),
  };
  return {
    report,
    readiness: backupReadiness(report),
    repair: () => (repair ??= repairScript(report, repairOptions)),
    repairOptions,
    imageProblems,
    problemsById,
  };
}

/** The files read as qemu-img or QMP output, and those refused with why. */
function readingsOf(files: readonly ImageReading[]): {
  read: ImageFile[];
  refused: SkippedFile[];
} {
  const refused: SkippedFile[] = [];
  const read: ImageFile[] = [];
  for (const f of files) {
    const info = f.read;
    if (info.ok)
      read.push({
        fileName: f.fileName,
        info: info.value,
        ...(f.packed ? { packed: f.packed } : {}),
      });
    else {
      const [p] = info.problems;
      refused.push({
        fileName: f.fileName,
        reason: `${p?.line !== undefined ? `line ${p.line}: ` : ''}${p?.message ?? 'not qemu-img info'}`,
      });
    }
  }
  return { read, refused };
}

/** A VM's files with `read` added: a file loaded again replaces the one of the same name. */
function withImageFiles(before: ImageFile[], read: ImageFile[]): ImageFile[] {
  const names = new Set(read.map((f) => f.fileName));
  return [...before.filter((f) => !names.has(f.fileName)), ...read];
}

/** A VM's disk state with image files added, worked out before they are (`prepareDiskState`). */
export interface PreparedDiskState {
  vm: string;
  /** The VM's files it was worked out over, and with the new ones. */
  before: ImageFile[];
  imageFiles: ImageFile[];
  inputs: unknown[];
  state: DiskState | null;
}

/** Whether nothing `prepared` was worked out from has changed since. */
function stillPrepared(s: EditorState, vm: string, prepared: PreparedDiskState): boolean {
  if (prepared.vm !== vm || (s.imagesByVm[vm] ?? NO_IMAGES) !== prepared.before) return false;
  const now = inputsOf(
    vmImagesOf(
      s,
      s.vms.find((v) => v.key === vm),
      vm,
    ),
  );
  // All but the files, which are the ones added.
  return now.every((x, i) => i === 0 || x === prepared.inputs[i]);
}

/**
 * The disk state `addImageFiles(files, vm)` would work out, worked out now, `step` bitmaps at a
 * time with `pause` awaited between: for addImageFiles to take, the page's task kept short
 * (200,000 stray bitmaps held it 250-750 ms in one). Undefined when no file is read.
 */
export async function prepareDiskState(
  s: EditorState,
  files: readonly ImageReading[],
  vm: string,
  step: number,
  pause: () => Promise<void>,
): Promise<PreparedDiskState | undefined> {
  const { read } = readingsOf(files);
  if (read.length === 0) return undefined;
  const before = s.imagesByVm[vm] ?? NO_IMAGES;
  const imageFiles = withImageFiles(before, read);
  const after = { ...s, imagesByVm: { ...s.imagesByVm, [vm]: imageFiles } };
  const v = vmImagesOf(
    after,
    s.vms.find((x) => x.key === vm),
    vm,
  );
  const state = await runStepsPausing(diskStateSteps(v, step), pause);
  return { vm, before, imageFiles, inputs: inputsOf(v), state };
}

export const createImagesSlice: StateCreator<EditorState, EditorMutators, [], ImagesSlice> = (
  set,
  get,
) => ({
  imagesByVm: {},
  imageChoicesByVm: {},
  runningByVm: {},
  repairShownByVm: {},
  diskStates: {},
  imageFiles: [],
  imageChoices: {},
  vmRunning: false,
  diskState: null,
  diskStateInputs: { all: [], byVm: {} },
  openImageFiles: (files, vm) =>
    get().addImageFiles(
      files.map((f) => ({ fileName: f.fileName, read: readImageInfo(f.text, f.fileName) })),
      vm,
    ),
  addImageFiles: (files, vm = get().currentVm, prepared) => {
    const { read, refused } = readingsOf(files);
    const s = get();
    if (prepared && stillPrepared(s, vm, prepared)) {
      // Worked out ahead over these very inputs: taken as it is (updateDiskState finds it so).
      set({
        imagesByVm: { ...s.imagesByVm, [vm]: prepared.imageFiles },
        diskStates: { ...s.diskStates, [vm]: prepared.state },
        diskStateInputs: {
          all: s.diskStateInputs.all,
          byVm: { ...s.diskStateInputs.byVm, [vm]: prepared.inputs },
        },
      });
    } else if (read.length) {
      const before = s.imagesByVm[vm] ?? NO_IMAGES;
      set({ imagesByVm: { ...s.imagesByVm, [vm]: withImageFiles(before, read) } });
    }
    return refused;
  },
  chooseImage: (disk, image) => {
    const { currentVm, imageChoicesByVm } = get();
    const choices = { ...imageChoicesByVm[currentVm], [disk]: image };
    set({ imageChoicesByVm: { ...imageChoicesByVm, [currentVm]: choices } });
  },
  setVmRunning: (running) =>
    set({ runningByVm: { ...get().runningByVm, [get().currentVm]: running } }),
  showRepairScript: (shown) =>
    set({ repairShownByVm: { ...get().repairShownByVm, [get().currentVm]: shown } }),
  closeImageFiles: () => {
    const { currentVm } = get();
    const imagesByVm = { ...get().imagesByVm };
    const imageChoicesByVm = { ...get().imageChoicesByVm };
    const repairShownByVm = { ...get().repairShownByVm };
    delete imagesByVm[currentVm];
    delete imageChoicesByVm[currentVm];
    // The script of images loaded later is shown when asked for again.
    delete repairShownByVm[currentVm];
    set({ imagesByVm, imageChoicesByVm, repairShownByVm });
  },
  updateDiskState: () => {
    const s = get();
    // Called at every change of the store: most change none of the inputs.
    const all = [s.vms, s.imagesByVm, s.imageChoicesByVm, s.runningByVm, s.targets, s.currentVm];
    if (all.every((x, i) => x === s.diskStateInputs.all[i])) return;
    let changed = false;
    const diskStates: Record<string, DiskState | null> = {};
    const byVm: Record<string, unknown[]> = {};
    const chains = new Map(s.vms.map((v) => [v.key, v]));
    const keys = new Set([...chains.keys(), ...Object.keys(s.imagesByVm), s.currentVm]);
    for (const key of keys) {
      const v = vmImagesOf(s, chains.get(key), key);
      const inputs = inputsOf(v);
      const before = s.diskStateInputs.byVm[key];
      if (before && inputs.every((x, i) => x === before[i])) {
        diskStates[key] = s.diskStates[key] ?? null;
      } else {
        changed = true;
        diskStates[key] = deriveDiskState(v);
      }
      byVm[key] = inputs;
    }
    const current = vmImagesOf(s, undefined, s.currentVm);
    const diskStateInputs = { all, byVm };
    const onScreen = {
      imageFiles: current.imageFiles,
      imageChoices: current.imageChoices,
      vmRunning: current.vmRunning,
      diskState: diskStates[s.currentVm] ?? null,
    };
    const same =
      !changed &&
      Object.keys(diskStates).length === Object.keys(s.diskStates).length &&
      (Object.keys(onScreen) as (keyof typeof onScreen)[]).every((k) => onScreen[k] === s[k]);
    set(same ? { diskStateInputs } : { diskStates, diskStateInputs, ...onScreen });
  },
});

export const selectDiskState = (s: EditorState) => s.diskState;
export const selectImageFiles = (s: EditorState) => s.imageFiles;
/** Whether the VM on screen's repair script is shown. */
export const selectRepairScriptShown = (s: EditorState) => s.repairShownByVm[s.currentVm] === true;

/**
 * A VM's problems as the Validation panel counts them: its files' (the chain's count) and what its
 * disk images show (of its checkpoints, and of the images themselves).
 */
export function vmProblemCounts(
  vm: Pick<VmChain, 'errors' | 'warnings'>,
  disk: DiskState | null | undefined,
): { errors: number; warnings: number } {
  let { errors, warnings } = vm;
  const count = (list: readonly Problem[]) => {
    for (const p of list) {
      if (p.severity === 'error') errors++;
      else warnings++;
    }
  };
  count(disk?.imageProblems ?? []);
  for (const list of Object.values(disk?.problemsById ?? {})) count(list);
  return { errors, warnings };
}
