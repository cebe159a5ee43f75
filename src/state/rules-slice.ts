import type { StateCreator } from 'zustand';
import type { RuleSet, RuleVerdict, TargetDomain } from '../core/index.ts';
import { readTargetDomain } from '../core/index.ts';
import type { EditorMutators, EditorState } from './store.ts';

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
  target: TargetVm | null;
  /** Generations handed out to target definitions so far: never reused, so no old verdict fits. */
  targetGenerations: number;
  /** Why the last definition offered was refused. */
  targetError: string | null;
  /** Stores the verdicts that still match their document's text; older ones are dropped. */
  applyRuleResults: (results: Record<string, RuleResult>) => void;
  /** Reads a `virsh dumpxml` file; every checkpoint is then checked against it. */
  loadTarget: (fileName: string, text: string) => void;
  /** Says why a definition offered could not be read; the one in use stays. */
  refuseTarget: (reason: string) => void;
  clearTarget: () => void;
}

export const createRulesSlice: StateCreator<EditorState, EditorMutators, [], RulesSlice> = (
  set,
  get,
) => ({
  ruleResults: {},
  target: null,
  targetGenerations: 0,
  targetError: null,
  applyRuleResults: (results) => {
    const { documents, ruleResults } = get();
    const next = { ...ruleResults };
    for (const [id, result] of Object.entries(results)) {
      if (documents[id]?.text === result.text) next[id] = result;
    }
    set({ ruleResults: next });
  },
  loadTarget: (fileName, text) => {
    const read = readTargetDomain(text);
    if (!read.ok) {
      const [p] = read.problems;
      const where = p?.line !== undefined ? `line ${p.line}: ` : '';
      set({ targetError: `${fileName}: ${where}${p?.message ?? 'unreadable'}` });
      return;
    }
    const generation = get().targetGenerations + 1;
    set({
      target: { fileName, domain: read.value, generation },
      targetGenerations: generation,
      targetError: null,
    });
  },
  refuseTarget: (targetError) => set({ targetError }),
  clearTarget: () => set({ target: null, targetError: null }),
});

export const selectTarget = (s: EditorState) => s.target;
export const selectTargetError = (s: EditorState) => s.targetError;

/** Names the rules in force: a verdict reached under other rules is out of date. */
export const selectRulesKey = (s: EditorState): string =>
  `${s.profile}:${s.target?.generation ?? 0}`;

/** The rules in force, as core's checks take them. */
export const selectRuleSet = (s: EditorState): RuleSet =>
  s.target ? { profile: s.profile, target: s.target.domain } : { profile: s.profile };
