import type { ScriptExcerpt } from '../core/index.ts';

/** A repair script as written: the whole of it, and what the page shows of it. */
export interface WrittenScript {
  /** All of it, as Download and Copy give it: its text, or as a Blob when large. */
  whole: string | Blob;
  /** All of a small script (`head`); the beginning, and the plan's, of a large one. */
  excerpt: ScriptExcerpt;
}
