import type { StateCreator } from 'zustand';
import type { EditorMutators, EditorState } from './editor-state.ts';

/** Long work the page is doing for the operator, each shown with its progress. */
export type ActivityName = 'open' | 'check' | 'export';

export interface Activity {
  /** What is being done, as the progress bar says it: "Reading files". */
  label: string;
  done: number;
  total: number;
  /** Stops the work, where it can be stopped (unpacking a bundle): a Cancel button beside it. */
  cancel?: () => void;
}

export interface ActivitySlice {
  activities: Partial<Record<ActivityName, Activity>>;
  setActivity: (name: ActivityName, activity: Activity | null) => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends ActivitySlice {}
}

export const createActivitySlice: StateCreator<EditorState, EditorMutators, [], ActivitySlice> = (
  set,
  get,
) => ({
  activities: {},
  setActivity: (name, activity) => {
    const next = { ...get().activities };
    if (activity) next[name] = activity;
    else delete next[name];
    set({ activities: next });
  },
});

export const selectActivities = (s: EditorState) => s.activities;
