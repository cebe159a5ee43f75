import type { ZipRename } from '../core/index.ts';
import { redefineScript, zipEntryNames } from '../core/index.ts';
import { corePool } from './core-service.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { KEEP_ALL } from './documents-slice.ts';
import type { SkippedFile } from './open-slice.ts';
import type { CheckpointTreeItem } from './session-view.ts';
import { selectSessionView } from './session-view.ts';
import type { EditorState, EditorStore } from './store.ts';

/**
 * The name each open file gets in the Export all zip, by document id: unique where Windows and
 * macOS ignore case and Unicode form, and one every system can write. The redefine script uses the
 * same names, so it runs as is where the zip is unpacked.
 */
function zipNamesOf(items: readonly CheckpointTreeItem[]): {
  byId: ReadonlyMap<string, string>;
  renamed: readonly ZipRename[];
} {
  const { names, renamed } = zipEntryNames(items.map((item) => item.fileName));
  return { byId: new Map(items.map((item, i) => [item.id, names[i] as string])), renamed };
}

let scriptMemo: { forest: unknown; items: unknown; validate: boolean; script: string } | undefined;

/**
 * virsh commands that redefine every loaded checkpoint, parents first, on the VM the files name;
 * with --redefine-validate when the operator asks for it. Files are named as in the zip.
 */
export const selectRedefineScript = (s: EditorState): string => {
  const { forest, items } = selectSessionView(s);
  const validate = s.redefineValidate;
  const memo = scriptMemo;
  if (memo?.forest === forest && memo.items === items && memo.validate === validate) {
    return memo.script;
  }
  const { byId } = zipNamesOf(items);
  const idByKey = new Map(items.map((item) => [item.key, item.id]));
  const fileOf = (key: string) =>
    byId.get(idByKey.get(key) ?? '') ?? forest.entries.get(key)?.file ?? `${key}.xml`;
  scriptMemo = { forest, items, validate, script: redefineScript(forest, { validate, fileOf }) };
  return scriptMemo.script;
};

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
  const view = selectSessionView(s);
  const docs = view.items
    .map((item) => s.documents[item.id])
    .filter((d): d is CheckpointDocument => d !== undefined);
  const label = `Formatting ${docs.length.toLocaleString('en')} checkpoints for the zip`;
  const progress = (done: number, total: number) =>
    store.getState().setActivity('export', { label, done, total });
  progress(0, docs.length);
  try {
    const formatted = await corePool().run(
      {
        kind: 'format',
        files: docs.map((d) => ({ fileName: d.fileName, text: d.text })),
        options: KEEP_ALL,
      },
      progress,
    );
    const names = zipNamesOf(view.items);
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
    const zip = await corePool().run({ kind: 'zip', files });
    store.getState().markAllExported(written);
    const inZip = new Set(files.map((f) => f.fileName));
    const renamed = names.renamed.filter((r) => inZip.has(r.to));
    return { zip, fileNames: files.map((f) => f.fileName), renamed, left };
  } finally {
    store.getState().setActivity('export', null);
  }
}
