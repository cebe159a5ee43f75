import type { StateCreator } from 'zustand';
import type { Problem, RedefineProfile } from '../core/index.ts';
import { copyRecord, profileOfVersion } from '../core/index.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';

/** The RELAX NG schema set that validates every document, shown to the operator by its label. */
export interface SchemaSetInfo {
  /** "libvirt 9.0.0 schemas", or the folder the operator loaded. */
  label: string;
  /** The libvirt version the schemas are of, when known: its redefine rule is the default. */
  version?: string;
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
  /**
   * strict: <domain> required (the original rule); allow-no-domain: libvirt 7.0 and later. Until
   * the operator chooses, the rule of the libvirt whose schemas are loaded.
   */
  profile: RedefineProfile;
  /** Whether the operator chose the profile: then a new schema set leaves it as it is. */
  profileChosen: boolean;
  schemaSet: SchemaSetInfo;
  schemaResults: Record<string, SchemaResult>;
  setProfile: (profile: RedefineProfile) => void;
  setSchemaSet: (info: Omit<SchemaSetInfo, 'generation'>, newSet: boolean) => void;
  /** Stores the verdicts that still match their document's text; older ones are dropped. */
  applySchemaResults: (results: Record<string, SchemaResult>) => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends ValidationSlice {}
}

export const createValidationSlice: StateCreator<
  EditorState,
  EditorMutators,
  [],
  ValidationSlice
> = (set, get) => ({
  // What libvirt has done since 7.0: the schemas' own version decides once they are loaded.
  profile: 'allow-no-domain',
  profileChosen: false,
  schemaSet: { label: 'libvirt schemas', status: 'loading', generation: 0 },
  schemaResults: {},
  setProfile: (profile) => set({ profile, profileChosen: true }),
  setSchemaSet: (info, newSet) => {
    const generation = get().schemaSet.generation + (newSet ? 1 : 0);
    const rule = newSet && !get().profileChosen ? profileOfVersion(info.version) : undefined;
    set({ schemaSet: { ...info, generation }, ...(rule ? { profile: rule } : {}) });
  },
  applySchemaResults: (results) => {
    const { documents, schemaResults } = get();
    const next = copyRecord(schemaResults);
    for (const [id, result] of Object.entries(results)) {
      if (documents[id]?.text === result.text) next[id] = result;
    }
    set({ schemaResults: next });
  },
});

export const selectProfile = (s: EditorState) => s.profile;
export const selectProfileChosen = (s: EditorState) => s.profileChosen;
export const selectSchemaSet = (s: EditorState) => s.schemaSet;

/** The schema verdict for a document's current text, if the current set has given one. */
export function currentSchemaResult(s: EditorState, id: string): SchemaResult | undefined {
  const result = s.schemaResults[id];
  const doc = s.documents[id];
  return result && doc && result.text === doc.text && result.generation === s.schemaSet.generation
    ? result
    : undefined;
}
