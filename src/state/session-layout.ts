import type { RedefineProfile } from '../core/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import type { ExportOptions } from './export-slice.ts';
import type { SameName } from './open-slice.ts';
import type { SavedVms } from './saved-vms.ts';
import { savedVmsOf } from './saved-vms.ts';
import type { EditorState } from './editor-state.ts';

/**
 * What survives a reload: the files, their edits, and the choices made about them. Each document
 * is its own entry, written in its own transaction, so a keystroke saves one file, and a file the
 * browser refuses (its storage full) does not keep the others from being saved.
 */
export interface SavedSession {
  version: 2;
  order: string[];
  selectedId: string | null;
  profile: RedefineProfile;
  /** Whether the operator chose the profile; else the loaded schemas' libvirt decides it. */
  profileChosen?: boolean;
  exportOptions: ExportOptions;
  redefineValidate?: boolean;
  /** Whether times show the browser's local time beside UTC. */
  localTime?: boolean;
  /** Each VM's definitions, target and disk images (saved-vms.ts). */
  vms?: SavedVms;
  /** Files held back under an open file's name, the question not yet answered: asked again. */
  sameNames?: SameName[];
}

export interface SavedDocument {
  doc: CheckpointDocument;
  /** The text when opened or last exported; absent when it is the document's text (stored once). */
  savedText?: string;
}

/** The first version kept everything in one entry. */
export interface SavedSessionV1 {
  version: 1;
  documents: CheckpointDocument[];
  savedTexts: Record<string, string>;
  selectedId: string | null;
  profile: RedefineProfile;
  exportOptions: ExportOptions;
}

export const SESSION_KEY = 'session-v2';
export const SESSION_V1_KEY = 'session';
export const DOC_PREFIX = 'doc:';
export const docKey = (id: string) => `${DOC_PREFIX}${id}`;

export type Settings = Omit<SavedSession, 'version' | 'order'>;

export function sessionEntry(s: EditorState): SavedSession {
  return {
    version: 2,
    order: s.documentOrder.filter((id) => s.documents[id] !== undefined),
    selectedId: s.selectedId,
    profile: s.profile,
    profileChosen: s.profileChosen,
    exportOptions: s.exportOptions,
    redefineValidate: s.redefineValidate,
    localTime: s.localTime,
    ...(savedVmsOf(s) ? { vms: savedVmsOf(s) } : {}),
    ...(s.sameNames.length > 0 ? { sameNames: s.sameNames } : {}),
  };
}

/** Each object a number of its own, for as long as it lives. */
export interface Identities {
  ids: WeakMap<object, number>;
  next: number;
}

/**
 * The session's entry as a save compares it with the one last written: its JSON, but each VM's
 * image files' descriptions named by identity (the store replaces them, never changes them). Their
 * JSON, 200,000 bitmaps, held the page 80-140 ms at each save and at each look for unsaved work.
 */
export function sessionEntryKey(session: SavedSession, identities: Identities): string {
  const vms = session.vms;
  if (!vms) return JSON.stringify(session);
  const idOf = (o: object) => {
    let id = identities.ids.get(o);
    if (id === undefined) identities.ids.set(o, (id = identities.next++));
    return id;
  };
  const imagesByVm: Record<string, [string, number][]> = {};
  for (const [vm, files] of Object.entries(vms.imagesByVm)) {
    imagesByVm[vm] = files.map((f) => [f.fileName, idOf('info' in f ? f.info : f.packed)]);
  }
  return JSON.stringify({ ...session, vms: { ...vms, imagesByVm } });
}

/** A document as saved: the file and the text it was opened or last exported with. */
export type DocEntry = { doc: CheckpointDocument; savedText: string };
