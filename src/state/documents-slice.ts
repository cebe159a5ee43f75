import type { StateCreator } from 'zustand';
import type { CheckpointFieldEdit } from '../core/index.ts';
import { copyRecord, editCheckpointText, fileBaseName } from '../core/index.ts';
import { markWork } from './form-drafts.ts';
import { isOffPage } from './large-file-limits.ts';
import { currentVmKey, DEFAULT_VM, vmOf } from './vm-key.ts';
import type { OpenedFile, SkippedFile } from './open-slice.ts';
import type { RuleResult } from './rules-slice.ts';
import type { SchemaResult } from './validation-slice.ts';
import type { EditorMutators, EditorState, UndoHistory } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';
import { inOneUndoStep } from './undo-step.ts';

export type DocumentOrigin = 'file' | 'paste' | 'example';

/**
 * One open checkpoint file. Its text is the single source of truth: the forms, the XML source view,
 * validation and export all derive from it.
 */
export interface CheckpointDocument {
  id: string;
  fileName: string;
  text: string;
  origin: DocumentOrigin;
  /** The VM it belongs to, answered when it was opened (core's groupByVm key). */
  vm?: string;
  /** Its path as offered (folder included), when it came from a folder or a bundle. */
  path?: string;
  /**
   * The file as read, when its text does not give it back (another encoding, a byte order mark):
   * its bytes, for Export as it is, and libvirt's reading of them, which differs from the text's.
   */
  original?: { text: string; bytes: Uint8Array; libvirtText: string };
}

/** The text libvirt reads of a document: of its bytes while it is as read, else of its text. */
export function libvirtTextOf(doc: CheckpointDocument): string {
  return doc.original && doc.original.text === doc.text ? doc.original.libvirtText : doc.text;
}

/** A document's bytes as Export as it is writes them: the file's own while it is as read. */
export function bytesOf(doc: CheckpointDocument): Uint8Array {
  return doc.original && doc.original.text === doc.text
    ? doc.original.bytes
    : new TextEncoder().encode(doc.text);
}

/** A form edit: the checkpoint as the form leaves it. */
export type CheckpointEdit = CheckpointFieldEdit;

export interface DocumentsSlice {
  documents: Record<string, CheckpointDocument>;
  documentOrder: string[];
  /** Each document's text when opened or last exported; outside undo, so undoing back to it is clean. */
  savedTexts: Record<string, string>;
  /** Opens files as new documents (unedited examples make way for the operator's own files). */
  openDocuments: (
    files: readonly OpenedFile[],
    origin: DocumentOrigin,
    skipped?: SkippedFile[],
  ) => string[];
  /** More files of an open in progress: added after the others, the selection left as it is. */
  appendDocuments: (files: readonly OpenedFile[], origin: DocumentOrigin) => string[];
  /** A source edit: the text as typed, readable or not. */
  updateText: (id: string, text: string) => void;
  /** A form edit: parse, apply, and write the text back in virsh's layout, keeping all it held. */
  editCheckpoint: (id: string, edit: CheckpointEdit) => void;
  closeDocument: (id: string) => void;
  /**
   * Closes every file, and all the opens brought with them (VM definitions, target VMs, disk
   * images' state, backup files, held-back files, the skipped list): one step of undo.
   */
  closeAllDocuments: () => void;
  markExported: (id: string) => void;
  /** After an export of all: each document's text as it was when written. */
  markAllExported: (texts: Record<string, string>) => void;
  /**
   * Whether any document has changes never exported: derived, worked out again by
   * `updateUnexported` when the documents or their saved texts change (the store calls it).
   */
  hasUnexported: boolean;
  updateUnexported: () => void;
  /** The VM of each document named, as a grouping of the whole open found it at its end. */
  assignVms: (vms: Readonly<Record<string, string>>) => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends DocumentsSlice {}
}

/** How a form edit writes a checkpoint back: nothing the model holds is dropped. */
export const KEEP_ALL = { securityInfo: true, size: true } as const;

/** What a file is known by within its VM: core's rule, shared with the CLI. */
export const baseName = fileBaseName;

/** File names taken, by VM: two documents of a VM never share one, so problems name exactly one. */
type TakenNames = Map<string, Set<string>>;

function takenNames(
  documents: Record<string, CheckpointDocument>,
  ids: readonly string[],
): TakenNames {
  const taken: TakenNames = new Map();
  for (const id of ids) {
    const doc = documents[id];
    if (doc) namesOf(taken, vmOf(doc)).add(doc.fileName);
  }
  return taken;
}

function namesOf(taken: TakenNames, vm: string): Set<string> {
  let names = taken.get(vm);
  if (!names) taken.set(vm, (names = new Set()));
  return names;
}

/** Two open documents of a VM never share a file name, so problems name exactly one. */
function uniqueFileName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  const dot = wanted.toLowerCase().endsWith('.xml') ? wanted.length - 4 : wanted.length;
  for (let n = 2; ; n++) {
    const candidate = `${wanted.slice(0, dot)} (${n})${wanted.slice(dot)}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** One new document into the records being built: a unique file name, its text, its verdict. */
function addDocument(
  id: string,
  file: OpenedFile,
  origin: DocumentOrigin,
  documents: Record<string, CheckpointDocument>,
  taken: TakenNames,
  vm: string,
  savedTexts: Record<string, string>,
  ruleResults: Record<string, RuleResult>,
  schemaResults: Record<string, SchemaResult>,
): string {
  const wanted = baseName(file.fileName);
  const names = namesOf(taken, vm);
  const fileName = uniqueFileName(wanted, names);
  names.add(fileName);
  documents[id] = { id, fileName, text: file.contents, origin, vm };
  if (file.path !== undefined && file.path !== fileName) {
    documents[id] = { ...(documents[id] as CheckpointDocument), path: file.path };
  }
  if (file.original) {
    documents[id] = {
      ...(documents[id] as CheckpointDocument),
      original: { text: file.contents, ...file.original },
    };
  }
  savedTexts[id] = file.contents;
  // The worker named problems by the file's own name: a renamed one is checked again.
  if (file.verdict && fileName === wanted) {
    ruleResults[id] = { text: file.contents, ...file.verdict };
  }
  // xmllint's verdict does not rest on the name: problems name the file as the document is named.
  if (file.schema) {
    const problems = file.schema.problems.map((p) => ({ ...p, file: fileName }));
    schemaResults[id] = { text: file.contents, generation: file.schema.generation, problems };
  }
  return id;
}

/** The schema verdicts to add the files' to: a copy where any file brings one, else the same record. */
function schemaResultsFor(
  files: readonly OpenedFile[],
  schemaResults: Record<string, SchemaResult>,
): Record<string, SchemaResult> {
  return files.some((f) => f.schema) ? copyRecord(schemaResults) : schemaResults;
}

export function isUnexported(doc: CheckpointDocument, savedTexts: Record<string, string>): boolean {
  return doc.text !== savedTexts[doc.id];
}

/** The entries of `record` whose id is kept. */
function only<T>(record: Record<string, T>, keep: (id: string) => boolean): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [id, value] of Object.entries(record)) if (keep(id)) out[id] = value;
  return out;
}

export const createDocumentsSlice: StateCreator<EditorState, EditorMutators, [], DocumentsSlice> = (
  set,
  get,
  api,
) => {
  /**
   * What a close leaves: the rules' and the schema's verdicts of open files only (an undone close
   * checks its files again), and the saved texts of the files an undo or redo can still bring back,
   * so that one comes back as clean as it went.
   */
  const afterClose = (documents: Record<string, CheckpointDocument>) => {
    const s = get();
    const history = (api as unknown as { temporal: UndoHistory }).temporal.getState();
    const orders = new Set([s.documentOrder]);
    for (const step of [...history.pastStates, ...history.futureStates]) {
      if (step.documentOrder) orders.add(step.documentOrder);
    }
    const reachable = new Set<string>();
    for (const order of orders) for (const id of order) reachable.add(id);
    return {
      savedTexts: only(s.savedTexts, (id) => reachable.has(id)),
      ruleResults: only(s.ruleResults, (id) => documents[id] !== undefined),
      schemaResults: only(s.schemaResults, (id) => documents[id] !== undefined),
    };
  };

  // Ids are the store's own: two stores never hand out the same.
  let nextId = 1;
  // The file names an append left taken, for the next while the documents are those it left (a
  // folder's next files: 10,000 names taken again at each growth of the tree held the page).
  // What an append left, for updateUnexported: nothing it added has changes.
  let appendedKnown:
    | {
        documents: Record<string, CheckpointDocument>;
        documentOrder: string[];
        savedTexts: Record<string, string>;
      }
    | undefined;
  let takenKnown:
    | { documents: Record<string, CheckpointDocument>; documentOrder: string[]; taken: TakenNames }
    | undefined;
  const newId = () => `doc-${Date.now().toString(36)}-${(nextId++).toString(36)}`;
  return {
    documents: {},
    documentOrder: [],
    savedTexts: {},
    hasUnexported: false,

    updateUnexported: () => {
      const s = get();
      // An append adds files as read: whether any has changes stays as it was.
      const known = appendedKnown;
      appendedKnown = undefined;
      if (
        known?.documents === s.documents &&
        known.documentOrder === s.documentOrder &&
        known.savedTexts === s.savedTexts
      )
        return;
      const is = s.documentOrder.some((id) => {
        const doc = s.documents[id];
        return doc !== undefined && isUnexported(doc, s.savedTexts);
      });
      if (is !== s.hasUnexported) set({ hasUnexported: is });
    },

    openDocuments: (files, origin, skipped = []) => {
      if (files.length === 0) {
        set({ skipped });
        return [];
      }
      const { documents, documentOrder, savedTexts, ruleResults } = get();
      const schemaResults = schemaResultsFor(files, get().schemaResults);
      // New files without a VM of their own join the VM on screen; with nothing open, the default.
      const s = get();
      const known = s.vms.some((v) => v.key === s.currentVm);
      const onScreen = currentVmKey(s);
      // Examples that nobody edited give way to real files, so a newcomer's first open is clean.
      const kept = documentOrder.filter((id) => {
        const doc = documents[id];
        return !(
          origin !== 'example' &&
          doc &&
          doc.origin === 'example' &&
          !isUnexported(doc, savedTexts)
        );
      });
      const next: Record<string, CheckpointDocument> = {};
      for (const id of kept) next[id] = documents[id] as CheckpointDocument;
      const taken = takenNames(next, kept);
      const opened: string[] = [];
      const saved = { ...savedTexts };
      // Verdicts of documents no longer open go; those of kept ones stay.
      const results: Record<string, RuleResult> = {};
      for (const id of kept) if (ruleResults[id]) results[id] = ruleResults[id];
      for (const file of files) {
        const vm = file.vm ?? (kept.length ? onScreen : known ? s.currentVm : DEFAULT_VM);
        opened.push(
          addDocument(newId(), file, origin, next, taken, vm, saved, results, schemaResults),
        );
      }
      set({
        documents: next,
        documentOrder: [...kept, ...opened],
        savedTexts: saved,
        ruleResults: results,
        schemaResults,
        selectedId: opened[0] ?? null,
        skipped,
      });
      return opened;
    },

    appendDocuments: (files, origin) => {
      if (files.length === 0) return [];
      const { documents, documentOrder, savedTexts, ruleResults } = get();
      const next = copyRecord(documents);
      const taken =
        takenKnown?.documents === documents && takenKnown.documentOrder === documentOrder
          ? takenKnown.taken
          : takenNames(documents, documentOrder);
      takenKnown = undefined;
      const onScreen = currentVmKey(get());
      const saved = copyRecord(savedTexts);
      const results = copyRecord(ruleResults);
      const schemaResults = schemaResultsFor(files, get().schemaResults);
      const opened = files.map((file) =>
        addDocument(
          newId(),
          file,
          origin,
          next,
          taken,
          file.vm ?? onScreen,
          saved,
          results,
          schemaResults,
        ),
      );
      const order = [...documentOrder, ...opened];
      // Read by updateUnexported, which the store calls within the set.
      appendedKnown = { documents: next, documentOrder: order, savedTexts: saved };
      set({
        documents: next,
        documentOrder: order,
        savedTexts: saved,
        ruleResults: results,
        schemaResults,
      });
      takenKnown = { documents: next, documentOrder: order, taken };
      return opened;
    },

    updateText: (id, text) => {
      const doc = get().documents[id];
      if (!doc || doc.text === text) return;
      set({ documents: { ...get().documents, [id]: { ...doc, text } } });
    },

    editCheckpoint: (id, edit) => {
      const doc = get().documents[id];
      if (!doc) return;
      markWork('document-edit');
      // Too large to read here without stopping the page: a worker writes it.
      if (isOffPage(doc)) return get().editOffPage(id, edit);
      // Only the field changes: the rest of the file stays as the operator wrote it.
      const edited = editCheckpointText(doc.text, edit);
      if (!edited.ok || edited.value === doc.text) return;
      set({ documents: { ...get().documents, [id]: { ...doc, text: edited.value } } });
    },

    closeDocument: (id) => {
      const { documents, documentOrder, selectedId } = get();
      if (!documents[id]) return;
      const rest = { ...documents };
      delete rest[id];
      const order = documentOrder.filter((d) => d !== id);
      const index = documentOrder.indexOf(id);
      const nextSelected =
        selectedId === id ? (order[Math.min(index, order.length - 1)] ?? null) : selectedId;
      set({
        documents: rest,
        documentOrder: order,
        selectedId: nextSelected,
        ...afterClose(rest),
      });
    },

    // Everything the opens brought goes with their files (a VM with nothing open leaves the list),
    // as one step: Undo brings it all back.
    closeAllDocuments: () =>
      inOneUndoStep(api as unknown as EditorStore, () =>
        set({
          documents: {},
          documentOrder: [],
          selectedId: null,
          definitions: [],
          targets: {},
          folderTargetGenerations: {},
          imagesByVm: {},
          repairShownByVm: {},
          backupFiles: {},
          backupHeaders: {},
          sameNames: [],
          skipped: [],
          ...afterClose({}),
        }),
      ),

    markExported: (id) => {
      const doc = get().documents[id];
      if (!doc || get().savedTexts[id] === doc.text) return;
      set({ savedTexts: { ...get().savedTexts, [id]: doc.text } });
    },

    assignVms: (vms) => {
      const { documents, documentOrder } = get();
      const moved = Object.keys(vms).filter(
        (id) => documents[id] && vmOf(documents[id]) !== vms[id],
      );
      if (moved.length === 0) return;
      const next = { ...documents };
      const movedSet = new Set(moved);
      const taken = takenNames(
        next,
        documentOrder.filter((id) => !movedSet.has(id)),
      );
      for (const id of moved) {
        const doc = next[id] as CheckpointDocument;
        const vm = vms[id] as string;
        const names = namesOf(taken, vm);
        const fileName = names.has(doc.fileName)
          ? uniqueFileName(doc.fileName, names)
          : doc.fileName;
        names.add(fileName);
        next[id] = { ...doc, vm, fileName };
      }
      set({ documents: next });
    },

    markAllExported: (texts) => {
      const { documents, savedTexts } = get();
      const next = { ...savedTexts };
      for (const [id, text] of Object.entries(texts)) if (documents[id]) next[id] = text;
      set({ savedTexts: next });
    },
  };
};

export const selectDocumentOrder = (s: EditorState) => s.documentOrder;

/** Whether what is open is only the example, as a first visit shows it (edits or not). */
export const selectExampleOnly = (s: EditorState): boolean =>
  s.documentOrder.length > 0 &&
  s.documentOrder.every((id) => s.documents[id]?.origin === 'example');

/** Whether any document has changes never exported (worked out when the documents change). */
export const selectHasUnexported = (s: EditorState): boolean => s.hasUnexported;
