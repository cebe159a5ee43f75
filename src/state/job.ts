import type { Job } from './services.ts';
import type { EditorState } from './editor-state.ts';
import type { EditorStore } from './editor-store.ts';

export interface JobOptions {
  /** Whether a change of the store calls for a run. */
  triggers: (s: EditorState, prev: EditorState) => boolean;
  /** Changes closer together than this make one run. */
  debounceMs: number;
  /** One run. Runs never overlap: a change during one starts another after it. */
  run: () => Promise<void>;
  /** Whether a run may start now; a run asked for meanwhile starts once it may (a folder opening). */
  ready?: (s: EditorState) => boolean;
  /** Whether work is left: flush runs until none is. */
  pending?: () => boolean;
  /** Runs once at the start too, not only after a change. */
  runAtStart?: boolean;
}

/**
 * Background work over the store, as every service of the page does it: after a change that
 * triggers it (debounced) one run at a time, again if something changed meanwhile; `flush` runs
 * it now and waits for it to be done, `stop` ends it. The job is the store's: a reset stops it.
 */
export function startJob(store: EditorStore, options: JobOptions): Job {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let wanted = false;
  const ready = (s = store.getState()) => options.ready?.(s) ?? true;

  const runNow = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    if (!ready()) return Promise.resolve();
    wanted = false;
    running = options.run().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        wanted = true;
        inBackground();
      }
    });
    return running;
  };
  const inBackground = () => {
    runNow().catch((e: unknown) => console.error(e));
  };

  const schedule = () => {
    wanted = true;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      inBackground();
    }, options.debounceMs);
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (options.triggers(s, prev)) schedule();
    else if (wanted && timer === undefined && ready(s) && !ready(prev)) schedule();
  });
  if (options.runAtStart) schedule();

  const job: Job = {
    stop: () => {
      unsubscribe();
      clearTimeout(timer);
      store.services.untrack(job);
    },
    flush: async () => {
      do {
        clearTimeout(timer);
        timer = undefined;
        await runNow();
        while (running) await running;
      } while (ready() && options.pending?.());
    },
  };
  return store.services.track(job);
}
