/** The signals that end a command line's run, and their numbers (the exit status is 128 + it). */
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
type EndSignal = keyof typeof SIGNALS;

/** The run was ended by a signal: what it created is gone; the exit status says which signal. */
export class Interrupted extends Error {
  readonly status: number;
  constructor(signal: EndSignal, cause: unknown) {
    const said = cause instanceof Error ? cause.message : '';
    const done = /\(((?:removed|left) [^)]*)\)$/.exec(said)?.[1];
    super(`interrupted by ${signal}${done ? ` (${done})` : ''}`, { cause });
    this.status = 128 + SIGNALS[signal];
  }
}

/**
 * Runs `work` with a signal that SIGINT, SIGTERM or SIGHUP fires (its running command is killed,
 * its `finally` blocks remove what it made), and then ends in Interrupted: a killed run never
 * leaves its folders, and never reads as a success.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let caught: EndSignal | undefined;
  const handlers = (Object.keys(SIGNALS) as EndSignal[]).map((name) => {
    const handler = () => {
      caught ??= name;
      controller.abort();
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  try {
    const value = await work(controller.signal);
    if (caught) throw new Interrupted(caught, undefined);
    return value;
  } catch (e) {
    if (caught && !(e instanceof Interrupted)) throw new Interrupted(caught, e);
    throw e;
  } finally {
    for (const [name, handler] of handlers) process.off(name, handler);
  }
}
