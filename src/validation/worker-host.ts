import type { SchemaSet } from './schema-set.ts';
import type { Validator } from './validator.ts';
import type { VerdictStore } from './verdict-cache.ts';
import { withVerdictCache } from './verdict-cache.ts';
import type { FromWorker, ToWorker } from './worker-messages.ts';
import type { EncodedSchemas, XmllintEngine } from './xmllint-run.ts';
import { encodeSchemas, runXmllint } from './xmllint-run.ts';

/**
 * What the worker does with each message, apart from the worker itself: the engine starts loading
 * at once (the wasm compiles while the page still reads files), the schema set is kept.
 */
export function createWorkerHost(
  loadEngine: () => Promise<XmllintEngine>,
  /** Where verdicts are kept when the page asks for it (IndexedDB in a browser's worker). */
  openVerdictStore?: () => VerdictStore,
): (message: ToWorker) => Promise<FromWorker | undefined> {
  const engine = loadEngine();
  // Rejections are answered per request; this keeps an early one from going unhandled.
  engine.catch(() => {});
  let schemas: SchemaSet | undefined;
  let encoded: EncodedSchemas = [];
  let maxMemoryMiB = 0;
  let kept: Validator | undefined;
  return async (message) => {
    if (message.type === 'init') {
      const set = message.schemas;
      schemas = set;
      encoded = encodeSchemas(set);
      maxMemoryMiB = message.maxMemoryMiB;
      // Each text is hashed here, off the page; only what no earlier run answered is validated.
      kept =
        message.keepVerdicts && openVerdictStore
          ? withVerdictCache(
              {
                validate: async (files) =>
                  runXmllint(await engine, set, files, maxMemoryMiB, encoded),
                close: () => {},
              },
              set,
              openVerdictStore(),
            )
          : undefined;
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
      const verdicts = kept
        ? await kept.validate(message.files)
        : await runXmllint(loaded, schemas, message.files, maxMemoryMiB, encoded);
      return { type: 'verdicts', id: message.id, verdicts };
    } catch (e) {
      return { type: 'failed', id: message.id, message: `xmllint failed: ${String(e)}` };
    }
  };
}
