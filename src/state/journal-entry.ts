import type { FieldEdits } from './large-file-slice.ts';

/** A large file's form edits as journalled: the texts they go into, by length and hash. */
export interface JournalEntry {
  version: 1;
  id: string;
  fileName: string;
  /** The texts these edits go into: each sets a field, so any of them gives the same text. */
  bases: string[];
  edits: FieldEdits;
}

/** What this tab journalled of one document: its last entry, and the text its last base names. */
export interface Journalled {
  entry: JournalEntry;
  text: string;
}
