// The bench page: the app's own worker validator (src/validation), built with the app's Vite config.
import type { FileVerdict, Validator, XmlFile } from '../../src/validation/index.ts';
import { createWorkerValidator, fetchSchemaSet } from '../../src/validation/index.ts';

export interface StartTimes {
  /** current.json, manifest.json and the .rng files over HTTP. */
  fetchSchemasMs: number;
  /** The first validate(): the worker starts, compiles xmllint.wasm, then runs once. */
  firstRunMs: number;
}

export interface ValidationBench {
  start(schemasUrl: string, firstFile: string): Promise<StartTimes>;
  /** Fetches files into the page (not timed) and returns their names. */
  load(urls: string[]): Promise<string[]>;
  /** Times `runs` calls of validate() on the loaded files `names` (each call awaited). */
  time(names: string[], runs: number): Promise<number[]>;
  /** Times validate() on one text that is not a file (such as an empty checkpoint). */
  timeText(contents: string, runs: number): Promise<number[]>;
  /**
   * Times `runs` validations of `names` split over `validators` worker validators at once: what a
   * pool of that many workers would give (each validator is the app's, with its own worker).
   */
  timeSplit(names: string[], validators: number, runs: number): Promise<number[]>;
}

declare global {
  interface Window {
    validationBench: ValidationBench;
  }
}

const loaded = new Map<string, XmlFile>();
let validator: Validator | undefined;
let schemaSet: Awaited<ReturnType<typeof fetchSchemaSet>> | undefined;

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

function loadedFiles(names: string[]): XmlFile[] {
  return names.map((n) => {
    const file = loaded.get(n);
    if (!file) throw new Error(`${n} is not loaded`);
    return file;
  });
}

function checkAllValid(verdicts: FileVerdict[]): void {
  const invalid = verdicts.find((v) => !v.valid);
  if (invalid) {
    throw new Error(`${invalid.fileName}: ${invalid.problems.map((p) => p.message).join('; ')}`);
  }
}

async function timeRuns(
  files: XmlFile[],
  runs: number,
  using: Validator[] = validator ? [validator] : [],
): Promise<number[]> {
  if (using.length === 0) throw new Error('start() first');
  const share = Math.ceil(files.length / using.length);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const parts = await Promise.all(
      using.map((v, k) => v.validate(files.slice(k * share, (k + 1) * share))),
    );
    samples.push(performance.now() - start);
    parts.forEach(checkAllValid);
  }
  return samples;
}

window.validationBench = {
  async start(schemasUrl, firstFile) {
    const t0 = performance.now();
    const schemas = await fetchSchemaSet(schemasUrl);
    const t1 = performance.now();
    schemaSet = schemas;
    // xmllint itself, every file whole, as native xmllint reads it (the app also validates each
    // distinct <domain> once: parts 3, 7 and 8 measure that).
    validator = createWorkerValidator(schemas, { domainShortcut: false });
    const file = { fileName: 'first.xml', contents: await fetchText(firstFile) };
    const t2 = performance.now();
    await timeRuns([file], 1);
    return { fetchSchemasMs: t1 - t0, firstRunMs: performance.now() - t2 };
  },
  async load(urls) {
    const files = await Promise.all(
      urls.map(async (url) => ({ fileName: url, contents: await fetchText(url) })),
    );
    for (const f of files) loaded.set(f.fileName, f);
    return files.map((f) => f.fileName);
  },
  time(names, runs) {
    return timeRuns(loadedFiles(names), runs);
  },
  timeText(contents, runs) {
    return timeRuns([{ fileName: 'text.xml', contents }], runs);
  },
  async timeSplit(names, count, runs) {
    if (!schemaSet) throw new Error('start() first');
    const set = schemaSet;
    const pool = Array.from({ length: count }, () =>
      createWorkerValidator(set, { domainShortcut: false }),
    );
    try {
      // Warm, as the first validator is by then: xmllint.wasm compiled, and V8's optimising tier
      // done with its hot functions (it compiles them in the background, on the same cores).
      await timeRuns(loadedFiles(names), 2, pool);
      return await timeRuns(loadedFiles(names), runs, pool);
    } finally {
      for (const v of pool) v.close();
    }
  },
};
