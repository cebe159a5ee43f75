import type { CorePool } from '../validation/index.ts';
import { createCorePool } from '../validation/index.ts';

let pool: CorePool | undefined;

/** The page's workers for core's work over many files: started on first use, kept for the session. */
export function corePool(): CorePool {
  return (pool ??= createCorePool());
}

/** Another pool (tests), or none: the next use starts the default one. */
export function setCorePool(next: CorePool | undefined): void {
  if (pool !== next) pool?.close();
  pool = next;
}
