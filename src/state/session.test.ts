import { describe, expect, it } from 'vitest';
import { EXAMPLE_CHAIN } from '../samples/index.ts';
import { createEditorStore, setDescription } from './index.ts';
import { SAVE_AFTER_VALIDATING, manyAwaitValidation } from './persistence.ts';

describe('the session in a tab that does not edit it', () => {
  it('changes nothing the session stores, whatever calls the action; it still navigates', () => {
    const store = createEditorStore();
    const ids = store.getState().openDocuments(EXAMPLE_CHAIN, 'file');
    const before = store.getState();
    store.getState().setAccess('elsewhere');
    store.getState().editCheckpoint(ids[0] as string, setDescription('behind the back'));
    store.getState().closeAllDocuments();
    const otherProfile = before.profile === 'strict' ? 'allow-no-domain' : 'strict';
    store.getState().setProfile(otherProfile);
    store.getState().selectDocument(ids[2] as string);
    const s = store.getState();
    expect(s.documents).toBe(before.documents);
    expect(s.documentOrder).toBe(before.documentOrder);
    expect(s.profile).toBe(before.profile);
    expect(s.profileChosen).toBe(before.profileChosen);
    expect(s.selectedId).toBe(ids[2]);
  });
});

describe('save reports', () => {
  it('say "saved" only when every file is stored, and name those that are not', () => {
    const store = createEditorStore();
    const [a, b] = store.getState().openDocuments(EXAMPLE_CHAIN, 'file') as [string, string];
    const full = 'the browser’s storage for this page is full';
    store.getState().applySaveReport({ stored: [a], refused: { [b]: full }, pending: false });
    let s = store.getState();
    expect(s.saveStatus).toBe('failed');
    expect(s.unsaved).toEqual({
      [b]: { fileName: 'web01-2024-03-02.xml', text: s.documents[b]?.text, reason: full },
    });
    store.getState().applySaveReport({ stored: [b], refused: {}, pending: true });
    expect(store.getState().saveStatus).toBe('saving');
    store.getState().applySaveReport({ stored: [], refused: {}, pending: false });
    s = store.getState();
    expect([s.saveStatus, s.unsaved]).toEqual(['saved', {}]);
  });
});

describe('a storage cleared under the tab', () => {
  it('never says "saved" while it is not known whether the data are there; "saved again" once rewritten', () => {
    const store = createEditorStore();
    const [a] = store.getState().openDocuments(EXAMPLE_CHAIN, 'file') as [string];
    store.getState().applySaveReport({ stored: [a], refused: {}, pending: false });
    expect(store.getState().saveStatus).toBe('saved');
    store.getState().setStorageInDoubt(true);
    expect(store.getState().saveStatus).toBe('saving');
    // A save that ends meanwhile does not make it "saved".
    store.getState().applySaveReport({ stored: [], refused: {}, pending: false });
    expect(store.getState().saveStatus).toBe('saving');
    store.getState().setStorageInDoubt(false);
    store.getState().noteStorageCleared();
    expect([store.getState().saveStatus, store.getState().storageCleared]).toEqual([
      'saving',
      'saving',
    ]);
    store.getState().applySaveReport({ stored: [a], refused: {}, pending: false });
    expect([store.getState().saveStatus, store.getState().storageCleared]).toEqual([
      'saved',
      'saved',
    ]);
  });
});

describe('the save after an open', () => {
  it('waits while many files await their schema verdict, not for a few, nor without a schema set', () => {
    const store = createEditorStore();
    const files = Array.from({ length: SAVE_AFTER_VALIDATING + 1 }, (_, i) => ({
      fileName: `cp${i}.xml`,
      contents: `<domaincheckpoint>\n  <name>cp${i}</name>\n</domaincheckpoint>\n`,
    }));
    const ids = store.getState().openDocuments(files, 'file');
    expect(manyAwaitValidation(store.getState())).toBe(false);
    store.getState().setSchemaSet({ label: 'libvirt 9.0.0 schemas', status: 'ready' }, true);
    expect(manyAwaitValidation(store.getState())).toBe(true);
    const verdict = (id: string) => ({
      text: store.getState().documents[id]?.text ?? '',
      generation: store.getState().schemaSet.generation,
      problems: [],
    });
    store.getState().applySchemaResults({ [ids[0] as string]: verdict(ids[0] as string) });
    expect(manyAwaitValidation(store.getState())).toBe(true);
    store.getState().applySchemaResults({ [ids[1] as string]: verdict(ids[1] as string) });
    expect(manyAwaitValidation(store.getState())).toBe(false);
    // Another schema set: every verdict is stale again.
    store.getState().setSchemaSet({ label: 'schemas from a folder', status: 'ready' }, true);
    expect(manyAwaitValidation(store.getState())).toBe(true);
  });
});
