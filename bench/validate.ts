// Parts 1 and 2: the app's worker validator in headless Chromium (bench/page) against native
// xmllint, run for run in turn, so that both see the same machine (others share it).
import { basename, dirname } from 'node:path';
import type { StartTimes, ValidationBench } from './page/main.ts';
import { launchChromium } from './browser.ts';
import { XMLLINT, timeProcess } from './native.ts';
import { serveStatic } from './serve.ts';
import { summarize } from './stats.ts';
import type { Summary } from './stats.ts';

export interface ValidationBenchResult {
  page: StartTimes & {
    /** validate() of `<domaincheckpoint/>`: one whole xmllint run with next to nothing to check. */
    emptyRun: Summary;
    single: Summary;
    batch: Summary;
    /** The batch split over two worker validators at once (what a pool of two would give). */
    batchTwoWorkers: Summary;
  };
  native: {
    /** `/bin/true`: starting and ending any process. */
    processStart: Summary;
    /** xmllint on `<domaincheckpoint/>`: process, schema load and compile. */
    emptyRun: Summary;
    single: Summary;
    batch: Summary;
  };
  batchFiles: number;
}

declare const window: { validationBench: ValidationBench };

const EMPTY = '<domaincheckpoint/>\n';

export async function benchValidation(
  pageDir: string,
  rootSchema: string,
  single: string,
  batch: readonly string[],
  emptyFile: string,
  options: { singleRuns: number; batchRuns: number },
): Promise<ValidationBenchResult> {
  const filesDir = dirname(single);
  if (batch.some((p) => dirname(p) !== filesDir)) throw new Error('one folder of inputs, please');
  const native = (files: readonly string[]) =>
    timeProcess(XMLLINT, ['--noout', '--relaxng', rootSchema, ...files]);
  const server = await serveStatic(pageDir, { '/files/': filesDir });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForFunction(() => 'validationBench' in window);
    const url = (p: string) => `/files/${encodeURIComponent(basename(p))}`;
    const start = await page.evaluate(
      ([first]) => window.validationBench.start('/schemas/', first as string),
      [url(single)],
    );
    const [one] = await page.evaluate((urls) => window.validationBench.load(urls), [url(single)]);
    const names = await page.evaluate((urls) => window.validationBench.load(urls), batch.map(url));
    const pageSingle = () =>
      page.evaluate((n) => window.validationBench.time([n], 1), one as string).then((s) => s[0]);
    const pageEmpty = () =>
      page.evaluate((t) => window.validationBench.timeText(t, 1), EMPTY).then((s) => s[0]);
    const pageBatch = () =>
      page.evaluate((ns) => window.validationBench.time(ns, 1), names).then((s) => s[0]);

    // Warm both sides, then take turns.
    for (let i = 0; i < 3; i++) {
      native([single]);
      await pageSingle();
    }
    const samples = {
      processStart: [] as number[],
      nativeEmpty: [] as number[],
      nativeSingle: [] as number[],
      pageEmpty: [] as number[],
      pageSingle: [] as number[],
      nativeBatch: [] as number[],
      pageBatch: [] as number[],
    };
    for (let i = 0; i < options.singleRuns; i++) {
      samples.processStart.push(timeProcess('/bin/true', []));
      samples.nativeEmpty.push(native([emptyFile]));
      samples.pageEmpty.push((await pageEmpty()) ?? Number.NaN);
      samples.nativeSingle.push(native([single]));
      samples.pageSingle.push((await pageSingle()) ?? Number.NaN);
    }
    for (let i = 0; i < options.batchRuns; i++) {
      samples.nativeBatch.push(native(batch));
      samples.pageBatch.push((await pageBatch()) ?? Number.NaN);
    }
    const twoWorkers = await page.evaluate(
      ([ns, runs]) => window.validationBench.timeSplit(ns as string[], 2, runs as number),
      [names, options.batchRuns] as const,
    );
    if (errors.length > 0) throw new Error(`the bench page failed: ${errors.join('; ')}`);
    return {
      page: {
        ...start,
        emptyRun: summarize(samples.pageEmpty),
        single: summarize(samples.pageSingle),
        batch: summarize(samples.pageBatch),
        batchTwoWorkers: summarize(twoWorkers),
      },
      native: {
        processStart: summarize(samples.processStart),
        emptyRun: summarize(samples.nativeEmpty),
        single: summarize(samples.nativeSingle),
        batch: summarize(samples.nativeBatch),
      },
      batchFiles: batch.length,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
