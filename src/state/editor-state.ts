import type { StoreApi, StoreMutatorIdentifier } from 'zustand';
import type { TemporalState } from 'zundo';

/**
 * The editor's state: each slice adds its own part to it where it is defined
 * (`declare module './editor-state.ts'`), so slices depend on this module and the store on the
 * slices, nothing back (xyflow keeps its store's types apart in the same way).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- each slice adds its part
export interface EditorState {}

/** The middleware the slices are created under: zundo's undo history. */
export type EditorMutators = [['temporal', unknown]] & [StoreMutatorIdentifier, unknown][];

/** What undo covers: the documents, never the UI around them. */
export type UndoableState = Pick<EditorState, 'documents' | 'documentOrder'>;

/** The undo history of the documents (zundo's temporal store). */
export type UndoHistory = StoreApi<TemporalState<UndoableState>>;

/** The store's `setState`, as a slice sees it. */
export type SetState = (
  partial: Partial<EditorState> | ((s: EditorState) => Partial<EditorState>),
) => void;
