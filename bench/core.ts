// Part 5: src/core's parse + redefine + format against `xmllint --format`, over the same files.
import { readFileSync } from 'node:fs';
import type { DomainReuse } from '../src/core/index.ts';
import {
  createDomainReuse,
  formatCheckpoint,
  parseCheckpoint,
  parseXml,
  redefineCheckpoint,
} from '../src/core/index.ts';
import { XMLLINT, timeProcess } from './native.ts';
import { summarize } from './stats.ts';
import type { Summary } from './stats.ts';

export interface CoreBench {
  files: number;
  /** The first pass in this process: the JIT not warmed up yet. */
  firstPassMs: number;
  /**
   * parse + redefine + format of every file, files already in memory, as Export all does it: each
   * distinct <domain> read and laid out once per pass (a new DomainReuse each pass).
   */
  core: Summary;
  /** The same, every file read whole on its own (as one file alone is). */
  coreEachAlone: Summary;
  /** Where a pass goes (p50 of each step over the passes). */
  steps: { parseXml: number; parseCheckpoint: number; redefine: number; format: number };
  /** `xmllint --format FILE…`, one process over the files. */
  native: Summary;
  failures: number;
}

/**
 * One pass over many files as the editor makes it (Export all, in a worker): a <domain> read and
 * laid out before is not read again (domain-reuse.ts); `domains` is undefined for a pass without.
 */
function formatAll(texts: readonly string[], domains?: DomainReuse): number {
  let failures = 0;
  for (const text of texts) {
    const parsed = parseCheckpoint(text, domains);
    const redefined = parsed.ok ? redefineCheckpoint(parsed.value) : parsed;
    if (!redefined.ok || formatCheckpoint(redefined.value, {}, domains).length === 0) failures++;
  }
  return failures;
}

function timed<T>(run: () => T): [T, number] {
  const start = performance.now();
  const value = run();
  return [value, performance.now() - start];
}

/** Core and native take turns, pass for pass, so that both see the same machine. */
export function benchCore(paths: readonly string[], passes: number): CoreBench {
  const texts = paths.map((p) => readFileSync(p, 'utf8'));
  const nativeRun = () => timeProcess(XMLLINT, ['--format', ...paths]);
  const [failures, firstPassMs] = timed(() => formatAll(texts, createDomainReuse()));
  nativeRun();
  // The steps' inputs, made once; each step's own results are dropped as the full pass drops them.
  const parsed = texts.map((t) => parseCheckpoint(t));
  const redefined = parsed.map((p) => (p.ok ? redefineCheckpoint(p.value) : p));
  const each = <T>(list: readonly T[], work: (item: T) => unknown) =>
    timed(() => {
      for (const item of list) work(item);
    })[1];
  const samples = {
    core: [] as number[],
    coreEachAlone: [] as number[],
    native: [] as number[],
    parseXml: [] as number[],
    parseCheckpoint: [] as number[],
    redefine: [] as number[],
    format: [] as number[],
  };
  for (let i = 0; i < passes; i++) {
    samples.core.push(timed(() => formatAll(texts, createDomainReuse()))[1]);
    samples.coreEachAlone.push(timed(() => formatAll(texts))[1]);
    samples.native.push(nativeRun());
    samples.parseXml.push(each(texts, parseXml));
    samples.parseCheckpoint.push(each(texts, parseCheckpoint));
    samples.redefine.push(each(parsed, (p) => p.ok && redefineCheckpoint(p.value)));
    samples.format.push(each(redefined, (r) => r.ok && formatCheckpoint(r.value)));
  }
  const p50 = (list: number[]) => summarize(list).p50;
  return {
    files: paths.length,
    firstPassMs,
    core: summarize(samples.core),
    coreEachAlone: summarize(samples.coreEachAlone),
    steps: {
      parseXml: p50(samples.parseXml),
      parseCheckpoint: p50(samples.parseCheckpoint),
      redefine: p50(samples.redefine),
      format: p50(samples.format),
    },
    native: summarize(samples.native),
    failures,
  };
}
