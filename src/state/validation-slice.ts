import type { StateCreator } from 'zustand';
import type { Problem, RedefineProfile } from '../core/index.ts';
import type { EditorMutators, EditorState } from './store.ts';

/** The RELAX NG schema set that validates every document, shown to the operator by its label. */
export interface SchemaSetInfo {
  /** "libvirt 9.0.0 schemas", or the folder the operator loaded. */
  label: string;
  status: 'loading' | 'ready' | 'failed';
  error?: string;
  /** Changes with each new set, so every document is validated again. */
  generation: number;
}

/** The schema verdict on one text of one document. */
export interface SchemaResult {
  text: string;
  generation: number;
  problems: Problem[];
}

export interface ValidationSlice {
  /** strict: <domain> required (the original rule); allow-no-domain: libvirt 7.0 and later. */
  profile: RedefineProfile;
  schemaSet: SchemaSetInfo;
  schemaResults: Record<string, SchemaResult>;
  setProfile: (profile: RedefineProfile) => void;
  setSchemaSet: (info: Omit<SchemaSetInfo, 'generation'>, newSet: boolean) => void;
  /** Stores the verdicts that still match their document's text; older ones are dropped. */
  applySchemaResults: (results: Record<string, SchemaResult>) => void;
}

export const createValidationSlice: StateCreator<
  EditorState,
  EditorMutators,
  [],
  ValidationSlice
> = (set, get) => ({
  profile: 'strict',
  schemaSet: { label: 'libvirt schemas', status: 'loading', generation: 0 },
  schemaResults: {},
  setProfile: (profile) => set({ profile }),
  setSchemaSet: (info, newSet) => {
    const generation = get().schemaSet.generation + (newSet ? 1 : 0);
    set({ schemaSet: { ...info, generation } });
  },
  applySchemaResults: (results) => {
    const { documents, schemaResults } = get();
    const next = { ...schemaResults };
    for (const [id, result] of Object.entries(results)) {
      if (documents[id]?.text === result.text) next[id] = result;
    }
    set({ schemaResults: next });
  },
});

export const selectProfile = (s: EditorState) => s.profile;
export const selectSchemaSet = (s: EditorState) => s.schemaSet;

/** The schema verdict for a document's current text, if the current set has given one. */
export function currentSchemaResult(s: EditorState, id: string): SchemaResult | undefined {
  const result = s.schemaResults[id];
  const doc = s.documents[id];
  return result && doc && result.text === doc.text && result.generation === s.schemaSet.generation
    ? result
    : undefined;
}
