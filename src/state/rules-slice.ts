import type { StateCreator } from 'zustand';
import type { RuleSet, RuleVerdict, TargetDomain } from '../core/index.ts';
import { copyRecord, readTargetDomain } from '../core/index.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';

/** libvirt's verdict on one text of one document, under one set of rules. */
export interface RuleResult {
  text: string;
  /** selectRulesKey of the rules it was reached under. */
  rulesKey: string;
  verdict: RuleVerdict;
}

/** The VM the chain is to be redefined on: its current definition, as the operator loaded it. */
export interface TargetVm {
  fileName: string;
  domain: TargetDomain;
  /** Changes with each definition loaded, so every checkpoint is checked again. */
  generation: number;
}

export interface RulesSlice {
  /** Verdicts worked out off the page (a folder read in workers, a new profile or target VM). */
  ruleResults: Record<string, RuleResult>;
  /** Each VM's target definition, by VM key: its checkpoints are checked against it alone. */
  targets: Record<string, TargetVm>;
  /** Generations handed out to target definitions so far: never reused, so no old verdict fits. */
  targetGenerations: number;
  /** Why the last definition offered was refused. */
  targetError: string | null;
  /** Stores the verdicts that still match their document's text; older ones are dropped. */
  applyRuleResults: (results: Record<string, RuleResult>) => void;
  /** Reads a `virsh dumpxml` file as a VM's (by default the one on screen) target definition. */
  loadTarget: (fileName: string, text: string, vm?: string) => void;
  /** Says why a definition offered could not be read; the one in use stays. */
  refuseTarget: (reason: string) => void;
  clearTarget: (vm?: string) => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends RulesSlice {}
}

export const createRulesSlice: StateCreator<EditorState, EditorMutators, [], RulesSlice> = (
  set,
  get,
) => ({
  ruleResults: {},
  targets: {},
  targetGenerations: 0,
  targetError: null,
  applyRuleResults: (results) => {
    const { documents, ruleResults } = get();
    const next = copyRecord(ruleResults);
    for (const [id, result] of Object.entries(results)) {
      if (documents[id]?.text === result.text) next[id] = result;
    }
    set({ ruleResults: next });
  },
  loadTarget: (fileName, text, vm = get().currentVm) => {
    const read = readTargetDomain(text);
    if (!read.ok) {
      const [p] = read.problems;
      const where = p?.line !== undefined ? `line ${p.line}: ` : '';
      set({ targetError: `${fileName}: ${where}${p?.message ?? 'unreadable'}` });
      return;
    }
    const generation = get().targetGenerations + 1;
    set({
      targets: { ...get().targets, [vm]: { fileName, domain: read.value, generation } },
      targetGenerations: generation,
      targetError: null,
    });
  },
  refuseTarget: (targetError) => set({ targetError }),
  clearTarget: (vm = get().currentVm) => {
    const targets = { ...get().targets };
    delete targets[vm];
    set({ targets, targetError: null });
  },
});

export const selectTarget = (s: EditorState) => s.target;
export const selectTargetError = (s: EditorState) => s.targetError;

/** Names the rules in force: a verdict reached under other rules is out of date. */
/** A VM key no VM has: its rules are the profile's alone, no target. */
export const NO_VM = '';

/** The rules a VM's checkpoints are checked under (by default the VM on screen's): its target's. */
export const selectRulesKey = (s: EditorState, vm: string = s.currentVm): string =>
  `${s.profile}:${s.targets[vm]?.generation ?? 0}`;

/** The rules in force, as core's checks take them. */
export const selectRuleSet = (s: EditorState, vm: string = s.currentVm): RuleSet => {
  const target = s.targets[vm];
  return target ? { profile: s.profile, target: target.domain } : { profile: s.profile };
};
