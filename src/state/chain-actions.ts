import type { RedefinePlan, ZipRename } from '../core/index.ts';
import { forestDomainName, safeFileName, zipEntryNames } from '../core/index.ts';
import { selectRedefinePlan, selectRedefineScript, zipNamesOf } from './chain-slice.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { bytesOf } from './documents-slice.ts';
import { formatOptionsOf } from './export-slice.ts';
import type { EditorState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';

/** Problems that keep a file from being read as a checkpoint at all. */
const UNREADABLE = /^(xml-|wrong-root$|malformed$)/;

/** One file of Export all: its name in the zip, and whether it goes in libvirt's format or as it is. */
export interface ExportEntry {
  id: string;
  /** Its name when opened. */
  fileName: string;
  /** Its name in the zip. */
  zipName: string;
  how: 'formatted' | 'as-is';
  /** In libvirt's format: what that changes (summarizeChanges); as it is: why it goes so. */
  notes: string[];
}

/** What Export all will write, worked out (in the workers) before anything is written. */
export interface ExportPlan {
  entries: ExportEntry[];
  /** Files whose name in the zip is not the name they were opened under, and why. */
  renamed: ZipRename[];
  /** What each entry holds, by id. */
  data: Map<string, { text?: string; bytes?: Uint8Array }>;
  /**
   * Each VM's redefine script beside the files it names, and what it redefines and leaves out:
   * with several VMs, each VM's files and script in a folder of its own.
   */
  scripts: ExportScript[];
}

/** One VM's redefine script in the zip. */
export interface ExportScript {
  /** The VM's key and what the page calls it. */
  vm: string;
  label: string;
  zipName: string;
  text: string;
  plan: RedefinePlan;
}

/** A VM's chain as the redefine plan and script read it. */
type ChainOf = Pick<EditorState, 'forest' | 'rows' | 'idByFile'>;

/** Each VM's folder in the zip (`NAME/`): its name as any system can hold it, two never alike. */
function vmFolders(labels: readonly string[]): string[] {
  const { names } = zipEntryNames(labels.map((l) => safeFileName(l)));
  return names.map((n) => `${n}/`);
}

/** The redefine script's file name: the VM's, written as any system can hold it. */
export function redefineScriptName(s: Pick<EditorState, 'forest'>): string {
  return safeFileName(`redefine-${forestDomainName(s.forest) ?? 'checkpoints'}.sh`);
}

export interface ExportedZip {
  zip: Uint8Array;
  /** The files in the zip, VM by VM in the tree's order, then each VM's redefine script. */
  fileNames: string[];
}

/**
 * Works out Export all: every open file, in the tree's order, under its name in the zip; a
 * checkpoint libvirt would redefine in libvirt's format (the export options applied), with what
 * that changes; a file with errors, or one that cannot be read, as it is, byte for byte. Nothing
 * is written yet: the page shows the plan first. Formatting runs in the workers.
 */
export async function planExportAll(store: EditorStore): Promise<ExportPlan> {
  const s = store.getState();
  // Every VM, each with its chain; one VM's files at the top of the zip, as ever.
  const chains: (ChainOf & { key: string; label: string })[] = s.vms.map((vm) => ({
    key: vm.key,
    label: vm.label,
    forest: vm.forest,
    rows: vm.rows,
    idByFile: vm.idByFile,
  }));
  const folders = chains.length > 1 ? vmFolders(chains.map((c) => c.label)) : [''];
  const docs = chains
    .flatMap((c) => c.rows)
    .map((row) => s.documents[row.id])
    .filter((d): d is CheckpointDocument => d !== undefined);
  const label = `Formatting ${docs.length.toLocaleString('en')} checkpoints for the zip`;
  const progress = (done: number, total: number) =>
    store.getState().setActivity('export', { label, done, total });
  const errorsOf = (id: string) =>
    (s.problemsById[id] ?? []).filter((p) => p.severity === 'error').length;
  const toFormat = docs.filter((d) => errorsOf(d.id) === 0);
  progress(0, toFormat.length);
  try {
    const formatted = await store.services.corePool().run(
      {
        kind: 'format',
        files: toFormat.map((d) => ({ fileName: d.fileName, text: d.text })),
        options: formatOptionsOf(s.exportOptions),
      },
      progress,
    );
    const byId = new Map(toFormat.map((d, i) => [d.id, formatted[i]]));
    const names = new Map<string, string>();
    const renamed: ZipRename[] = [];
    chains.forEach((c, i) => {
      const folder = folders[i] as string;
      const own = zipNamesOf(c.rows);
      for (const [id, name] of own.byId) names.set(id, folder + name);
      for (const r of own.renamed) renamed.push({ ...r, to: folder + r.to });
    });
    const entries: ExportEntry[] = [];
    const data: ExportPlan['data'] = new Map();
    for (const doc of docs) {
      const zipName = names.get(doc.id) ?? doc.fileName;
      const f = byId.get(doc.id);
      if (f && 'text' in f) {
        entries.push({
          id: doc.id,
          fileName: doc.fileName,
          zipName,
          how: 'formatted',
          notes: f.changes,
        });
        data.set(doc.id, { text: f.text });
        continue;
      }
      const errors = errorsOf(doc.id);
      const unreadable = (s.problemsById[doc.id] ?? []).some((p) => UNREADABLE.test(p.code));
      const reason =
        f || unreadable
          ? 'cannot be read as a checkpoint'
          : `${errors === 1 ? 'an error' : `${errors} errors`} for which libvirt would refuse it`;
      entries.push({ id: doc.id, fileName: doc.fileName, zipName, how: 'as-is', notes: [reason] });
      data.set(doc.id, { bytes: bytesOf(doc) });
    }
    const inZip = new Set(entries.map((e) => e.zipName));
    const scripts = chains.map((c, i): ExportScript => {
      // Each VM's own target definition: the script checks its uuid and disks' images.
      const target = s.targets[c.key] ?? null;
      const chain = {
        ...c,
        problemsById: s.problemsById,
        redefineValidate: s.redefineValidate,
        target,
      };
      const plan = selectRedefinePlan(chain);
      const folder = folders[i] as string;
      let scriptName = redefineScriptName(c);
      for (let n = 2; inZip.has(folder + scriptName); n++)
        scriptName = scriptName.replace(/( \(\d+\))?\.sh$/, ` (${n}).sh`);
      return {
        vm: c.key,
        label: c.label,
        zipName: folder + scriptName,
        text: selectRedefineScript(chain, plan),
        plan,
      };
    });
    return {
      entries,
      renamed: renamed.filter((r) => inZip.has(r.to)),
      data,
      scripts,
    };
  } finally {
    store.getState().setActivity('export', null);
  }
}

/**
 * One file in libvirt's format (the export options applied), formatted in a worker: for a file
 * too large to read on the page, whose checkpoint the page holds only in part (its <domain> cut
 * to a name and uuid). Undefined when it cannot be read.
 */
export async function formatInWorker(store: EditorStore, id: string): Promise<string | undefined> {
  const s = store.getState();
  const doc = s.documents[id];
  if (!doc) return undefined;
  const [formatted] = await store.services.corePool().run({
    kind: 'format',
    files: [{ fileName: doc.fileName, text: doc.text }],
    options: formatOptionsOf(s.exportOptions),
  });
  return formatted && 'text' in formatted ? formatted.text : undefined;
}

/** Writes the zip of a plan the operator has seen; each file counts as exported as it stood then. */
export async function zipExportPlan(store: EditorStore, plan: ExportPlan): Promise<ExportedZip> {
  store.getState().setActivity('export', { label: 'Compressing the zip', done: 0, total: 1 });
  try {
    const files = [
      ...plan.entries.map((e) => ({ fileName: e.zipName, ...plan.data.get(e.id) })),
      ...plan.scripts.map((sc) => ({ fileName: sc.zipName, text: sc.text, executable: true })),
    ];
    const zip = await store.services.corePool().run({ kind: 'zip', files });
    const s = store.getState();
    const written: Record<string, string> = {};
    for (const e of plan.entries) {
      const doc = s.documents[e.id];
      if (doc) written[e.id] = doc.text;
    }
    s.markAllExported(written);
    return { zip, fileNames: files.map((f) => f.fileName) };
  } finally {
    store.getState().setActivity('export', null);
  }
}
