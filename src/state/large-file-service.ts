import type { CorePool } from '../workers/index.ts';
import { libvirtTextOf } from './documents-slice.ts';
import { vmOf } from './vm-key.ts';
import { formatOptionsOf } from './export-slice.ts';
import { startJob } from './job.ts';
import { needsInspection, unsentFormEdits } from './large-file-slice.ts';
import { selectRuleSet, selectRulesKey } from './rules-slice.ts';
import { selectSelectedDocument } from './selection-slice.ts';
import type { Job } from './services.ts';
import type { EditorState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';

/** Typing in a form pauses this long before a large file's text is written again. */
const WRITE_DEBOUNCE_MS = 150;

/** The selected document, when it is off the page and has no reading of its text yet. */
function toInspect(s: EditorState) {
  const doc = selectSelectedDocument(s);
  return doc && needsInspection(s, doc) ? doc : undefined;
}

/**
 * Keeps what the editor needs of an off-page document (one too large to read on the page) coming
 * from the workers: the selected one's reading (the checkpoint, libvirt's redefine result, the
 * problems), and the form's edits written into its text. The page only hands texts over.
 */
export function startLargeFileService(
  store: EditorStore,
  pool: () => CorePool = () => store.services.corePool(),
): Job[] {
  const inspect = startJob(store, {
    triggers: (s, prev) =>
      s.selectedId !== prev.selectedId ||
      s.documents !== prev.documents ||
      s.profile !== prev.profile ||
      s.exportOptions !== prev.exportOptions ||
      s.formEdits !== prev.formEdits,
    debounceMs: 0,
    run: async () => {
      const s = store.getState();
      const doc = toInspect(s);
      if (!doc) return;
      const { profile, exportOptions } = s;
      const rulesKey = selectRulesKey(s, vmOf(doc));
      const [read] = await pool().run({
        kind: 'inspect',
        files: [{ fileName: doc.fileName, text: libvirtTextOf(doc) }],
        rules: selectRuleSet(s, vmOf(doc)),
        options: formatOptionsOf(exportOptions),
      });
      if (!read) return;
      const inspection = { text: doc.text, profile, exportOptions, check: read.inspection };
      store.getState().applyInspection(doc.id, inspection, read.verdict, rulesKey);
    },
    pending: () => toInspect(store.getState()) !== undefined,
    runAtStart: true,
  });

  const write = startJob(store, {
    triggers: (s, prev) => s.formEdits !== prev.formEdits || s.documents !== prev.documents,
    debounceMs: WRITE_DEBOUNCE_MS,
    run: async () => {
      for (const [id, edit] of unsentFormEdits(store.getState())) {
        const doc = store.getState().documents[id];
        if (!doc) continue;
        const { text, edits } = edit;
        const s = store.getState();
        const { profile, exportOptions } = s;
        const rulesKey = selectRulesKey(s, vmOf(doc));
        s.markFormEditSent(id, edits);
        const [outcome] = await pool().run({
          kind: 'edit',
          files: [{ fileName: doc.fileName, text }],
          edits: [...edits],
          rules: selectRuleSet(s, vmOf(doc)),
          options: formatOptionsOf(exportOptions),
        });
        if (outcome && 'text' in outcome) {
          const check = outcome.inspection;
          const inspection = { text: outcome.text, profile, exportOptions, check };
          const { verdict } = outcome;
          store.getState().applyFormEdit(id, text, edits, { inspection, verdict, rulesKey });
        } else store.getState().discardFormEdit(id);
      }
    },
    pending: () => unsentFormEdits(store.getState()).length > 0,
    // Edits replayed from the journal at load are there before the service starts.
    runAtStart: true,
  });
  // A tab asked to let the session go writes the edits under way first (session-tabs.ts).
  store.services.editWriter = write;
  return [inspect, write];
}
