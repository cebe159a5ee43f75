import { describe, expect, it } from 'vitest';
import { EXAMPLE_CHAIN } from '../samples/index.ts';
import { createEditorStore, redo, selectSelectedDocument, setDescription, undo } from './index.ts';

type Store = ReturnType<typeof createEditorStore>;

const descriptionOf = (store: Store) =>
  /<description>([^<]*)<\/description>/.exec(
    selectSelectedDocument(store.getState())?.text ?? '',
  )?.[1];

/** A form field's draft as DraftField.tsx keeps it: typed, registered, written when flushed. */
function typeDraft(store: Store, text: string): { written: () => boolean } {
  const id = store.getState().selectedId as string;
  let pending = true;
  const close = store.services.formDrafts.open(() => {
    if (!pending) return;
    pending = false;
    close();
    store.getState().editCheckpoint(id, setDescription(text));
  });
  return { written: () => !pending };
}

describe('form drafts', () => {
  it('are written into their document before an undo, which then takes them back with their step', () => {
    const store = createEditorStore();
    store.getState().openDocuments(EXAMPLE_CHAIN, 'file');
    const before = descriptionOf(store);
    const draft = typeDraft(store, 'typed, not yet written');
    expect(descriptionOf(store)).toBe(before);
    undo(store);
    expect(draft.written()).toBe(true);
    expect(descriptionOf(store)).toBe(before);
    redo(store);
    expect(descriptionOf(store)).toBe('typed, not yet written');
  });

  it('are written once by a flush: the next flush has nothing left to write', () => {
    const store = createEditorStore();
    store.getState().openDocuments(EXAMPLE_CHAIN, 'file');
    const a = typeDraft(store, 'first');
    expect(store.services.formDrafts.pending()).toBe(true);
    store.services.formDrafts.flush();
    expect(store.services.formDrafts.pending()).toBe(false);
    expect(a.written()).toBe(true);
    expect(descriptionOf(store)).toBe('first');
    // Written once: a second flush has nothing left to write.
    store
      .getState()
      .editCheckpoint(store.getState().selectedId as string, setDescription('edited since'));
    store.services.formDrafts.flush();
    expect(descriptionOf(store)).toBe('edited since');
  });
});
