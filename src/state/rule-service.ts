import type { CorePool } from '../validation/index.ts';
import { corePool } from './core-service.ts';
import type { RuleResult } from './rules-slice.ts';
import { selectRuleSet, selectRulesKey } from './rules-slice.ts';
import { CHECK_ON_PAGE_LIMIT, selectUncheckedIds } from './session-view.ts';
import type { EditorStore } from './store.ts';

/**
 * Keeps libvirt's verdicts current when many documents need one at once (a new redefine profile
 * or target VM over a large folder, a restored session): they are checked in the workers and
 * stored together. A few (an edit) are checked on the page as the session view is built.
 */
export function startRuleChecks(store: EditorStore, pool: () => CorePool = corePool) {
  let running: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const runOnce = async () => {
    const s = store.getState();
    const ids = selectUncheckedIds(s);
    if (ids.length <= CHECK_ON_PAGE_LIMIT) return;
    const rules = selectRuleSet(s);
    const rulesKey = selectRulesKey(s);
    const docs = ids.map((id) => s.documents[id]).filter((d) => d !== undefined);
    const label = `Checking ${docs.length.toLocaleString('en')} files against libvirt's rules`;
    const progress = (done: number, total: number) =>
      store.getState().setActivity('check', { label, done, total });
    progress(0, docs.length);
    try {
      const verdicts = await pool().run(
        { kind: 'check', files: docs.map((d) => ({ fileName: d.fileName, text: d.text })), rules },
        progress,
      );
      const results: Record<string, RuleResult> = {};
      docs.forEach((doc, i) => {
        const verdict = verdicts[i];
        if (verdict) results[doc.id] = { text: doc.text, rulesKey, verdict };
      });
      store.getState().applyRuleResults(results);
    } finally {
      store.getState().setActivity('check', null);
    }
  };

  const run = (): Promise<void> => {
    running ??= runOnce().finally(() => {
      running = undefined;
      // The rules or the files may have changed meanwhile.
      schedule();
    });
    return running;
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!running && selectUncheckedIds(store.getState()).length > CHECK_ON_PAGE_LIMIT) void run();
    }, 0);
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (
      s.documents !== prev.documents ||
      s.ruleResults !== prev.ruleResults ||
      s.profile !== prev.profile ||
      s.target !== prev.target
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
    flush: async () => {
      clearTimeout(timer);
      await run();
      while (running) await running;
    },
  };
}
