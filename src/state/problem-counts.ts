import type { Problem } from '../core/index.ts';
import { countListed } from '../core/index.ts';
import { vmOf } from './vm-key.ts';
import { vmProblemCounts } from './images-slice.ts';
import type { EditorState } from './editor-state.ts';
import type { BackupState } from './backups-slice.ts';

/**
 * One count for every place that counts (issue 21.6): a file's problems are its own (libvirt's
 * rules, the schema's, the chain's), what its VM's disk images show of it and what its backup
 * folder says of its backup (virtnbdbackup's data files); the tree's badge, the editor's header and
 * the Validation panel's heading of the file all count this list. A VM's are its files', its
 * images' and its backup folder's, as its tree row, the VMs view and the Validation panel (which
 * lists that VM) count them.
 */
export interface ProblemCounts {
  errors: number;
  warnings: number;
}

const NONE: Problem[] = [];

type FileInputs = Pick<EditorState, 'documents' | 'problemsById' | 'diskStates' | 'backupStates'>;

/** Every problem of one file, as the lists show them: its own, its disk images', its backup's. */
export function fileProblems(s: FileInputs, id: string): Problem[] {
  const own = s.problemsById[id] ?? NONE;
  const doc = s.documents[id];
  const vm = doc ? vmOf(doc) : undefined;
  return withTheirs(
    own,
    vm === undefined ? undefined : s.diskStates[vm]?.problemsById[id],
    vm === undefined ? undefined : s.backupStates[vm]?.problemsById[id],
  );
}

/** A checkpoint's own problems, then what its disk images and its backup folder show of it. */
export function withTheirs(
  own: Problem[] | undefined,
  images: readonly Problem[] | undefined,
  backups: readonly Problem[] | undefined,
): Problem[] {
  if (!images?.length && !backups?.length) return own ?? NONE;
  return [...(own ?? NONE), ...(images ?? NONE), ...(backups ?? NONE)];
}

/** A VM's counts: its tree row, the VMs view's row and the Validation panel's heading say these. */
export function vmCounts(
  vm: Parameters<typeof vmProblemCounts>[0],
  s: Pick<EditorState, 'diskStates' | 'backupStates'>,
  key: string,
): ProblemCounts {
  const counts = vmProblemCounts(vm, s.diskStates[key]);
  const backup: BackupState | undefined = s.backupStates[key];
  if (!backup) return counts;
  for (const p of [...Object.values(backup.problemsById).flat(), ...backup.dataFileProblems]) {
    if (p.severity === 'error') counts.errors++;
    else counts.warnings++;
  }
  return counts;
}

/** Counted as the lists show them: libxml2's words under a field rule's line are not counted again. */
export const countProblems = (problems: readonly Problem[]): ProblemCounts => countListed(problems);

/** A file's counts: the tree badge, the editor header and the panel's heading say these. */
export const selectFileCounts = (s: FileInputs, id: string): ProblemCounts =>
  countProblems(fileProblems(s, id));

/**
 * What the Validation panel counts: the VM it lists (the current one) when several are open, as its
 * tree row counts it; with one VM, that VM. `scope` names it for the panel's label.
 */
export function selectPanelCounts(
  s: Pick<EditorState, 'vms' | 'currentVm' | 'diskStates' | 'backupStates'>,
): ProblemCounts & { scope: 'this VM' | undefined } {
  const vm = s.vms.find((v) => v.key === s.currentVm) ?? s.vms[0];
  if (!vm) return { errors: 0, warnings: 0, scope: undefined };
  return {
    ...vmCounts(vm, s, vm.key),
    scope: s.vms.length > 1 ? 'this VM' : undefined,
  };
}
