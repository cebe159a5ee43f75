import type { EditorStore } from './store.ts';
import { EXAMPLE_CHAIN, EXAMPLE_WITH_ERRORS } from './examples.ts';
import type { FileLike } from './read-files.ts';
import { pastedFileName, readCheckpointFiles } from './read-files.ts';

/** Opens what a picker or a drop offers: the .xml files as documents, the rest listed as skipped. */
export async function openFiles(store: EditorStore, files: readonly FileLike[]): Promise<string[]> {
  const { opened, skipped } = await readCheckpointFiles(files);
  return store.getState().openDocuments(opened, 'file', skipped);
}

/** Opens pasted XML as a new document named after its checkpoint. */
export function openPastedText(store: EditorStore, text: string): string[] {
  if (!text.trim()) return [];
  return store
    .getState()
    .openDocuments([{ fileName: pastedFileName(text), contents: text }], 'paste');
}

export type ExampleName = 'chain' | 'errors';

export function openExample(store: EditorStore, example: ExampleName): string[] {
  return store
    .getState()
    .openDocuments(example === 'chain' ? EXAMPLE_CHAIN : EXAMPLE_WITH_ERRORS, 'example');
}
