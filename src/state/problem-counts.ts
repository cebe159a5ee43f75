import type { Problem } from '../core/index.ts';
import { countListed } from '../core/index.ts';
import { vmOf } from './vm-key.ts';
import { vmProblemCounts } from './images-slice.ts';
import type { EditorState } from './editor-state.ts';

/**
 * One count for every place that counts (issue 21.6): a file's problems are its own (libvirt's
 * rules, the schema's, the chain's) and what its VM's disk images show of it; the tree's badge, the
 * editor's header and the Validation panel's heading of the file all count this list. A VM's are its
 * files' and its images', as its tree row and the Validation panel (which lists that VM) count them.
 */
export interface ProblemCounts {
  errors: number;
  warnings: number;
}

const NONE: Problem[] = [];

/** Every problem of one file, as the lists show them: its own, then its disk images'. */
export function fileProblems(
  s: Pick<EditorState, 'documents' | 'problemsById' | 'diskStates'>,
  id: string,
): Problem[] {
  const own = s.problemsById[id] ?? NONE;
  const doc = s.documents[id];
  const images = doc ? s.diskStates[vmOf(doc)]?.problemsById[id] : undefined;
  return images?.length ? [...own, ...images] : own;
}

/** Counted as the lists show them: libxml2's words under a field rule's line are not counted again. */
export const countProblems = (problems: readonly Problem[]): ProblemCounts => countListed(problems);

/** A file's counts: the tree badge, the editor header and the panel's heading say these. */
export const selectFileCounts = (
  s: Pick<EditorState, 'documents' | 'problemsById' | 'diskStates'>,
  id: string,
): ProblemCounts => countProblems(fileProblems(s, id));

/**
 * What the Validation panel counts: the VM it lists (the current one) when several are open, as its
 * tree row counts it; with one VM, that VM. `scope` names it for the panel's label.
 */
export function selectPanelCounts(
  s: Pick<EditorState, 'vms' | 'currentVm' | 'diskStates'>,
): ProblemCounts & { scope: 'this VM' | undefined } {
  const vm = s.vms.find((v) => v.key === s.currentVm) ?? s.vms[0];
  if (!vm) return { errors: 0, warnings: 0, scope: undefined };
  return {
    ...vmProblemCounts(vm, s.diskStates[vm.key]),
    scope: s.vms.length > 1 ? 'this VM' : undefined,
  };
}
