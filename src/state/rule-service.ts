import type { CorePool } from '../workers/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { libvirtTextOf } from './documents-slice.ts';
import { vmOf } from './vm-key.ts';
import { startJob } from './job.ts';
import { readByLargeFileService } from './large-file-slice.ts';
import type { RuleResult } from './rules-slice.ts';
import { createValueSharing } from './shared-values.ts';
import { selectRuleSet, selectRulesKey } from './rules-slice.ts';
import type { Job } from './services.ts';
import type { EditorStore } from './editor-store.ts';

/**
 * Keeps libvirt's verdicts current when many documents need one at once (a new redefine profile
 * or target VM over a large folder, a restored session), or a large file does: they are checked
 * in the workers and stored together. A few small ones (an edit) are checked on the page as the
 * chain is worked out.
 */
export function startRuleChecks(
  store: EditorStore,
  pool: () => CorePool = () => store.services.corePool(),
): Job {
  const run = async () => {
    const s = store.getState();
    const ids = s.uncheckedIds;
    if (ids.length === 0) return;
    // A large file being read for the editor gets its verdict with that reading.
    const docs = ids
      .map((id) => s.documents[id])
      .filter((d): d is CheckpointDocument => d !== undefined && !readByLargeFileService(s, d));
    if (docs.length === 0) return;
    const label = `Checking ${docs.length.toLocaleString('en')} files against libvirt's rules`;
    const progress = (done: number, total: number) =>
      store.getState().setActivity('check', { label, done, total });
    progress(0, docs.length);
    try {
      // Each VM's files under its own rules (its target definition).
      const byVm = new Map<string, CheckpointDocument[]>();
      for (const d of docs) byVm.set(vmOf(d), [...(byVm.get(vmOf(d)) ?? []), d]);
      const results: Record<string, RuleResult> = {};
      const sharing = createValueSharing();
      let done = 0;
      for (const [vm, list] of byVm) {
        const rulesKey = selectRulesKey(s, vm);
        const verdicts = await pool().run(
          {
            kind: 'check',
            files: list.map((d) => ({ fileName: d.fileName, text: libvirtTextOf(d) })),
            rules: selectRuleSet(s, vm),
          },
          (n) => progress(done + n, docs.length),
        );
        done += list.length;
        list.forEach((doc, i) => {
          const verdict = verdicts[i];
          if (verdict)
            results[doc.id] = { text: doc.text, rulesKey, verdict: sharing.verdict(verdict) };
        });
      }
      store.getState().applyRuleResults(results);
    } finally {
      store.getState().setActivity('check', null);
    }
  };
  return startJob(store, {
    // The rules or the files changed: the chain lists what has no verdict yet (a large file's
    // new text leaves the list as it was).
    triggers: (s, prev) =>
      s.uncheckedIds !== prev.uncheckedIds ||
      (s.uncheckedIds.length > 0 &&
        (s.documents !== prev.documents ||
          s.selectedId !== prev.selectedId ||
          s.formEdits !== prev.formEdits)),
    debounceMs: 0,
    run,
    runAtStart: true,
  });
}
