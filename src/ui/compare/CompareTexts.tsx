import { xml } from '@codemirror/lang-xml';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { sourceTheme } from '../source/theme.ts';

/** Changed lines in the page's colours (light and dark), the changed text itself underlined. */
const mergeTheme = EditorView.theme({
  '&.cm-merge-a .cm-changedLine, .cm-deletedChunk': { backgroundColor: 'var(--diff-removed)' },
  '&.cm-merge-b .cm-changedLine': { backgroundColor: 'var(--diff-added)' },
  '.cm-collapsedLines': { color: 'var(--muted)', background: 'var(--panel-2)' },
  // The package's own marks (⦚) are missing from common fonts.
  '.cm-collapsedLines:before, .cm-collapsedLines:after': { content: '"⋯"' },
});

/**
 * Two XML texts side by side through CodeMirror's merge view: what differs marked on each side,
 * long unchanged stretches folded unless `showAll`. Both read-only. Loaded only when a comparison
 * is first shown.
 */
export default function CompareTexts({
  a,
  b,
  labelA,
  labelB,
  showAll,
}: {
  a: string;
  b: string;
  labelA: string;
  labelB: string;
  showAll: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const parent = host.current;
    if (!parent) return;
    const side = (doc: string, label: string) => ({
      doc,
      extensions: [
        xml(),
        sourceTheme,
        mergeTheme,
        EditorState.readOnly.of(true),
        EditorView.lineWrapping,
        // Reachable by keyboard, its name said: the text can be read and selected, not changed.
        EditorView.contentAttributes.of({
          'aria-label': label,
          'aria-readonly': 'true',
          tabindex: '0',
        }),
      ],
    });
    const view = new MergeView({
      a: side(a, `XML of ${labelA}`),
      b: side(b, `XML of ${labelB}`),
      parent,
      gutter: true,
      highlightChanges: true,
      ...(showAll ? {} : { collapseUnchanged: { margin: 3, minSize: 6 } }),
    });
    return () => view.destroy();
  }, [a, b, labelA, labelB, showAll]);
  return <div ref={host} className="compare-texts" />;
}
