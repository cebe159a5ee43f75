// The validation layer's entry for the page, and its types for all: Node-only things are in node.ts.
// Schema validation with xmllint-wasm, in a worker of the page's worker pool (src/workers).
export type { SchemaSet } from './schema-set.ts';
export { ROOT_SCHEMA, schemaSetFromFiles } from './schema-set.ts';
export type { FileVerdict, Validator, XmlFile } from './validator.ts';
export { DEFAULT_RUN_LIMITS } from './validator.ts';
export { fetchSchemaSet } from './fetch-schema-set.ts';
export type { OpeningValidator, WorkerLike } from './worker-client.ts';
export type { OpenedFiles } from './worker-messages.ts';
export { createWorkerValidator } from './worker-client.ts';
export { withDomainShortcut } from './domain-shortcut.ts';
export type { KeptVerdict, VerdictStore } from './verdict-cache.ts';
export { withVerdictCache } from './verdict-cache.ts';
