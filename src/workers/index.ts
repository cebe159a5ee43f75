// Work off the page: one worker pool (typed messages, request ids, one timeout policy, restart,
// page fallback), and core's work over many files on it. The schema validator uses the same pool.
export type { WorkerLike } from './pool.ts';
export { createWorkerPool, WORKER_TIMEOUT_MS, WorkerFailure } from './pool.ts';
export type { CorePool, CoreWorkerLike } from './core-pool.ts';
export { createCorePool } from './core-pool.ts';
export type { EditOutcome, Inspected, InspectOutcome } from './core-tasks.ts';
export type { SessionStoreWorker } from './session-store.ts';
export { createSessionStoreWorker } from './session-store.ts';
export { SESSION_DB_NAME, SESSION_STORE_NAME } from './session-store-messages.ts';
export type { SessionDbLoss } from './session-db.ts';
export { openSessionDb } from './session-db.ts';
export { createLargeTextReader, PIECE_CHARS, postWithLargeTexts } from './large-text.ts';
export type { BundleReading, BundleReadOptions } from './bundle-reader.ts';
export { readBundleFile } from './bundle-reader.ts';
export { CORE_CACHE, VERDICT_CACHE, cacheHasRoom, releaseCaches } from './cache-room.ts';
export { openKeptCoreResults } from './kept-core-store.ts';
