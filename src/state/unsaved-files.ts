import type { EditorStore } from './editor-store.ts';

/** A file to hand to the browser's downloads. */
export interface ExportedFiles {
  fileName: string;
  data: string | Uint8Array;
  type: string;
}

/**
 * The files the browser refused to store, as they are, so the operator can keep them: one file as
 * itself, several in a zip (packed in a worker). They count as exported from then on.
 */
export async function exportUnsavedFiles(store: EditorStore): Promise<ExportedFiles | undefined> {
  const unsaved = Object.entries(store.getState().unsaved);
  if (unsaved.length === 0) return undefined;
  const exported: Record<string, string> = {};
  for (const [id, file] of unsaved) exported[id] = file.text;
  let result: ExportedFiles;
  if (unsaved.length === 1) {
    const [, file] = unsaved[0] as (typeof unsaved)[number];
    result = { fileName: file.fileName, data: file.text, type: 'application/xml' };
  } else {
    const zip = await store.services.corePool().run({
      kind: 'zip',
      files: unsaved.map(([, f]) => ({ fileName: f.fileName, text: f.text })),
    });
    result = { fileName: 'not-saved-in-browser.zip', data: zip, type: 'application/zip' };
  }
  store.getState().markAllExported(exported);
  return result;
}
