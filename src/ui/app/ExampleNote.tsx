import { selectExampleOnly, useEditor } from '../../state/index.ts';

/** On a first visit: what is open is an example, said so, with one click to close it. */
export function ExampleNote() {
  const exampleOnly = useEditor(selectExampleOnly);
  const closeAll = useEditor((s) => s.closeAllDocuments);
  if (!exampleOnly) return null;
  return (
    <section className="example-note" aria-labelledby="example-note-title">
      <p>
        <strong id="example-note-title">An example</strong>, not your files: open yours with{' '}
        <em>Open files</em> or <em>Open folder</em>, or drop them here; the example gives way.
      </p>
      <button type="button" className="button small" onClick={closeAll}>
        Close the example
      </button>
    </section>
  );
}
