// The validation layer's entry for the page, and its types for all: Node-only things are in node.ts.
// Schema validation (xmllint) and core's work over many files, each in workers of their own.
export type { SchemaFile, SchemaSet } from './schema-set.ts';
export { ROOT_SCHEMA, schemaSetFromFiles } from './schema-set.ts';
export type { FileVerdict, RunLimits, Validator, XmlFile } from './validator.ts';
export { DEFAULT_RUN_LIMITS, VALIDATION_CODES } from './validator.ts';
export { fetchSchemaSet } from './fetch-schema-set.ts';
export type { WorkerLike, WorkerValidatorOptions } from './worker-client.ts';
export { DEFAULT_TIMEOUT_MS, createWorkerValidator } from './worker-client.ts';
export type { FormatOutcome, TextFile } from './core-tasks.ts';
export type { CorePool, CorePoolOptions, CoreWorkerLike, OnProgress } from './core-pool.ts';
export { createCorePool } from './core-pool.ts';
