import type { SchemaSet } from './schema-set.ts';
import type { FromWorker, ToWorker } from './worker-messages.ts';
import type { EncodedSchemas, XmllintEngine } from './xmllint-run.ts';
import { encodeSchemas, runXmllint } from './xmllint-run.ts';

/**
 * What the worker does with each message, apart from the worker itself: the engine starts loading
 * at once (the wasm compiles while the page still reads files), the schema set is kept.
 */
export function createWorkerHost(
  loadEngine: () => Promise<XmllintEngine>,
): (message: ToWorker) => Promise<FromWorker | undefined> {
  const engine = loadEngine();
  // Rejections are answered per request; this keeps an early one from going unhandled.
  engine.catch(() => {});
  let schemas: SchemaSet | undefined;
  let encoded: EncodedSchemas = [];
  let maxMemoryMiB = 0;
  return async (message) => {
    if (message.type === 'init') {
      schemas = message.schemas;
      encoded = encodeSchemas(schemas);
      maxMemoryMiB = message.maxMemoryMiB;
      return undefined;
    }
    if (!schemas) {
      return { type: 'failed', id: message.id, message: 'the worker has no schema set' };
    }
    let loaded: XmllintEngine;
    try {
      loaded = await engine;
    } catch (e) {
      return { type: 'failed', id: message.id, message: `xmllint did not load: ${String(e)}` };
    }
    try {
      const verdicts = await runXmllint(loaded, schemas, message.files, maxMemoryMiB, encoded);
      return { type: 'verdicts', id: message.id, verdicts };
    } catch (e) {
      return { type: 'failed', id: message.id, message: `xmllint failed: ${String(e)}` };
    }
  };
}
