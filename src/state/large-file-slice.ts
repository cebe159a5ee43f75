import type { StateCreator } from 'zustand';
import type { CheckpointFieldEdit, RedefineProfile, RuleVerdict } from '../core/index.ts';
import { applyCheckpointEdit } from '../core/index.ts';
import type { DocumentCheck } from './derive-chain.ts';
import type { ExportOptions } from './export-slice.ts';
import type { CheckpointDocument, CheckpointEdit } from './documents-slice.ts';
import type { EditorMutators, EditorState } from './editor-state.ts';
import { isLargeFile, isOffPage } from './large-file-limits.ts';

/** A worker's reading of one text of an off-page document: what the editor shows of it. */
export interface Inspection {
  text: string;
  profile: RedefineProfile;
  /** The export options its list of what libvirt's format changes was made under. */
  exportOptions: ExportOptions;
  check: DocumentCheck;
}

/** Form edits of a document, in order; each field's last edit only. */
export type FieldEdits = readonly CheckpointFieldEdit[];

/**
 * Form edits of an off-page document not yet read back: the checkpoint as the form left it (shown
 * at once) and the edits, written into the text by a worker.
 */
export interface FormEdit {
  /** The document's text these edits go into. */
  text: string;
  /**
   * Every field edit since the last reading. Each sets a field to a value, so making them again in
   * a text that holds some of them already gives the same text.
   */
  edits: FieldEdits;
  /** The edits handed to a worker last, and those the text now holds. */
  sent?: FieldEdits;
  written?: FieldEdits;
  /** What the form shows meanwhile; none for edits replayed from the journal (read once written). */
  check?: DocumentCheck;
}

export interface LargeFileSlice {
  inspections: Record<string, Inspection>;
  formEdits: Record<string, FormEdit>;
  /** Large files the operator chose to edit all the same. */
  editableLarge: Record<string, true>;
  /** Large files whose XML source the operator asked to see. */
  shownSources: Record<string, true>;
  /** A worker's reading of a text, with libvirt's verdict on it under the rules named by `rulesKey`. */
  applyInspection: (
    id: string,
    inspection: Inspection,
    verdict: RuleVerdict,
    rulesKey: string,
  ) => void;
  /** A form edit of an off-page document: shown at once, written into its text by a worker. */
  editOffPage: (id: string, edit: CheckpointEdit) => void;
  markFormEditSent: (id: string, edits: FieldEdits) => void;
  /**
   * The text a worker wrote for `edits`, read again (its reading and verdict come with it), if
   * the document still holds the text it started from.
   */
  applyFormEdit: (
    id: string,
    from: string,
    edits: FieldEdits,
    written: { inspection: Inspection; verdict: RuleVerdict; rulesKey: string },
  ) => void;
  /** Forgets form edits a worker could not write (the text is left as it was). */
  discardFormEdit: (id: string) => void;
  allowEditing: (id: string) => void;
  showSource: (id: string) => void;
}

// This slice's part of the editor's state.
declare module './editor-state.ts' {
  interface EditorState extends LargeFileSlice {}
}

/** Which field an edit sets: a later edit of the same field makes an earlier one needless. */
const fieldOf = (edit: CheckpointFieldEdit): string =>
  edit.field === 'disk-checkpoint' || edit.field === 'disk-bitmap'
    ? `${edit.field} ${edit.disk}`
    : edit.field;

/** The edits with one more: each field's last edit only, so a worker parses the text fewer times. */
function withEdit(edits: FieldEdits, edit: CheckpointFieldEdit): FieldEdits {
  const field = fieldOf(edit);
  return [...edits.filter((e) => fieldOf(e) !== field), edit];
}

/** The reading of a document's current text under the profile in force, if there is one. */
function inspectionOf(s: EditorState, doc: CheckpointDocument): Inspection | undefined {
  const found = s.inspections[doc.id];
  return found && found.text === doc.text && found.profile === s.profile ? found : undefined;
}

/** The form edit that goes into a document's current text, if any. */
function formEditOf(s: EditorState, doc: CheckpointDocument): FormEdit | undefined {
  const found = s.formEdits[doc.id];
  return found && found.text === doc.text ? found : undefined;
}

/** The readings of open documents, this one's new. */
function withInspection(
  s: EditorState,
  id: string,
  inspection: Inspection,
): Record<string, Inspection> {
  const inspections: Record<string, Inspection> = {};
  for (const [other, kept] of Object.entries(s.inspections)) {
    if (s.documents[other]) inspections[other] = kept;
  }
  inspections[id] = inspection;
  return inspections;
}

function without<T>(record: Record<string, T>, id: string): Record<string, T> {
  const next = { ...record };
  delete next[id];
  return next;
}

export const createLargeFileSlice: StateCreator<EditorState, EditorMutators, [], LargeFileSlice> = (
  set,
  get,
) => ({
  inspections: {},
  formEdits: {},
  editableLarge: {},
  shownSources: {},

  applyInspection: (id, inspection, verdict, rulesKey) => {
    const s = get();
    if (s.documents[id]?.text !== inspection.text) return;
    const edit = s.formEdits[id];
    const done = edit && edit.text === inspection.text && edit.written === edit.edits;
    set({
      inspections: withInspection(s, id, inspection),
      formEdits: done ? without(s.formEdits, id) : s.formEdits,
      ruleResults: { ...s.ruleResults, [id]: { text: inspection.text, rulesKey, verdict } },
    });
  },

  editOffPage: (id, edit) => {
    const s = get();
    const doc = s.documents[id];
    if (!doc) return;
    const pending = formEditOf(s, doc);
    const base = pending?.check ?? inspectionOf(s, doc)?.check;
    if (!base?.checkpoint) return;
    const next = applyCheckpointEdit(base.checkpoint, edit);
    const formEdit: FormEdit = {
      text: doc.text,
      edits: withEdit(pending?.edits ?? [], edit),
      check: { ...base, checkpoint: next },
    };
    if (pending?.sent) formEdit.sent = pending.sent;
    if (pending?.written) formEdit.written = pending.written;
    set({ formEdits: { ...s.formEdits, [id]: formEdit } });
  },

  markFormEditSent: (id, edits) => {
    const edit = get().formEdits[id];
    if (edit) set({ formEdits: { ...get().formEdits, [id]: { ...edit, sent: edits } } });
  },

  applyFormEdit: (id, from, edits, { inspection, verdict, rulesKey }) => {
    const s = get();
    const doc = s.documents[id];
    const edit = s.formEdits[id];
    if (!doc || !edit || doc.text !== from || edit.text !== from) return;
    const text = inspection.text;
    // Typed on meanwhile: those edits go into the new text next; else the reading shows it all.
    const formEdits =
      edit.edits === edits
        ? without(s.formEdits, id)
        : { ...s.formEdits, [id]: { ...edit, text, written: edits } };
    set({
      ...(text === doc.text ? {} : { documents: { ...s.documents, [id]: { ...doc, text } } }),
      formEdits,
      inspections: withInspection(s, id, inspection),
      ruleResults: { ...s.ruleResults, [id]: { text, rulesKey, verdict } },
    });
  },

  discardFormEdit: (id) => {
    if (get().formEdits[id]) set({ formEdits: without(get().formEdits, id) });
  },

  allowEditing: (id) => set({ editableLarge: { ...get().editableLarge, [id]: true } }),
  showSource: (id) => set({ shownSources: { ...get().shownSources, [id]: true } }),
});

/**
 * What the editor shows of an off-page document: the form's pending edit, else the workers'
 * reading of its text; undefined while a worker reads it.
 */
export function selectOffPageCheck(
  s: EditorState,
  doc: CheckpointDocument,
): DocumentCheck | undefined {
  return formEditOf(s, doc)?.check ?? inspectionOf(s, doc)?.check;
}

/** Whether an off-page document needs a worker's reading of its current text. */
export function needsInspection(s: EditorState, doc: CheckpointDocument): boolean {
  if (!isOffPage(doc)) return false;
  if (inspectionOf(s, doc)?.exportOptions === s.exportOptions) return false;
  // Edits still on their way into the text: it is read once they are in.
  const edit = formEditOf(s, doc);
  return !edit || edit.written === edit.edits;
}

/**
 * Whether the large-file service brings this document's verdict with its reading (it is selected
 * and not yet read, or a form edit is on its way into it): the rule checks leave it alone.
 */
export function readByLargeFileService(s: EditorState, doc: CheckpointDocument): boolean {
  if (!isOffPage(doc)) return false;
  if (formEditOf(s, doc)) return true;
  return s.selectedId === doc.id && needsInspection(s, doc);
}

/** Form edits not yet handed to a worker, and the text they go into. */
export function unsentFormEdits(s: EditorState): [string, FormEdit][] {
  return Object.entries(s.formEdits).filter(([id, edit]) => {
    const doc = s.documents[id];
    return doc !== undefined && edit.text === doc.text && edit.sent !== edit.edits;
  });
}

/** A large file not yet made editable: its form is read-only. */
export function selectLargeReadOnly(s: EditorState, id: string): boolean {
  const doc = s.documents[id];
  return doc !== undefined && isLargeFile(doc) && !s.editableLarge[id];
}

/** Whether a document's XML source is shown: a large file's only once asked for. */
export function selectSourceShown(s: EditorState, id: string): boolean {
  const doc = s.documents[id];
  return doc === undefined || !isLargeFile(doc) || s.shownSources[id] === true;
}
