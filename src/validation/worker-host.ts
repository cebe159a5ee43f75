import { withDomainShortcut } from './domain-shortcut.ts';
import type { Validator } from './validator.ts';
import type { VerdictStore } from './verdict-cache.ts';
import { withVerdictCache } from './verdict-cache.ts';
import type { FromWorker, ToWorker } from './worker-messages.ts';
import type { EncodedSchemas, XmllintEngine } from './xmllint-run.ts';
import { encodeSchemas, runXmllint } from './xmllint-run.ts';

/**
 * What the worker does with each message, apart from the worker itself: the engine starts loading
 * at once (the wasm compiles while the page still reads files), the schema set is kept. Each worker
 * validates each distinct <domain> once (domain-shortcut.ts), here rather than on the page: the
 * domains it knows stay off the page's heap, and finding each file's domain off its thread. Kept
 * verdicts (verdict-cache.ts) are of the texts xmllint reads: a stand-in's verdict is xmllint's
 * on that very text, used only where the shortcut would run it.
 */
export function createWorkerHost(
  loadEngine: () => Promise<XmllintEngine>,
  /** Where verdicts are kept when the page asks for it (IndexedDB in a browser's worker). */
  openVerdictStore?: () => VerdictStore,
): (message: ToWorker) => Promise<FromWorker | undefined> {
  const engine = loadEngine();
  // Rejections are answered per request; this keeps an early one from going unhandled.
  engine.catch(() => {});
  let encoded: EncodedSchemas = [];
  let maxMemoryMiB = 0;
  let validator: Validator | undefined;
  return async (message) => {
    if (message.type === 'init') {
      const set = message.schemas;
      encoded = encodeSchemas(set);
      maxMemoryMiB = message.maxMemoryMiB;
      const engineRun: Validator = {
        validate: async (files) => runXmllint(await engine, set, files, maxMemoryMiB, encoded),
        close: () => {},
      };
      // Each text xmllint is to read is hashed here, off the page; only what no earlier run
      // answered is validated. Under the domain shortcut, so that a file whose <domain> is known
      // valid is looked up by its stand-in text (a few hundred characters, not the whole domain).
      const cached =
        message.keepVerdicts && openVerdictStore
          ? withVerdictCache(engineRun, set, openVerdictStore())
          : engineRun;
      validator = message.domainShortcut === false ? cached : withDomainShortcut(cached, set);
      return undefined;
    }
    if (!validator) {
      return { type: 'failed', id: message.id, message: 'the worker has no schema set' };
    }
    try {
      await engine;
    } catch (e) {
      return { type: 'failed', id: message.id, message: `xmllint did not load: ${String(e)}` };
    }
    try {
      const verdicts = await validator.validate(message.files);
      return { type: 'verdicts', id: message.id, verdicts };
    } catch (e) {
      return { type: 'failed', id: message.id, message: `xmllint failed: ${String(e)}` };
    }
  };
}
