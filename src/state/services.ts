import type { UseStore } from 'idb-keyval';
import type { BytesFile, Problem, ReadOutcome, RuleSet } from '../core/index.ts';
import type { CorePool, SessionDbLoss, SessionStoreWorker } from '../workers/index.ts';
import { createCorePool, createSessionStoreWorker, openSessionDb } from '../workers/index.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import type { DiskState } from './images-slice.ts';
import type { Journalled } from './journal-entry.ts';
import type { FormDrafts } from './form-drafts.ts';
import { createFormDrafts } from './form-drafts.ts';
import type { TabLink } from './tab-link.ts';
import type { WrittenScript } from './written-script.ts';
import type { Identities } from './session-layout.ts';
import { createTabLink } from './tab-link.ts';

/** The validation layer's client as the store uses it: many files per run, off the main thread. */
export interface SchemaValidator {
  validate(
    files: { fileName: string; contents: string }[],
  ): Promise<{ fileName: string; valid: boolean; problems: Problem[] }[]>;
  /**
   * Files read as a core worker reads them, each text validated where it was read (a bundle's
   * entries): the texts cross to the page once. Verdicts by outcome, null where none was given.
   */
  open?(
    files: BytesFile[],
    rules: RuleSet,
  ): Promise<{ outcomes: ReadOutcome[]; verdicts: ({ problems: Problem[] } | null)[] }>;
  close(): void;
}

/** What the saves so far stored, to write only what changed since. */
export interface Written {
  /** Each document as last stored, with its saved text. */
  documents: Map<string, { doc: CheckpointDocument; savedText: string }>;
  /** The session's entry (the list of files, the choices) as last stored, as JSON. */
  session: string | undefined;
  /** Documents the browser refused, as they were then: tried again once they change, or when asked. */
  refused: Map<string, { doc: CheckpointDocument; reason: string }>;
  /** Until the first save, a session of the first version may still be stored. */
  oldLayoutKept: boolean;
  /** The objects `session` names by identity rather than as JSON (sessionEntryKey). */
  identities: Identities;
}

export function nothingWritten(): Written {
  return {
    documents: new Map(),
    session: undefined,
    refused: new Map(),
    oldLayoutKept: true,
    identities: { ids: new WeakMap(), next: 0 },
  };
}

/** A background job of the store's (autosave, checks): stopped when the store is reset. */
export interface Job {
  /** Resolves once the work asked for so far is done. */
  flush(): Promise<void>;
  stop(): void;
}

/** What this tab does with the session: edit and save it (and retry what the browser refused), or follow. */
export interface SessionRole extends Job {
  retry?: () => Promise<void>;
}

/** How a store reaches what lies outside it; the defaults are the page's. */
export interface EditorServicesOptions {
  /** Core's work over many files; by default module workers, one per core. */
  createCorePool?: () => CorePool;
  /** The IndexedDB store the session is saved in; `onLoss` hears when what it held may be gone. */
  openSessionDb?: (onLoss: (why: SessionDbLoss) => void) => UseStore;
  /** Writes large files' entries into that store off the page; by default a worker (none in Node). */
  createSessionStoreWorker?: () => SessionStoreWorker | undefined;
  /** How this tab reaches the others of its origin; by default Web Locks and a BroadcastChannel. */
  createTabLink?: () => TabLink;
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
  /** Hears when the session's database was deleted, upgraded or closed by the browser; returns the way to stop. */
  watchSessionDb(onLoss: (why: SessionDbLoss) => void): () => void;
  /** The form edits of a large file not yet stored, as journalled (see edit-journal.ts). */
  journal: Map<string, Journalled>;
  /** The job that writes form edits into large files' texts (a worker's), once started. */
  editWriter: Job | undefined;
  /** Text typed into the forms and not yet written into its document (form-drafts.ts). */
  formDrafts: FormDrafts;
  /** The large repair scripts asked for, written once in a core worker, by the state they are of. */
  repairScripts: WeakMap<DiskState, Promise<WrittenScript>>;
  /** The worker that writes large files' entries into it, if there can be one. */
  sessionStoreWorker(): SessionStoreWorker | undefined;
  /** What the saves so far stored. */
  written: Written;
  /** The other tabs of this origin: who edits the session, what it saved. */
  tabs(): TabLink;
  /** What this tab does with the session now (edit and save it, or follow another tab): stopped on a change. */
  role: SessionRole | undefined;
  /** Keeps a job, so that close() stops it. */
  track(job: Job): Job;
  untrack(job: Job): void;
  /** Stops every job and closes the workers. */
  close(): void;
}

export function createServices(options: EditorServicesOptions = {}): EditorServices {
  const newPool = options.createCorePool ?? (() => createCorePool());
  const openDb = options.openSessionDb ?? openSessionDb;
  const dbWatchers = new Set<(why: SessionDbLoss) => void>();
  // A store of a test's own has no worker: the worker writes the page's database only.
  const newStoreWorker =
    options.createSessionStoreWorker ??
    (options.openSessionDb ? () => undefined : createSessionStoreWorker);
  let storeWorker: SessionStoreWorker | undefined | null = null;
  let pool: CorePool | undefined;
  let validator: SchemaValidator | undefined;
  let db: UseStore | undefined;
  let tabs: TabLink | undefined;
  const jobs = new Set<Job>();
  return {
    corePool: () => (pool ??= newPool()),
    validator: () => validator,
    useValidator(next) {
      if (validator !== next) validator?.close();
      validator = next;
    },
    sessionDb: () =>
      (db ??= openDb((why) => {
        for (const watcher of [...dbWatchers]) watcher(why);
      })),
    watchSessionDb(onLoss) {
      dbWatchers.add(onLoss);
      return () => dbWatchers.delete(onLoss);
    },
    journal: new Map(),
    editWriter: undefined,
    formDrafts: createFormDrafts(),
    repairScripts: new WeakMap(),
    sessionStoreWorker: () =>
      storeWorker === null ? (storeWorker = newStoreWorker()) : storeWorker,
    written: nothingWritten(),
    tabs: () => (tabs ??= (options.createTabLink ?? createTabLink)()),
    role: undefined,
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
      dbWatchers.clear();
      pool?.close();
      pool = undefined;
      validator?.close();
      validator = undefined;
      tabs?.close();
      tabs = undefined;
      storeWorker?.close();
      storeWorker = null;
    },
  };
}
