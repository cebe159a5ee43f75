import type { Problem } from '../core/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import type { EditorStore } from './store.ts';
import type { SchemaResult } from './validation-slice.ts';

/** The validation layer's client as the store uses it: many files per run, off the main thread. */
export interface SchemaValidator {
  validate(
    files: { fileName: string; contents: string }[],
  ): Promise<{ fileName: string; valid: boolean; problems: Problem[] }[]>;
  close(): void;
}

/** Typing pauses this long before a document is validated again. */
export const VALIDATE_DEBOUNCE_MS = 250;

/**
 * Keeps every document's schema verdict current: after each change (debounced) it sends the
 * documents whose text has no verdict yet to the validator in one run, then stores the verdicts
 * that still match. One run at a time; changes during a run start another after it.
 */
export function startSchemaValidation(
  store: EditorStore,
  validatorFor: () => SchemaValidator | undefined,
  debounceMs = VALIDATE_DEBOUNCE_MS,
): { stop: () => void; flush: () => Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  const stale = (): CheckpointDocument[] => {
    const s = store.getState();
    return s.documentOrder
      .map((id) => s.documents[id])
      .filter((d): d is CheckpointDocument => {
        if (!d) return false;
        const r = s.schemaResults[d.id];
        return !r || r.text !== d.text || r.generation !== s.schemaSet.generation;
      });
  };

  const runOnce = async () => {
    // A folder still opening is validated once it is all there: the tree comes first.
    if (store.getState().activities.open) return;
    const validator = validatorFor();
    const batch = stale();
    if (!validator || batch.length === 0) return;
    const generation = store.getState().schemaSet.generation;
    const results: Record<string, SchemaResult> = {};
    try {
      const verdicts = await validator.validate(
        batch.map((d) => ({ fileName: d.fileName, contents: d.text })),
      );
      const byFile = new Map(verdicts.map((v) => [v.fileName, v]));
      batch.forEach((doc, i) => {
        const verdict = byFile.get(doc.fileName) ?? verdicts[i];
        const problems = (verdict?.problems ?? []).map((p) => ({ ...p, file: doc.fileName }));
        results[doc.id] = { text: doc.text, generation, problems };
      });
    } catch (e) {
      const message = `schema validation failed: ${(e as Error).message}`;
      for (const doc of batch) {
        const problems: Problem[] = [
          { code: 'schema-unavailable', severity: 'warning', message, file: doc.fileName },
        ];
        results[doc.id] = { text: doc.text, generation, problems };
      }
    }
    const now = store.getState();
    if (now.schemaSet.generation !== generation) return;
    // A verdict on a text that changed while it ran is dropped: the next run checks the new text.
    for (const doc of batch) if (now.documents[doc.id]?.text !== doc.text) delete results[doc.id];
    now.applySchemaResults(results);
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = runOnce().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void run();
      }
    });
    return running;
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void run(), debounceMs);
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (
      s.documents !== prev.documents ||
      s.schemaSet.generation !== prev.schemaSet.generation ||
      s.schemaSet.status !== prev.schemaSet.status ||
      (prev.activities.open !== undefined && s.activities.open === undefined)
    ) {
      schedule();
    }
  });
  schedule();

  return {
    stop: () => {
      unsubscribe();
      clearTimeout(timer);
    },
    /** Resolves once every document has a verdict on its current text. */
    flush: async () => {
      do {
        clearTimeout(timer);
        await run();
        while (running) await running;
      } while (validatorFor() && stale().length);
    },
  };
}
