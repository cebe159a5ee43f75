import { useEffect } from 'react';
import { openPastedText, redo, selectReadOnly, undo, useEditorStore } from '../../state/index.ts';

function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    (target instanceof HTMLInputElement &&
      !['checkbox', 'radio', 'button', 'file'].includes(target.type))
  );
}

/**
 * One undo for the whole page (forms and source alike: the store's), and paste of XML anywhere
 * outside a text field.
 */
export function useAppShortcuts(): void {
  const store = useEditorStore();
  useEffect(() => {
    // A tab that only shows the session (another tab edits it) changes nothing.
    const readOnly = () => selectReadOnly(store.getState());
    const onKeyDown = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || readOnly()) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) undo(store);
      else if ((key === 'z' && e.shiftKey) || key === 'y') redo(store);
      else return;
      e.preventDefault();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (isTextField(e.target) || readOnly()) return;
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (!text.trimStart().startsWith('<')) return;
      e.preventDefault();
      openPastedText(store, text);
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('paste', onPaste);
    };
  }, [store]);
}

/** Warns before leaving with edits that were never exported. */
export function useUnexportedWarning(unexported: boolean): void {
  useEffect(() => {
    if (!unexported) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [unexported]);
}
