import { useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/** Copy: puts `text` on the clipboard, and says in a status whether the browser let it. */
export function CopyButton({ text, primary = false }: { text: string; primary?: boolean }) {
  const [copy, setCopy] = useState<CopyState>('idle');
  return (
    <>
      <button
        type="button"
        className={primary ? 'button primary' : 'button'}
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => setCopy('copied'),
            () => setCopy('failed'),
          );
        }}
      >
        Copy
      </button>
      <span role="status">
        {copy === 'copied'
          ? 'Copied'
          : copy === 'failed'
            ? 'This browser refused the clipboard: select the text and copy it'
            : ''}
      </span>
    </>
  );
}
