import type { Problem } from '../core/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { startJob } from './job.ts';
import type { Job, SchemaValidator } from './services.ts';
import type { EditorState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';
import type { SchemaResult } from './validation-slice.ts';

/** Typing pauses this long before a document is validated again. */
const VALIDATE_DEBOUNCE_MS = 250;

/** The documents whose text has no verdict from the schema set in use. */
function staleDocuments(s: EditorState): CheckpointDocument[] {
  return s.documentOrder
    .map((id) => s.documents[id])
    .filter((d): d is CheckpointDocument => {
      if (!d) return false;
      const r = s.schemaResults[d.id];
      return !r || r.text !== d.text || r.generation !== s.schemaSet.generation;
    });
}

/**
 * Keeps every document's schema verdict current: after each change (debounced) it sends the
 * documents whose text has no verdict yet to the validator in one run, then stores the verdicts
 * that still match. A folder is validated while it is read: each run takes the files read so far.
 */
export function startSchemaValidation(
  store: EditorStore,
  validatorFor: () => SchemaValidator | undefined,
  debounceMs = VALIDATE_DEBOUNCE_MS,
): Job {
  const run = async () => {
    const validator = validatorFor();
    const batch = staleDocuments(store.getState());
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
  return startJob(store, {
    triggers: (s, prev) =>
      s.documents !== prev.documents ||
      s.schemaSet.generation !== prev.schemaSet.generation ||
      s.schemaSet.status !== prev.schemaSet.status,
    debounceMs,
    run,
    // Every document has a verdict on its current text.
    pending: () => validatorFor() !== undefined && staleDocuments(store.getState()).length > 0,
    runAtStart: true,
  });
}
