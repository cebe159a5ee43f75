import type { RefObject } from 'react';
import { useEffect, useRef } from 'react';

/**
 * A <dialog> shown modal as soon as it is mounted (the component is the dialog's lifetime); with
 * `restoreFocus`, the focus goes back where it was when the dialog closes.
 */
export function useModalDialog({ restoreFocus = false } = {}): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const before = document.activeElement;
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => {
      if (restoreFocus && before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, [restoreFocus]);
  return dialog;
}
