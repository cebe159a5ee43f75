import type { ReactNode } from 'react';
import { createContext, createElement, useContext } from 'react';
import { useStore } from 'zustand';
import type { TemporalState } from 'zundo';
import type { EditorState, UndoableState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';

const EditorContext = createContext<EditorStore | null>(null);

/** Gives the components below it their store: the page's one, made in main.tsx. */
export function EditorProvider({ store, children }: { store: EditorStore; children: ReactNode }) {
  return createElement(EditorContext.Provider, { value: store }, children);
}

export function useEditorStore(): EditorStore {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditorStore outside an EditorProvider');
  return store;
}

/** A part of the store's state; the component renders again only when that part changes. */
export function useEditor<T>(selector: (s: EditorState) => T): T {
  return useStore(useEditorStore(), selector);
}

export function useUndoHistory<T>(selector: (s: TemporalState<UndoableState>) => T): T {
  return useStore(useEditorStore().temporal, selector);
}
