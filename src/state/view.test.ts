import { beforeEach, describe, expect, it } from 'vitest';
import { createEditorStore, PANE_LIMITS, resetEditorStore, selectExampleOnly } from './index.ts';
import { openExample } from './open-actions.ts';

const editorStore = createEditorStore();
const state = () => editorStore.getState();

beforeEach(() => resetEditorStore(editorStore));

describe('the page around the documents', () => {
  it('keeps each pane within its limits, and remembers it hidden', () => {
    state().setLayout({ sidebarWidth: 5, validationHeight: 10_000 });
    expect(state().layout).toMatchObject({
      sidebarWidth: PANE_LIMITS.sidebarWidth.min,
      validationHeight: PANE_LIMITS.validationHeight.max,
    });
    state().setLayout({ sidebarCollapsed: true });
    expect(state().layout).toMatchObject({
      sidebarWidth: PANE_LIMITS.sidebarWidth.min,
      sidebarCollapsed: true,
    });
  });

  it('opens the Help at a problem code, again when asked again', () => {
    state().showHelp('parent-missing');
    expect([state().mainView, state().helpCode]).toEqual(['help', 'parent-missing']);
    const seq = state().helpSeq;
    state().showView('checkpoint');
    state().showHelp('parent-missing');
    expect(state().helpSeq).toBe(seq + 1);
  });

  it('says when what is open is only the example', () => {
    expect(selectExampleOnly(state())).toBe(false);
    openExample(editorStore, 'chain');
    expect(selectExampleOnly(state())).toBe(true);
    state().openDocuments([{ fileName: 'mine.xml', contents: '<domaincheckpoint/>' }], 'file');
    expect(selectExampleOnly(state())).toBe(false);
  });
});
