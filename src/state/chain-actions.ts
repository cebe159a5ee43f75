import type { ZipRename } from '../core/index.ts';
import { zipNamesOf } from './chain-slice.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { KEEP_ALL } from './documents-slice.ts';
import type { SkippedFile } from './open-slice.ts';
import type { EditorStore } from './store.ts';

export interface ExportedZip {
  zip: Uint8Array;
  /** The files in the zip, in the tree's order. */
  fileNames: string[];
  /** Files whose name in the zip is not the name they were opened under, and why. */
  renamed: ZipRename[];
  /** Documents left out: their text cannot be read as a checkpoint. */
  left: SkippedFile[];
}

/**
 * Every open checkpoint as libvirt prints it (nothing the file held dropped), under its file name,
 * in one zip. Formatting and compressing run in the workers; progress shows as the "export" activity.
 */
export async function exportAllCheckpoints(store: EditorStore): Promise<ExportedZip> {
  const s = store.getState();
  const docs = s.rows
    .map((row) => s.documents[row.id])
    .filter((d): d is CheckpointDocument => d !== undefined);
  const label = `Formatting ${docs.length.toLocaleString('en')} checkpoints for the zip`;
  const progress = (done: number, total: number) =>
    store.getState().setActivity('export', { label, done, total });
  progress(0, docs.length);
  try {
    const formatted = await store.services.corePool().run(
      {
        kind: 'format',
        files: docs.map((d) => ({ fileName: d.fileName, text: d.text })),
        options: KEEP_ALL,
      },
      progress,
    );
    const names = zipNamesOf(s.rows);
    const files: { fileName: string; text: string }[] = [];
    const left: SkippedFile[] = [];
    const written: Record<string, string> = {};
    formatted.forEach((f, i) => {
      const doc = docs[i] as CheckpointDocument;
      if ('text' in f) {
        files.push({ fileName: names.byId.get(doc.id) ?? f.fileName, text: f.text });
        written[doc.id] = doc.text;
      } else {
        const [p] = f.problems;
        left.push({
          fileName: f.fileName,
          reason: `${p?.line !== undefined ? `line ${p.line}: ` : ''}${p?.message ?? 'unreadable'}`,
        });
      }
    });
    store.getState().setActivity('export', { label: 'Compressing the zip', done: 0, total: 1 });
    const zip = await store.services.corePool().run({ kind: 'zip', files });
    store.getState().markAllExported(written);
    const inZip = new Set(files.map((f) => f.fileName));
    const renamed = names.renamed.filter((r) => inZip.has(r.to));
    return { zip, fileNames: files.map((f) => f.fileName), renamed, left };
  } finally {
    store.getState().setActivity('export', null);
  }
}
