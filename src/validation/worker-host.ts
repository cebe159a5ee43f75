import type { BytesFile, ReadOutcome, RuleSet } from '../core/index.ts';
import { append, createDomainReuse, openFile } from '../core/index.ts';
import { splitIntoBatches } from './batches.ts';
import { withDomainShortcut } from './domain-shortcut.ts';
import type { FileVerdict, Validator, XmlFile } from './validator.ts';
import type { VerdictStore } from './verdict-cache.ts';
import { withVerdictCache } from './verdict-cache.ts';
import type { FromWorker, OpenRequest, ToWorker } from './worker-messages.ts';
import type { EncodedSchemas, XmllintEngine } from './xmllint-run.ts';
import { encodeSchemas, runXmllint } from './xmllint-run.ts';

/**
 * What the worker does with each message, apart from the worker itself: the engine starts loading
 * at once (the wasm compiles while the page still reads files), the schema set is kept. Each worker
 * validates each distinct <domain> once (domain-shortcut.ts), here rather than on the page: the
 * domains it knows stay off the page's heap, and finding each file's domain off its thread. Kept
 * verdicts (verdict-cache.ts) are of the texts xmllint reads: a stand-in's verdict is xmllint's
 * on that very text, used only where the shortcut would run it.
 *
 * An open (a bundle's entries) is read here as a core worker reads it, then validated at once, so
 * that its texts cross to the page once and are never posted back to be validated.
 */
export function createWorkerHost(
  loadEngine: () => Promise<XmllintEngine>,
  /** Where verdicts are kept when the page asks for it (IndexedDB in a browser's worker). */
  openVerdictStore?: () => VerdictStore,
  /** Core's open of files (the core worker's, with its kept verdicts in a browser). */
  openFiles: (files: BytesFile[], rules: RuleSet) => Promise<ReadOutcome[]> = openHere(),
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
    if (message.type === 'open') return open(message, validator, engine, openFiles);
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

/** Core's open of files on this thread, each distinct <domain> read once (domain-reuse.ts). */
function openHere(): (files: BytesFile[], rules: RuleSet) => Promise<ReadOutcome[]> {
  const domains = createDomainReuse();
  return (files, rules) => Promise.resolve(files.map((f) => openFile(f, rules, domains)));
}

/**
 * The files opened, then every text validated in runs within the limits. Where xmllint cannot run
 * (no schema set, the wasm did not load, a run failed), the texts have no verdict (null): the page
 * validates them as any document.
 */
async function open(
  message: OpenRequest,
  validator: Validator | undefined,
  engine: Promise<XmllintEngine>,
  openFiles: (files: BytesFile[], rules: RuleSet) => Promise<ReadOutcome[]>,
): Promise<FromWorker> {
  let outcomes: ReadOutcome[];
  try {
    outcomes = await openFiles(message.files, message.rules);
  } catch (e) {
    return { type: 'failed', id: message.id, message: `the files could not be read: ${String(e)}` };
  }
  const verdicts: (FileVerdict | null)[] = outcomes.map(() => null);
  const texts: (XmlFile & { at: number })[] = [];
  outcomes.forEach((o, at) => {
    if ('text' in o) texts.push({ fileName: o.fileName, contents: o.text, at });
  });
  try {
    await engine;
    if (validator) {
      const answers: FileVerdict[] = [];
      for (const batch of splitIntoBatches(texts, message.limits)) {
        const plain = batch.map(({ fileName, contents }) => ({ fileName, contents }));
        append(answers, await validator.validate(plain));
      }
      texts.forEach((t, k) => (verdicts[t.at] = answers[k] ?? null));
    }
  } catch {
    // No verdicts: the page validates these texts as it does any document's.
  }
  return { type: 'opened', id: message.id, outcomes, verdicts };
}
