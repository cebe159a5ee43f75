import type { InputHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { useCallback, useEffect, useRef, useState } from 'react';
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
function useDraft(value: string, write: (text: string) => void) {
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

  // Written when the field goes (another checkpoint selected, the view changed).
  useEffect(() => flush, [flush]);

  const onChange = (text: string) => {
    const close = pending.current?.close ?? drafts.open(flush);
    pending.current = { text, write, close };
    setDraft(text);
    clearTimeout(timer.current);
    timer.current = setTimeout(flush, DRAFT_QUIET_MS);
  };
  return { value: draft ?? value, onChange, flush };
}

type Written = { value: string; onWrite: (text: string) => void };

/** A text input over the store that keeps up with typing (see useDraft). */
export function DraftInput({
  value,
  onWrite,
  ...props
}: Written & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const draft = useDraft(value, onWrite);
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
  ...props
}: Written & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'>) {
  const draft = useDraft(value, onWrite);
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
