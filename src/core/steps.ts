/**
 * Work done a step at a time: a generator that yields between steps, so that a page can pause
 * there (paint, take input) and a worker or the CLI can run it straight through.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs `steps` to the end, without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs `steps` to the end, awaiting `pause` at each step. */
export async function runStepsPausing<T>(steps: Steps<T>, pause: () => Promise<void>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await pause();
  }
}
