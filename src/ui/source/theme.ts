import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorView } from '@codemirror/view';
import { tags } from '@lezer/highlight';

/**
 * The source view in the page's own colours (CSS variables, so light and dark follow
 * prefers-color-scheme), every token at WCAG AA contrast on its background.
 */
const editorTheme = EditorView.theme({
  '&': { backgroundColor: 'var(--panel)', color: 'var(--text)' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--text)' },
  '.cm-gutters': {
    backgroundColor: 'var(--panel-2)',
    color: 'var(--muted)',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--xml-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--xml-active-line)', color: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--xml-selection) !important',
  },
  '.cm-matchingBracket': { backgroundColor: 'var(--xml-selection)', color: 'inherit' },
  '.cm-foldPlaceholder': {
    backgroundColor: 'var(--panel-2)',
    color: 'var(--muted)',
    border: 'none',
  },
  '.cm-tooltip': {
    backgroundColor: 'var(--panel)',
    color: 'var(--text)',
    border: '1px solid var(--border)',
  },
});

const xmlHighlight = HighlightStyle.define([
  { tag: [tags.tagName, tags.angleBracket], color: 'var(--xml-tag)' },
  { tag: tags.attributeName, color: 'var(--xml-attribute)' },
  { tag: tags.attributeValue, color: 'var(--xml-value)' },
  { tag: [tags.comment, tags.processingInstruction, tags.meta], color: 'var(--muted)' },
  { tag: tags.character, color: 'var(--xml-value)' },
  { tag: tags.invalid, color: 'var(--error)' },
]);

export const sourceTheme = [editorTheme, syntaxHighlighting(xmlHighlight)];
