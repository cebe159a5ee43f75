import type { InputHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { DRAFT_QUIET_MS, useEditorStore } from '../../state/index.ts';

/** What is typed and not yet written: the text, where it goes. */
interface Pending {
  text: string;
  write: (text: string) => void;
  /** Tells the store's formDrafts it is written. */
  close: () => void;
}

/**
 * A field's text as typed, written into the store off the key's path: a key shows at once from
 * the field's own state; the store (the document's text, its checks, the chain, the save) hears of
 * it once the keys pause (DRAFT_QUIET_MS), and at once on blur, on unmount, before undo and redo,
 * and when the tab is hidden or goes (the store's formDrafts).
 */
function useDraft(value: string, write: (text: string) => void, owner: string) {
  const drafts = useEditorStore().services.formDrafts;
  const [draft, setDraft] = useState<string | null>(null);
  const pending = useRef<Pending | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
    const p = pending.current;
    if (!p) return;
    pending.current = null;
    p.close();
    p.write(p.text);
    setDraft(null);
  }, []);

  // Written to its own document when the field shows another (the focus stays) or goes, before
  // the browser paints the field with the other's value.
  useLayoutEffect(() => flush, [flush, owner]);

  const onChange = (text: string) => {
    const close = pending.current?.close ?? drafts.open(flush);
    pending.current = { text, write, close };
    setDraft(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(flush, DRAFT_QUIET_MS);
  };
  return { value: draft ?? value, onChange, flush };
}

/** The value in the store, how to write it there, and whose it is (a document's id). */
type Written = { value: string; onWrite: (text: string) => void; owner: string };

/** A text input over the store that keeps up with typing (see useDraft). */
export function DraftInput({
  value,
  onWrite,
  owner,
  ...props
}: Written & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const draft = useDraft(value, onWrite, owner);
  return (
    <input
      {...props}
      value={draft.value}
      onChange={(e) => draft.onChange(e.target.value)}
      onBlur={(e) => {
        draft.flush();
        props.onBlur?.(e);
      }}
    />
  );
}

/** A textarea over the store that keeps up with typing (see useDraft). */
export function DraftTextarea({
  value,
  onWrite,
  owner,
  ...props
}: Written & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'>) {
  const draft = useDraft(value, onWrite, owner);
  return (
    <textarea
      {...props}
      value={draft.value}
      onChange={(e) => draft.onChange(e.target.value)}
      onBlur={(e) => {
        draft.flush();
        props.onBlur?.(e);
      }}
    />
  );
}
