import type { UseStore } from 'idb-keyval';
import { createStore as createIdbStore } from 'idb-keyval';
import type { CorePool } from '../workers/index.ts';
import { createCorePool } from '../workers/index.ts';
import type { VerdictStore } from '../validation/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import type { SchemaValidator } from './schema-scheduler.ts';
import { openVerdictStore } from './verdict-store.ts';

/** What the last save wrote, to write only what changed since. */
export interface Written {
  documents: Record<string, CheckpointDocument>;
  savedTexts: Record<string, string>;
  /** Until the first save, a session of the first version may still be stored. */
  oldLayoutKept: boolean;
}

/** A background job of the store's (autosave, checks): stopped when the store is reset. */
export interface Job {
  /** Resolves once the work asked for so far is done. */
  flush(): Promise<void>;
  stop(): void;
}

/** How a store reaches what lies outside it; the defaults are the page's. */
export interface EditorServicesOptions {
  /** Core's work over many files; by default module workers, one per core. */
  createCorePool?: () => CorePool;
  /** The IndexedDB store the session is saved in. */
  openSessionDb?: () => UseStore;
  /** Where schema verdicts are kept between visits. */
  openVerdictStore?: () => VerdictStore;
}

/**
 * What one store works with outside itself, created with it and closed with it: core's workers, the
 * schema validator in use, the session's saves, its background jobs. Nothing of this is shared by
 * two stores.
 */
export interface EditorServices {
  /** Core's workers, started on first use and kept. */
  corePool(): CorePool;
  /** The validator of the schema set in use, once one is loaded. */
  validator(): SchemaValidator | undefined;
  /** Puts a new validator in use, closing the one before. */
  useValidator(validator: SchemaValidator): void;
  /** The IndexedDB store of the session, opened on first use. */
  sessionDb(): UseStore;
  /** Schema verdicts kept between visits, by text and schema set. */
  verdictStore(): VerdictStore;
  /** What the last save wrote. */
  written: Written;
  /** Keeps a job, so that close() stops it. */
  track(job: Job): Job;
  untrack(job: Job): void;
  /** Stops every job and closes the workers. */
  close(): void;
}

export function createServices(options: EditorServicesOptions = {}): EditorServices {
  const newPool = options.createCorePool ?? (() => createCorePool());
  const openDb = options.openSessionDb ?? (() => createIdbStore('checkpoint-editor', 'session'));
  let pool: CorePool | undefined;
  let validator: SchemaValidator | undefined;
  let db: UseStore | undefined;
  let verdicts: VerdictStore | undefined;
  const openVerdicts = options.openVerdictStore ?? openVerdictStore;
  const jobs = new Set<Job>();
  return {
    corePool: () => (pool ??= newPool()),
    validator: () => validator,
    useValidator(next) {
      if (validator !== next) validator?.close();
      validator = next;
    },
    sessionDb: () => (db ??= openDb()),
    verdictStore: () => (verdicts ??= openVerdicts()),
    written: { documents: {}, savedTexts: {}, oldLayoutKept: true },
    track(job) {
      jobs.add(job);
      return job;
    },
    untrack(job) {
      jobs.delete(job);
    },
    close() {
      for (const job of [...jobs]) job.stop();
      jobs.clear();
      pool?.close();
      pool = undefined;
      validator?.close();
      validator = undefined;
    },
  };
}
