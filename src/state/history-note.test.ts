import { beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_CHAIN } from '../samples/index.ts';
import {
  createEditorStore,
  redo,
  resetEditorStore,
  selectHistoryNote,
  setDescription,
  undo,
} from './index.ts';

const store = createEditorStore();
const state = () => store.getState();

beforeEach(() => resetEditorStore(store));

describe('undo and redo say what they changed', () => {
  it('names the file and the field, and selects the file', () => {
    const [first, , third] = state().openDocuments(EXAMPLE_CHAIN, 'file') as string[];
    const before = state().documents[first as string]?.text;
    state().editCheckpoint(first as string, setDescription('Moved'));
    state().selectDocument(third as string);
    undo(store);
    expect(state().documents[first as string]?.text).toBe(before);
    expect(selectHistoryNote(state())?.text).toMatch(
      /^Undo: web01-2024-03-01\.xml: description Moved → .+$/,
    );
    expect(state().selectedId).toBe(first);
    state().selectDocument(third as string);
    redo(store);
    expect(selectHistoryNote(state())?.text).toMatch(
      /^Redo: web01-2024-03-01\.xml: description .+ → Moved$/,
    );
    expect(state().selectedId).toBe(first);
  });

  it('says which files an undo brought back or closed; the line goes with the next edit', () => {
    const ids = state().openDocuments(EXAMPLE_CHAIN, 'file') as string[];

    state().closeDocument(ids[1] as string);
    undo(store);
    expect(selectHistoryNote(state())?.text).toBe('Undo: web01-2024-03-02.xml back');
    expect(state().selectedId).toBe(ids[1]);
    redo(store);
    expect(selectHistoryNote(state())?.text).toBe('Redo: web01-2024-03-02.xml closed');
    state().editCheckpoint(ids[0] as string, setDescription('x'));
    expect(selectHistoryNote(state())).toBeNull();
  });

  it('says nothing when there is nothing to undo', () => {
    undo(store);
    expect(selectHistoryNote(state())).toBeNull();
  });
});
