import { xml } from '@codemirror/lang-xml';
import type { Diagnostic } from '@codemirror/lint';
import { forceLinting, lintGutter, linter } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import { StateEffect } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import CodeMirror from '@uiw/react-codemirror';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Problem } from '../../core/index.ts';
import { useEditor } from '../../state/index.ts';
import { linesWithin } from './long-lines.ts';
import { sourceTheme } from './theme.ts';

/** Tells the linter that the store's problems changed, so it runs again. */
const problemsChanged = StateEffect.define<null>();

/** Problems as CodeMirror diagnostics, each on its line (from its column when known). */
function diagnosticsOf(doc: Text, problems: readonly Problem[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of problems) {
    if (p.line === undefined || p.line < 1 || p.line > doc.lines) continue;
    const line = doc.line(p.line);
    const from = p.column ? Math.min(line.from + Math.max(p.column - 1, 0), line.to) : line.from;
    out.push({
      from,
      to: line.to,
      severity: p.severity,
      message: p.message,
      source: p.code,
    });
  }
  return out;
}

// Undo is the store's; highlighting is the page's own (theme.ts).
const BASIC_SETUP = { history: false, syntaxHighlighting: false, foldGutter: true };

/**
 * The document's text in CodeMirror 6. Typing here updates the store (and so the forms); form edits
 * arrive here as a new value. Undo is the store's, so it spans form and source edits alike.
 */
export default function XmlSource({
  id,
  text,
  problems,
  readOnly = false,
}: {
  id: string;
  text: string;
  problems: Problem[];
  /** Another tab edits the session, or the file is too large to edit until asked. */
  readOnly?: boolean;
}) {
  const updateText = useEditor((s) => s.updateText);
  const reveal = useEditor((s) => s.reveal);
  const viewRef = useRef<EditorView | null>(null);
  const problemsRef = useRef(problems);
  const [ready, setReady] = useState(false);
  // A very long line is left unwrapped, so that only its part on screen is drawn.
  const wrap = useMemo(() => linesWithin(text), [text]);
  const extensions = useMemo(
    () => [
      xml(),
      // The store holds the problems; this linter only hands CodeMirror the current ones.
      linter((view) => diagnosticsOf(view.state.doc, problemsRef.current), {
        delay: 0,
        needsRefresh: (update) =>
          update.transactions.some((tr) => tr.effects.some((e) => e.is(problemsChanged))),
      }),
      lintGutter(),
      ...(wrap ? [EditorView.lineWrapping] : []),
      // An explicit tab stop: assistive tech and axe know the text is reachable by keyboard.
      EditorView.contentAttributes.of({ 'aria-label': 'XML source text', tabindex: '0' }),
    ],
    [wrap],
  );

  useEffect(() => {
    problemsRef.current = problems;
    const view = viewRef.current;
    if (!ready || !view) return;
    view.dispatch({ effects: problemsChanged.of(null) });
    forceLinting(view);
  }, [ready, problems, text]);
  const onChange = useCallback((value: string) => updateText(id, value), [updateText, id]);

  useEffect(() => {
    const view = viewRef.current;
    if (!ready || !view || !reveal || reveal.id !== id) return;
    if (reveal.line < 1 || reveal.line > view.state.doc.lines) return;
    const line = view.state.doc.line(reveal.line);
    view.dispatch({
      selection: { anchor: line.from },
      effects: EditorView.scrollIntoView(line.from, { y: 'center' }),
    });
    view.focus();
  }, [ready, reveal, id]);

  return (
    <CodeMirror
      value={text}
      height="100%"
      theme={sourceTheme}
      extensions={extensions}
      // Tab leaves the editor, as it does everywhere else on the page: no keyboard trap.
      indentWithTab={false}
      basicSetup={BASIC_SETUP}
      readOnly={readOnly}
      onCreateEditor={(view) => {
        viewRef.current = view;
        setReady(true);
      }}
      onChange={onChange}
    />
  );
}
