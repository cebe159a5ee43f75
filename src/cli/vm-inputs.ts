import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BackupHeader, VmFile } from '../core/index.ts';
import {
  compareNatural,
  dropRepeats,
  groupByVm,
  isBackupImageConfig,
  readVmFile,
  REPEAT_REASON,
} from '../core/index.ts';
import type { GatheredBackup, GatheredFile } from './gather.ts';

/** One VM's files, as the page groups them (core's groupByVm), on one host. */
export interface VmInputs {
  /** groupByVm's key: `uuid:…`, `name:…`, `bundle:…`, `folder:…` or `unknown:…`. */
  key: string;
  /** What the page calls it: the VM's name, else its folder. */
  label: string;
  name?: string;
  uuid?: string;
  host?: string;
  /** Why these files are one VM, in one line (groupByVm's reason). */
  reason: string;
  checkpoints: GatheredFile[];
  /** qemu-img's or QMP's output about the disk images. */
  images: GatheredFile[];
  /** VM definitions (a `<domain>` root): listed apart, never read as broken checkpoints. */
  definitions: GatheredFile[];
  /** The definition taken as the target VM: collect.sh's `domain.xml`, else the newest by path. */
  target?: GatheredFile;
  /**
   * The checkpoint files that are libvirt's list of the VM's checkpoints, when known: those in the
   * `checkpoints/` beside collect's `domain.xml`. The others are only at hand.
   */
  listed?: ReadonlySet<string>;
  /** virtnbdbackup's data files, logs and lists beside them, by path (bundle/path in a bundle). */
  backups: string[];
  /** The data files' headers, by that path (none when no data file was met). */
  backupHeaders?: Map<string, BackupHeader>;
  /**
   * Files left out as repeats of one read before (collect.sh's folder beside its bundle): the same
   * name and the same bytes within the VM, passed over as the page passes over a file already open.
   */
  repeats: { file: GatheredFile; of: GatheredFile }[];
}

/** qemu-img's and QMP's output are JSON; a checkpoint is XML: told apart by the first character. */
export function isJsonText(text: string): boolean {
  return /^\uFEFF?\s*[[{]/.test(text);
}

/** A file as grouping sees it: an image's JSON is no XML to read. */
function vmFileOf(file: GatheredFile): VmFile {
  const archive = file.archive;
  const read: VmFile =
    file.problems?.length || isImage(file)
      ? { path: file.path, root: 'other', ...(archive !== undefined ? { archive } : {}) }
      : readVmFile(file.path, file.contents, archive);
  return file.host === undefined ? read : { ...read, host: file.host };
}

/** A backup file as grouping sees it: no `<domain>`, so its folder's VM. */
function backupVmFile(b: GatheredBackup): VmFile {
  return {
    path: b.path,
    root: 'other',
    ...(b.archive !== undefined ? { archive: b.archive } : {}),
    ...(b.host !== undefined ? { host: b.host } : {}),
  };
}

/** A backup file joins its VM, with its header when read. */
function addBackup(vm: VmInputs, b: GatheredBackup): void {
  const name = backupName(b);
  vm.backups.push(name);
  if (b.header) (vm.backupHeaders ??= new Map()).set(name, b.header);
}

/** A backup file's name as the lines say it: `ARCHIVE/PATH` inside a bundle, as a file's. */
function backupName(b: GatheredBackup): string {
  return b.archive === undefined ? b.path : `${b.archive}/${b.path}`;
}

/** `.json` by name; a file named on the command line by its content, as `check` always took it. */
export function isImage(file: GatheredFile): boolean {
  return file.json || (file.named && !file.problems?.length && isJsonText(file.contents));
}

/**
 * virtnbdbackup's `DISK.IDENT.qcow.json` met in a folder: qemu-img info of the image at a backup,
 * with no bitmaps while the VM ran, kept with the backup files rather than read as the image now.
 * Named on the command line (`--images`), it is read as the operator says.
 */
const isBackupInfo = (file: GatheredFile) =>
  file.json && !file.named && isBackupImageConfig(file.path);

const isCollectedDefinition = (d: GatheredFile) => /(^|\/)domain\.xml$/.test(d.path);

/** Where a path's folder is, `/`-separated ('' at the top). */
const folderOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/**
 * A folder collect wrote (`domain.xml` beside `checkpoints/`): its checkpoints/ is libvirt's list,
 * so a checkpoint at hand elsewhere is one libvirt does not know.
 */
function listedOf(vm: VmInputs): ReadonlySet<string> | undefined {
  const target = vm.target;
  if (!target || !isCollectedDefinition(target)) return undefined;
  const folder = folderOf(target.path.replace(/\\/g, '/'));
  const inList = (f: GatheredFile) =>
    f.archive === target.archive &&
    folderOf(f.path.replace(/\\/g, '/')) === (folder ? `${folder}/checkpoints` : 'checkpoints');
  const listed = vm.checkpoints.filter(inList);
  // A folder on disk may hold an empty checkpoints/: libvirt knows no checkpoint of the VM.
  const empty =
    target.archive === undefined && isFolder(join(dirname(target.fileName), 'checkpoints'));
  return listed.length || empty ? new Set(listed.map((f) => f.fileName)) : undefined;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The VM a definition is the target of: collect.sh's `domain.xml` (a `virsh dumpxml`), else the
 * newest in natural order of the paths (virtnbdbackup's `vmconfig.virtnbdbackup.N.xml`), as the
 * page takes it.
 */
function targetOf(definitions: readonly GatheredFile[]): GatheredFile | undefined {
  const collected = definitions.find(isCollectedDefinition);
  if (collected) return collected;
  return [...definitions].sort((a, b) => compareNatural(a.path, b.path)).pop();
}

/** A file as repeats are told: by its name and text; one that could not be read is never a repeat. */
const asRead = (f: GatheredFile) =>
  f.problems?.length ? undefined : { path: f.path, text: f.contents };

/** Sorts a VM's files into its definitions, images and checkpoints, each read once. */
function place(
  vm: VmInputs,
  files: readonly GatheredFile[],
  roots: readonly VmFile['root'][],
): void {
  const { kept, repeats } = dropRepeats(
    files.map((file, i) => ({ file, root: roots[i] as VmFile['root'] })),
    vm.key,
    ({ file }) => asRead(file),
  );
  vm.repeats = repeats.map(({ file, of }) => ({ file: file.file, of: of.file }));
  for (const { file, root } of kept) {
    if (root === 'domain') vm.definitions.push(file);
    else if (isBackupInfo(file)) vm.backups.push(file.fileName);
    else if (isImage(file)) vm.images.push(file);
    else vm.checkpoints.push(file);
  }
}

/**
 * Splits the files into VMs by core's groupByVm, the page's one answer to "which VM" (per host: a
 * host's VMs are never another's). In the order the files came.
 */
export function splitByVm(
  files: readonly GatheredFile[],
  backups: readonly GatheredBackup[] = [],
): VmInputs[] {
  const read = files.map(vmFileOf);
  // Backup files join the VM of their folder (or bundle), as a file without <domain> does.
  const all = [...read, ...backups.map(backupVmFile)];
  const vms: VmInputs[] = [];
  for (const group of groupByVm(all).groups) {
    const vm: VmInputs = {
      key: group.key,
      label: group.label,
      reason: group.reason,
      checkpoints: [],
      images: [],
      definitions: [],
      backups: [],
      repeats: [],
      ...(group.name !== undefined ? { name: group.name } : {}),
      ...(group.uuid !== undefined ? { uuid: group.uuid } : {}),
      ...(group.host !== undefined ? { host: group.host } : {}),
    };
    const mine = group.files.filter((i) => i < files.length);
    for (const i of group.files)
      if (i >= files.length) addBackup(vm, backups[i - files.length] as GatheredBackup);
    place(
      vm,
      mine.map((i) => files[i] as GatheredFile),
      mine.map((i) => (read[i] as VmFile).root),
    );
    const target = targetOf(vm.definitions);
    if (target) vm.target = target;
    const listed = listedOf(vm);
    if (listed) vm.listed = listed;
    // Backup files with no checkpoint or definition of their VM: nothing to map them to.
    if (vm.checkpoints.length + vm.images.length + vm.definitions.length === 0) continue;
    vms.push(vm);
  }
  return vms;
}

/** All the files as one VM: what `--target-vm` or `--images` name is one VM's; `target` is its definition. */
export function oneVm(
  files: readonly GatheredFile[],
  target?: GatheredFile,
  backups: readonly GatheredBackup[] = [],
): VmInputs {
  const vm: VmInputs = {
    key: 'command-line',
    label: 'files given',
    reason: 'named together with --target-vm or --images',
    checkpoints: [],
    images: [],
    definitions: [],
    backups: [],
    repeats: [],
  };
  for (const b of backups) addBackup(vm, b);
  place(
    vm,
    files,
    files.map((f) => vmFileOf(f).root),
  );
  const chosen = target ?? targetOf(vm.definitions);
  if (chosen) vm.target = chosen;
  const listed = listedOf(vm);
  if (listed) vm.listed = listed;
  return vm;
}

/** The line that heads a VM's lines when several VMs are listed or checked. */
export function vmHeading(vm: VmInputs): string {
  // A label already says the host when two hosts' VMs share a name (core's groupByVm).
  const on = vm.host !== undefined && !vm.label.endsWith(` on ${vm.host}`) ? ` on ${vm.host}` : '';
  return `VM ${vm.label}${on}:`;
}

/** The line said for each file read once already: a repeat is no error. */
export function repeatLines(vms: readonly VmInputs[]): string[] {
  return vms.flatMap((vm) =>
    vm.repeats.map(
      ({ file, of }) =>
        `skipped ${file.fileName}: already read: ${REPEAT_REASON}, as ${of.fileName}`,
    ),
  );
}
