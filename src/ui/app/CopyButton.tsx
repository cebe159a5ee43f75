import { useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * Copy: puts `text` on the clipboard, and says in a status whether the browser let it. A text of
 * megabytes comes as a Blob when clicked, which the browser copies without the page's thread.
 */
export function CopyButton({
  text,
  primary = false,
  label = 'Copy',
}: {
  text: string | (() => Blob);
  primary?: boolean;
  label?: string;
}) {
  const [copy, setCopy] = useState<CopyState>('idle');
  return (
    <>
      <button
        type="button"
        className={primary ? 'button primary' : 'button'}
        onClick={() => {
          (typeof text === 'string'
            ? navigator.clipboard.writeText(text)
            : navigator.clipboard.write([new ClipboardItem({ 'text/plain': text() })])
          ).then(
            () => setCopy('copied'),
            () => setCopy('failed'),
          );
        }}
      >
        {label}
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
