// Issue 24.1: typing in the form against a plain <textarea> added to the same page, in the same run.
// Each key's time is from its keydown (the event's timeStamp, so a key kept waiting behind other
// work counts that wait) to the frame after it, painted (a message posted from the next animation
// frame's callback, as app.ts times the tree's frames). Runnable alone:
//   npx tsx bench/keystroke.ts [--sizes 3,1000,10000] [--profile]
import type { BrowserContext, Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { backupFolder } from '../src/samples/index.ts';
import { DRAFT_QUIET_MS } from '../src/state/form-drafts.ts';
import { openApp, openFolder } from './app.ts';
import { launchChromium } from './browser.ts';
import { OUT, PROJECT, buildApp } from './build.ts';
import { writeCheckpoints } from './generate.ts';
import { loadNow } from './machine.ts';
import { serveStatic } from './serve.ts';
import type { Summary } from './stats.ts';
import { round, summarize } from './stats.ts';

/** 40 keys, typed in bursts of 10 into each field in turn (a pause between bursts). */
export const TYPED = 'Nightly backup before the kernel update.';
const BURST = 10;
/** Then the same 40 keys again in one go, a key every STEADY_MS (a fast typist: about 100 words a minute). */
const STEADY_MS = 120;
const PLAIN_LABEL = 'Plain textarea (bench)';

export interface KeystrokeRun {
  /** Files open: 3 is the example a first visit opens. */
  files: number;
  /** keydown → the next frame painted, for each key in the Description field. */
  form: Summary;
  /** The same for the plain textarea on the same page. */
  plain: Summary;
  /** The form's p95 / the plain textarea's p95. */
  ratio: number;
  /** The 1-minute load average when this size was typed. */
  load: number;
  /** Each key's time in ms, in the order typed: the form's, the plain textarea's. */
  formMs: number[];
  plainMs: number[];
  /** The 40 keys typed steadily, a key every STEADY_MS, into each. */
  steadyForm: Summary;
  steadyPlain: Summary;
  steadyFormMs: number[];
}

export interface KeystrokeBench {
  /** When it ran (ISO): `npx tsx bench/keystroke.ts` may run it apart from the rest of the bench. */
  date: string;
  runs: KeystrokeRun[];
  /** Why a size could not be measured. */
  pending: string[];
}

interface Probe {
  steady: boolean;
  form: number[];
  plain: number[];
  steadyForm: number[];
  steadyPlain: number[];
}

declare const window: { keystrokeBench: Probe } & Window;

/** Adds the plain textarea (beside the form, always in view) and the probe timing every key. */
function installProbe(plainLabel: string): void {
  const plain = document.createElement('textarea');
  plain.setAttribute('aria-label', plainLabel);
  plain.rows = 2;
  plain.style.cssText = 'position:fixed;right:8px;bottom:8px;width:320px;z-index:2147483647';
  document.body.append(plain);
  const probe: Probe = { steady: false, form: [], plain: [], steadyForm: [], steadyPlain: [] };
  window.keystrokeBench = probe;
  document.addEventListener(
    'keydown',
    (event) => {
      // The typed characters only: not the Control+End that puts the caret at the end.
      if (event.key.length !== 1) return;
      const target = event.target as HTMLElement;
      const isForm = target.id.endsWith('-description') && target.tagName === 'TEXTAREA';
      if (target !== plain && !isForm) return;
      const which = probe.steady
        ? isForm
          ? probe.steadyForm
          : probe.steadyPlain
        : isForm
          ? probe.form
          : probe.plain;
      const start = event.timeStamp;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => which.push(performance.now() - start);
        channel.port2.postMessage(null);
      });
    },
    { capture: true },
  );
}

/**
 * A pause between bursts: until the page has done what the last one set off (saved, validated),
 * so that neither field's keys meet the other's work, then `ms`, then two frames.
 */
async function settle(page: Page, ms: number): Promise<void> {
  await page.waitForTimeout(300);
  await page.waitForFunction(
    () =>
      !Array.from(document.querySelectorAll('[role="status"], [aria-live]')).some((e) =>
        /Saving…|Validating|Checking|Reading/.test(e.textContent ?? ''),
      ),
    undefined,
    { timeout: 120_000, polling: 100 },
  );
  await page.waitForTimeout(ms);
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

/** Types TYPED into the form's Description and into the plain textarea, burst by burst in turn. */
async function typeInBoth(page: Page): Promise<Probe> {
  const form = page.getByRole('textbox', { name: 'Description', exact: true });
  await form.waitFor({ timeout: 30_000 });
  await page.evaluate(installProbe, PLAIN_LABEL);
  const plain = page.getByRole('textbox', { name: PLAIN_LABEL });
  const before = await form.inputValue();
  for (let at = 0; at < TYPED.length; at += BURST) {
    const burst = TYPED.slice(at, at + BURST);
    // Which goes first alternates, so that neither always follows the other's pause.
    const order = (at / BURST) % 2 === 0 ? [form, plain] : [plain, form];
    for (const field of order) {
      await field.click();
      await page.keyboard.press('Control+End');
      await settle(page, 500);
      await page.keyboard.type(burst);
      await settle(page, 1000);
    }
  }
  await page.evaluate(() => (window.keystrokeBench.steady = true));
  for (const field of [form, plain]) {
    await field.click();
    await page.keyboard.press('Control+End');
    await settle(page, 500);
    await page.keyboard.type(TYPED, { delay: STEADY_MS });
    await settle(page, 1000);
  }
  // Every key arrived: a key lost would make the figures meaningless.
  await page.waitForFunction(
    ([label, text]) =>
      (document.querySelector(`textarea[aria-label="${label}"]`) as HTMLTextAreaElement).value ===
      text,
    [PLAIN_LABEL, TYPED + TYPED],
  );
  const after = await form.inputValue();
  if (after !== before + TYPED + TYPED) {
    throw new Error(`the Description field holds ${JSON.stringify(after)} after typing`);
  }
  await page.getByText('Saved in this browser', { exact: true }).waitFor({ timeout: 60_000 });
  return page.evaluate(() => window.keystrokeBench);
}

/** A page with `files` checkpoints open (3: the example, unsaved until edited), the first selected. */
async function pageWith(
  context: BrowserContext,
  url: string,
  files: number,
  timeoutMs: number,
): Promise<Page> {
  const page = await openApp(context, url, { emptySession: true });
  if (files > 3) {
    const folder = join(OUT, `keystroke-${files}`);
    writeCheckpoints(folder, backupFolder(files));
    await openFolder(page, folder, files, 'virtnbdbackup.0', timeoutMs);
    const first = page
      .getByRole('tree', { name: 'Checkpoints' })
      .getByRole('treeitem', { name: 'virtnbdbackup.0', exact: true });
    await first.click();
    await page.getByText('Saved in this browser', { exact: true }).waitFor({ timeout: timeoutMs });
  }
  return page;
}

/**
 * Each size in a new page of one Chromium (as operators run it: 60 Hz, headless). With `profile`,
 * a CPU profile of the page's main thread while the form is typed in goes to bench/out.
 */
export async function benchKeystrokes(
  appDir: string,
  sizes: readonly number[],
  options: { timeoutMs: number; profile?: boolean },
): Promise<KeystrokeBench> {
  const server = await serveStatic(appDir);
  const result: KeystrokeBench = { date: new Date().toISOString(), runs: [], pending: [] };
  const browser = await launchChromium();
  try {
    for (const files of sizes) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await pageWith(context, server.url, files, options.timeoutMs);
        const cdp = options.profile ? await context.newCDPSession(page) : undefined;
        if (cdp) {
          await cdp.send('Profiler.enable');
          await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
          await cdp.send('Profiler.start');
        }
        const load = loadNow();
        const typed = await typeInBoth(page);
        if (cdp) {
          const { profile } = await cdp.send('Profiler.stop');
          writeFileSync(join(OUT, `keystroke-${files}.cpuprofile`), JSON.stringify(profile));
        }
        const form = summarize(typed.form);
        const plain = summarize(typed.plain);
        const ms = (samples: number[]) => samples.map((t) => round(t));
        result.runs.push({
          files,
          form,
          plain,
          ratio: form.p95 / plain.p95,
          load,
          formMs: ms(typed.form),
          plainMs: ms(typed.plain),
          steadyForm: summarize(typed.steadyForm),
          steadyPlain: summarize(typed.steadyPlain),
          steadyFormMs: ms(typed.steadyForm),
        });
      } catch (e) {
        result.pending.push(`${files} files: ${(e as Error).message.split('\n')[0]}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return result;
}

/** results.json's keys of issue 24.1; -1 where a size did not run. */
export interface KeystrokeJson {
  keystroke_p95_ratio: number;
  keystroke_3_p95_ms: number;
  keystroke_1k_p95_ms: number;
  keystroke_10k_p95_ms: number;
}

export const KEYSTROKE_RATIO_GOAL = 1.5;

export function keystrokeJson(k: KeystrokeBench | undefined): KeystrokeJson {
  const run = (files: number) => k?.runs.find((r) => r.files === files);
  const p95 = (files: number) => {
    const r = run(files);
    return r ? round(r.form.p95) : -1;
  };
  const ratio = run(1000)?.ratio;
  return {
    keystroke_p95_ratio: ratio === undefined ? -1 : Math.round(ratio * 100) / 100,
    keystroke_3_p95_ms: p95(3),
    keystroke_1k_p95_ms: p95(1000),
    keystroke_10k_p95_ms: p95(10000),
  };
}

const ms = (value: number) => `${round(value).toLocaleString('en-US')} ms`;

/** The section of results.md: each size's figures, the goal, how they were taken. */
export function keystrokeMarkdown(k: KeystrokeBench | undefined): string[] {
  const json = keystrokeJson(k);
  const out = ['## Typing in the form against a plain textarea (issue 24.1)', ''];
  if (!k) return [...out, 'Not run (`--only` left it out).'];
  const ratio = json.keystroke_p95_ratio;
  const verdict = ratio < 0 ? 'not run' : ratio <= KEYSTROKE_RATIO_GOAL ? 'met' : 'MISSED';
  out.push(
    `Measured ${k.date.slice(0, 16).replace('T', ' ')} UTC. \`keystroke_p95_ratio\` (1,000 files open): ${ratio < 0 ? '—' : `${ratio}×`}, goal ≤ ${KEYSTROKE_RATIO_GOAL}×: ${verdict}.`,
    '',
    '| Files open | Description field p50 (p95, max) | Plain textarea p50 (p95, max) | p95 ratio | Load (1 min) |',
    '|---|---|---|---|---|',
  );
  for (const r of k.runs) {
    out.push(
      `| ${r.files.toLocaleString('en-US')} | ${ms(r.form.p50)} (${ms(r.form.p95)}, ${ms(r.form.max)}) | ${ms(r.plain.p50)} (${ms(r.plain.p95)}, ${ms(r.plain.max)}) | ${Math.round(r.ratio * 100) / 100}× | ${r.load.toFixed(1)} |`,
    );
  }
  out.push(
    '',
    `The same ${TYPED.length} keys again in one go, a key every ${STEADY_MS} ms (a fast typist; the form's edit is written into the document whenever the keys pause ${DRAFT_QUIET_MS} ms, and a key that comes while it is written waits for it): p95 (max)`,
    '',
    '| Files open | Description field | Plain textarea | p95 ratio |',
    '|---|---|---|---|',
  );
  for (const r of k.runs) {
    out.push(
      `| ${r.files.toLocaleString('en-US')} | ${ms(r.steadyForm.p95)} (${ms(r.steadyForm.max)}) | ${ms(r.steadyPlain.p95)} (${ms(r.steadyPlain.max)}) | ${Math.round((r.steadyForm.p95 / r.steadyPlain.p95) * 100) / 100}× |`,
    );
  }
  for (const p of k.pending) out.push('', `Pending: ${p}`);
  out.push(
    '',
    `How: the built app in headless Chromium (60 Hz, as operators run it), one new page per size with an empty session (3 files: the example a first visit opens; 1,000 and 10,000: a folder of them opened through "Open folder", its first checkpoint selected, the session saved). A plain \`<textarea>\` is added to the same page. "${TYPED}" (${TYPED.length} keys) is typed with Playwright's \`keyboard.type\` in bursts of ${BURST}, into the Description field and into the textarea in turn (which goes first alternates), a pause around each burst until the page has saved and validated what the last one set off, then about 1.5 s. A key's time runs from its keydown's \`timeStamp\` (a key kept waiting behind other work counts the wait) to a message posted from the next animation frame's callback (the frame painted). \`npx tsx bench/keystroke.ts\` runs this part alone (\`--profile\` writes a CPU profile of the typing per size to \`bench/out/keystroke-N.cpuprofile\`).`,
  );
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '3,1000,10000' },
      profile: { type: 'boolean', default: false },
      unminified: { type: 'boolean', default: false },
    },
  });
  const sizes = (values.sizes ?? '').split(',').map(Number);
  let appDir: string;
  if (values.unminified) {
    appDir = join(OUT, 'app-unminified');
    await build({
      configFile: join(PROJECT, 'vite.config.ts'),
      root: PROJECT,
      logLevel: 'warn',
      build: { outDir: appDir, emptyOutDir: true, minify: false, sourcemap: false },
    });
  } else {
    appDir = await buildApp();
  }
  const loadStart = loadNow();
  const k = await benchKeystrokes(appDir, sizes, {
    timeoutMs: 240_000,
    profile: values.profile ?? false,
  });
  const report = { loadStart, loadEnd: loadNow(), ...k, json: keystrokeJson(k) };
  writeFileSync(join(OUT, 'keystroke.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(keystrokeMarkdown(k).join('\n'));
  console.log(JSON.stringify(report.json, null, 2));
  console.log(`load average ${loadStart.toFixed(1)} → ${report.loadEnd.toFixed(1)}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  await main();
}
