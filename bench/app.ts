// Parts 3 and 4: the built app in headless Chromium, a folder of checkpoints opened through the
// "Open folder" picker, then scrolling and selecting in the Checkpoints tree.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserPid, launchChromium } from './browser.ts';
import { serveStatic } from './serve.ts';
import { cpuSince, threadCpuSince, treeCpu, treeThreadCpu } from './proc-cpu.ts';
import { summarize } from './stats.ts';
import type { Summary } from './stats.ts';

export interface FolderOpen {
  files: number;
  /** The input's change event (the drop) to the first frame painted with the folder's checkpoints in the tree. */
  treeShownMs: number;
  /** The change event to the first frame that shows every file validated (no "Validating…"). */
  validatedMs: number;
  /** setInputFiles() called to the tree shown, measured in Node (adds Playwright's file hand-over). */
  wallTreeShownMs: number;
  /** Rows the tree holds in the DOM when shown (fewer than the files once the tree is virtualised). */
  treeItemsInDom: number;
  /** The longest frame (main-thread task, between two animation frames) during the open. */
  longestFrameMs: number;
  /** The longest main-thread task (PerformanceObserver 'longtask') from the tree shown to every file validated; 0 when none reached 50 ms. */
  longestTaskMs: number;
  /** CPU seconds of all the browser's processes (from /proc) from setInputFiles() to validated. */
  cpuS?: number;
  /** The same CPU seconds by process kind and thread name, largest first (`--only=bundle` prints them). */
  cpuThreads?: [string, number][];
  /** `cpuS` and what followed until the session was saved (the bundle's open only). */
  savedCpuS?: number;
  /** What the live regions said at the end. */
  status: string;
  /** Each status the live regions showed: [text with numbers as #, first seen, last seen] in ms from the change event. */
  statuses: [string, number, number][];
}

export interface TreeFrames {
  scroll: Summary;
  select: Summary;
  all: Summary;
  /** Rows the arrow keys gave the focus to; how far the scroll went. */
  selected: number;
  scrolledPx: number;
}

/** What the page reports back; `window.folderBench` is set up by `watchFolderOpen`. */
interface FolderProbe {
  changeAt?: number;
  /** Each long task: [start, duration] in the page's clock. */
  longTasks: [number, number][];
  treeShownAt?: number;
  validatedAt?: number;
  treeItems?: number;
  longestFrame: number;
  status?: string;
  /** Each live region text seen (numbers as #), with the first and last frame it was seen in. */
  statuses: Record<string, [number, number]>;
}

declare const window: { folderBench: FolderProbe } & Window;

/**
 * Notes, in the page, when the folder input fires `change`, then looks at every animation frame
 * for the tree showing the checkpoints and for the validation status; a time is taken after the
 * frame has been painted (a message posted from the frame's callback).
 */
function watchFolderOpen({ firstName, input }: { firstName: string; input: string }): void {
  // What the app's live regions say while it still works on the folder.
  const BUSY = /Validating|Reading|Checking|Opening/i;
  const probe: FolderProbe = { longestFrame: 0, statuses: {}, longTasks: [] };
  window.folderBench = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask' });
  const afterPaint = (record: (t: number) => void) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => record(performance.now());
    channel.port2.postMessage(null);
  };
  // The probe must cost next to nothing in a page of 10,000 rows: the first row is looked up by
  // name, the live regions are looked up again only every 15 frames once the tree is shown.
  const rowSelector = `[role="treeitem"][aria-label="${CSS.escape(firstName)}"]`;
  let regions: Element[] = [];
  let frames = 0;
  const liveText = (region: Element) => {
    const pieces: string[] = [];
    const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      if (text) pieces.push(text);
    }
    return pieces.join(' ');
  };
  let last = 0;
  const frame = (now: number) => {
    if (last) probe.longestFrame = Math.max(probe.longestFrame, now - last);
    last = now;
    frames++;
    const tree = document.querySelector('[role="tree"][aria-label="Checkpoints"]');
    const shown = probe.treeShownAt !== undefined || tree?.querySelector(rowSelector) != null;
    if (shown && probe.treeShownAt === undefined) {
      probe.treeShownAt = -1;
      probe.treeItems = tree?.querySelectorAll('[role="treeitem"]').length ?? 0;
      afterPaint((t) => (probe.treeShownAt = t));
    }
    if (!shown || frames % 15 === 0 || regions.some((r) => !r.isConnected)) {
      regions = Array.from(document.querySelectorAll('[aria-live]'));
    }
    // A folder still being read shows its progress bar (validation runs while it is read).
    let validating = document.querySelector('progress, [role="progressbar"]') !== null;
    for (const region of regions) {
      const text = region.textContent?.trim();
      if (!text) continue;
      if (BUSY.test(text)) validating = true;
      const key = liveText(region).replace(/\d[\d,.]*/g, '#');
      const seen = (probe.statuses[key] ??= [now, now]);
      seen[1] = now;
    }
    if (shown && !validating && probe.validatedAt === undefined) {
      probe.validatedAt = -1;
      probe.status = regions.map(liveText).filter(Boolean).join(' | ');
      afterPaint((t) => (probe.validatedAt = t));
    }
    if (probe.validatedAt === undefined || probe.treeShownAt === -1) requestAnimationFrame(frame);
  };
  document.addEventListener(
    'change',
    (event) => {
      if ((event.target as HTMLInputElement).getAttribute('aria-label') !== input) return;
      probe.changeAt = performance.now();
      requestAnimationFrame(frame);
    },
    { capture: true },
  );
}

/** The page's JS heap after a full garbage collection, in MB. */
async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 1e6;
}

export async function openApp(
  browser: Browser | BrowserContext,
  url: string,
  options: { emptySession?: boolean } = {},
): Promise<Page> {
  const page = await browser.newPage(
    'newContext' in browser ? { viewport: { width: 1280, height: 800 } } : undefined,
  );
  // tsx keeps function names with a helper that the functions sent to the page would miss.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  // Queued before the app's own open of the database, so the app starts with no session.
  if (options.emptySession) {
    await page.addInitScript({ content: "indexedDB.deleteDatabase('checkpoint-editor');" });
  }
  await page.goto(url);
  const tree = page.getByRole('tree', { name: 'Checkpoints' });
  // The first visit opens the example chain; once it is validated the worker is warm, as it is
  // for an operator who drops a folder on the open page.
  await tree.getByRole('treeitem').first().waitFor({ timeout: 30_000 });
  await page.waitForFunction(
    () =>
      document.querySelector('progress, [role="progressbar"]') === null &&
      !Array.from(document.querySelectorAll('[aria-live]')).some((e) =>
        /Validating|Reading|Checking|Opening/i.test(e.textContent ?? ''),
      ),
    undefined,
    { timeout: 30_000 },
  );
  return page;
}

export async function openFolder(
  page: Page,
  folder: string,
  files: number,
  firstName: string,
  timeoutMs: number,
  options: { input?: string; cpuRoot?: number } = {},
): Promise<FolderOpen> {
  const input = options.input ?? 'Open folder';
  await page.evaluate(watchFolderOpen, { firstName, input });
  const cpuBefore = options.cpuRoot !== undefined ? treeCpu(options.cpuRoot) : undefined;
  const threadsBefore = options.cpuRoot !== undefined ? treeThreadCpu(options.cpuRoot) : undefined;
  const start = performance.now();
  await page.locator(`input[aria-label="${input}"]`).setInputFiles(folder);
  await page.waitForFunction(() => (window.folderBench.treeShownAt ?? -1) >= 0, undefined, {
    timeout: timeoutMs,
    polling: 50,
  });
  const wallTreeShownMs = performance.now() - start;
  await page.waitForFunction(() => (window.folderBench.validatedAt ?? -1) >= 0, undefined, {
    timeout: timeoutMs,
    polling: 100,
  });
  const cpuS =
    cpuBefore && options.cpuRoot !== undefined
      ? cpuSince(cpuBefore, treeCpu(options.cpuRoot))
      : undefined;
  const cpuThreads =
    threadsBefore && options.cpuRoot !== undefined
      ? threadCpuSince(threadsBefore, treeThreadCpu(options.cpuRoot))
      : undefined;
  const probe = await page.evaluate(() => window.folderBench);
  const changeAt = probe.changeAt ?? Number.NaN;
  const shownAt = probe.treeShownAt ?? Number.NaN;
  const validatedAt = probe.validatedAt ?? Number.NaN;
  const longestTaskMs = Math.max(
    0,
    ...probe.longTasks
      .filter(([at, duration]) => at + duration > shownAt && at < validatedAt)
      .map(([, duration]) => duration),
  );
  return {
    files,
    treeShownMs: shownAt - changeAt,
    validatedMs: validatedAt - changeAt,
    wallTreeShownMs,
    treeItemsInDom: probe.treeItems ?? 0,
    longestFrameMs: probe.longestFrame,
    longestTaskMs,
    ...(cpuS !== undefined ? { cpuS } : {}),
    ...(cpuThreads ? { cpuThreads } : {}),
    status: probe.status ?? '',
    statuses: Object.entries(probe.statuses)
      .map(([text, [first, last]]): [string, number, number] => [
        text,
        Math.max(0, first - changeAt),
        Math.max(0, last - changeAt),
      ])
      .sort((a, b) => a[1] - b[1]),
  };
}

/**
 * The floor of a folder open: a bare page of the same origin with the same `<input
 * webkitdirectory>`, reading every file's bytes (32 reads at a time, as fast as this browser
 * reads them); from the input's change event to the last byte, in ms.
 */
export async function readFolderBare(page: Page, url: string, folder: string): Promise<number> {
  // tsx keeps function names with a helper that the functions sent to the page would miss.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.goto(url);
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.webkitdirectory = true;
    input.id = 'bench-folder';
    const w = window as unknown as { floor: Promise<number> };
    w.floor = new Promise((resolve) => {
      input.addEventListener('change', () => {
        const start = performance.now();
        const files = Array.from(input.files ?? []);
        let next = 0;
        let bytes = 0;
        const lane = async () => {
          while (next < files.length)
            bytes += (await (files[next++] as File).arrayBuffer()).byteLength;
        };
        void Promise.all(Array.from({ length: 32 }, lane)).then(() =>
          resolve(bytes > 0 ? performance.now() - start : Number.NaN),
        );
      });
    });
    document.body.append(input);
  });
  await page.locator('#bench-folder').setInputFiles(folder);
  return page.evaluate(() => (window as unknown as { floor: Promise<number> }).floor);
}

/**
 * Scripted from inside the page, one step per animation frame, so that each frame holds exactly one
 * step's work: first the tree's scroller moves (small steps, then page-sized jumps), then ArrowDown
 * moves the selection row by row (each selection renders the checkpoint's forms and XML).
 * A frame's time is the gap between its animation frame and the next.
 */
export function scriptTreeFrames(steps: {
  smallScrolls: number;
  jumps: number;
  arrows: number;
}): Promise<{ scroll: number[]; select: number[]; scrolledPx: number; selected: number }> {
  const tree = document.querySelector('[role="tree"][aria-label="Checkpoints"]') as HTMLElement;
  // The element that scrolls the rows: the tree, one of its children (a virtualised list's
  // viewport), or the nearest ancestor that scrolls.
  const scrolls = (e: Element) => e.scrollHeight > e.clientHeight + 1;
  let scroller: Element | null = [tree, ...Array.from(tree.children)].find(scrolls) ?? tree;
  while (scroller && !scrolls(scroller)) scroller = scroller.parentElement;
  const target = scroller ?? document.scrollingElement ?? document.documentElement;
  const startTop = target.scrollTop;
  const label = () => document.activeElement?.getAttribute('aria-label') ?? '';
  type Step = { kind: 'scroll' | 'select'; run: () => void };
  const plan: Step[] = [];
  for (let i = 0; i < steps.smallScrolls; i++)
    plan.push({ kind: 'scroll', run: () => (target.scrollTop += 40) });
  for (let i = 0; i < steps.jumps; i++)
    plan.push({ kind: 'scroll', run: () => (target.scrollTop += target.clientHeight) });
  plan.push({ kind: 'scroll', run: () => (target.scrollTop = 0) });
  // The first row takes the focus, as a click would; then one ArrowDown per frame.
  plan.push({
    kind: 'select',
    run: () => (tree.querySelector('[role="treeitem"]') as HTMLElement | null)?.click(),
  });
  for (let i = 0; i < steps.arrows; i++) {
    plan.push({
      kind: 'select',
      run: () => {
        const row = document.activeElement ?? tree;
        row.dispatchEvent(
          new KeyboardEvent('keydown', { key: 'ArrowDown', code: 'ArrowDown', bubbles: true }),
        );
      },
    });
  }
  const scroll: number[] = [];
  const select: number[] = [];
  const focused = new Set<string>();
  let scrolledPx = 0;
  return new Promise((resolve) => {
    let index = -1;
    let last = 0;
    const frame = (now: number) => {
      const previous = plan[index];
      if (previous) (previous.kind === 'scroll' ? scroll : select).push(now - last);
      if (previous?.kind === 'scroll')
        scrolledPx = Math.max(scrolledPx, target.scrollTop - startTop);
      last = now;
      index++;
      const step = plan[index];
      if (previous?.kind === 'select') focused.add(label());
      if (!step) {
        resolve({ scroll, select, scrolledPx, selected: focused.size });
        return;
      }
      step.run();
      requestAnimationFrame(frame);
    };
    // Two frames first: the first delta would include whatever ran before.
    requestAnimationFrame(() => requestAnimationFrame(frame));
  });
}

export interface AppBench {
  folder?: FolderOpen;
  /** The page's JS heap after a GC, once the folder is open and validated, in MB (10^6 bytes). */
  heapMb?: number;
  /** The same folder opened again in a new page of the same browser (the session emptied, the kept verdicts not). */
  reopen?: FolderOpen;
  /** A bare page reading the same folder through the same input: just before the open, just before the reopen. */
  floorMs?: { beforeOpen: number; beforeReopen: number };
  /** The same checkpoints as one .tar.gz (as scripts/collect.sh packs them), in a new browser context (nothing kept). */
  bundle?: FolderOpen;
  /** Each of the bundle's opens with `--only=bundle` (the last is `bundle`). */
  bundleRuns?: FolderOpen[];
  /** The tree's frames, three runs in the same page; `frames` is the run of the median p95. */
  frameRuns?: TreeFrames[];
  frames?: TreeFrames;
  /** The longest task while a 15 MB file opens (e2e/big-file.spec.ts's file), in a new browser context. */
  bigFile?: { longestTaskMs: number; openedMs: number };
  /** Why a part could not run (the app not ready for it). */
  pending: string[];
}

/** The inputs of part 3 and its neighbours, on disk. */
export interface AppInputs {
  folder: string;
  files: number;
  firstName: string;
  /** The folder's checkpoints as DOMAIN-checkpoints.tar.gz. */
  bundle: string;
  /** One file of about 15 MB, named big.xml, its checkpoint `big`. */
  bigFile: string;
}

/**
 * The 15 MB file opened through "Open checkpoint files" in a page whose example is validated: the
 * longest main-thread task from the input's change to the file shown, validated and saved.
 */
async function openBigFile(page: Page, path: string, timeoutMs: number) {
  await page.evaluate(() => {
    const w = window as unknown as { bigTasks: number[]; bigChange?: number };
    w.bigTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.bigTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    document.addEventListener('change', () => (w.bigChange ??= performance.now()), {
      capture: true,
    });
  });
  await page.locator('input[aria-label="Open checkpoint files"]').setInputFiles(path);
  await page.waitForFunction(
    () =>
      document.querySelector('[role=treeitem][aria-label="big"]') !== null &&
      document.querySelector('.save-status')?.textContent === 'Saved in this browser' &&
      !/Validating \d+ files?…/.test(document.body.textContent ?? ''),
    undefined,
    { timeout: timeoutMs, polling: 500 },
  );
  return page.evaluate(() => {
    const w = window as unknown as { bigTasks: number[]; bigChange?: number };
    return {
      longestTaskMs: Math.max(0, ...w.bigTasks),
      openedMs: performance.now() - (w.bigChange ?? Number.NaN),
    };
  });
}

/** The summary whose p95 is the median of the runs'. */
function medianRun(runs: TreeFrames[]): TreeFrames | undefined {
  return [...runs].sort((a, b) => a.all.p95 - b.all.p95)[Math.floor((runs.length - 1) / 2)];
}

/** Part 14: the bundle opened in a new browser context (no session, no kept verdicts). */
async function openBundle(
  browser: Browser,
  url: string,
  inputs: Pick<AppInputs, 'bundle' | 'files' | 'firstName'>,
  timeoutMs: number,
  pid: number | undefined,
  result: AppBench,
): Promise<void> {
  try {
    // A new context: no session, no kept verdicts; every file validated again.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await openApp(context, url);
    const opened = await openFolder(
      page,
      inputs.bundle,
      inputs.files,
      inputs.firstName,
      timeoutMs,
      { input: 'Open checkpoint files', ...(pid !== undefined ? { cpuRoot: pid } : {}) },
    );
    if (pid === undefined)
      result.pending.push('bundle: the browser process was not found in /proc');
    // The session's save of the bundle's files runs beside the validation and after it.
    if (pid !== undefined && opened.cpuS !== undefined) {
      const before = treeCpu(pid);
      await page
        .getByText('Saved in this browser', { exact: true })
        .waitFor({ timeout: timeoutMs });
      opened.savedCpuS = opened.cpuS + cpuSince(before, treeCpu(pid));
    }
    result.bundle = opened;
    await context.close();
  } catch (e) {
    result.pending.push(`bundle open: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Part 14 alone (`--only=bundle`): the bundle's open, `runs` times, each in a new context. */
export async function benchBundle(
  appDir: string,
  inputs: Pick<AppInputs, 'bundle' | 'files' | 'firstName'>,
  options: { timeoutMs: number; runs: number },
): Promise<AppBench> {
  const server = await serveStatic(appDir);
  const result: AppBench = { pending: [], bundleRuns: [] };
  const marker = `${process.pid}-${Date.now()}`;
  try {
    const browser = await launchChromium({ marker });
    try {
      const pid = browserPid(marker);
      for (let run = 0; run < options.runs; run++) {
        delete result.bundle;
        await openBundle(browser, server.url, inputs, options.timeoutMs, pid, result);
        if (result.bundle) result.bundleRuns?.push(result.bundle);
      }
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
  }
  return result;
}

/** Part 3 in a browser as configured for operators; part 4 in one without the 60 Hz cap. */
export async function benchApp(
  appDir: string,
  inputs: AppInputs,
  options: { timeoutMs: number; arrows: number; frameRuns: number },
): Promise<AppBench> {
  const { folder, files, firstName } = inputs;
  writeFileSync(join(appDir, 'bare.html'), '<!doctype html><title>bench</title><body></body>\n');
  const server = await serveStatic(appDir);
  const result: AppBench = { pending: [] };
  const marker = `${process.pid}-${Date.now()}`;
  try {
    const browser = await launchChromium({ marker });
    const pid = browserPid(marker);
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const bare = await context.newPage();
      const beforeOpen = await readFolderBare(bare, `${server.url}bare.html`, folder);
      await bare.close();
      const page = await openApp(context, server.url);
      result.folder = await openFolder(page, folder, files, firstName, options.timeoutMs, {
        ...(pid !== undefined ? { cpuRoot: pid } : {}),
      });
      result.heapMb = await heapAfterGc(page);
      await page.close();
      const bareAgain = await context.newPage();
      const beforeReopen = await readFolderBare(bareAgain, `${server.url}bare.html`, folder);
      await bareAgain.close();
      result.floorMs = { beforeOpen, beforeReopen };
      // The session would bring the folder back by itself: it is emptied before the app starts.
      const again = await openApp(context, server.url, { emptySession: true });
      result.reopen = await openFolder(again, folder, files, firstName, options.timeoutMs, {
        ...(pid !== undefined ? { cpuRoot: pid } : {}),
      });
      await again.close();
      await context.close();
    } catch (e) {
      result.pending.push(`folder open: ${(e as Error).message.split('\n')[0]}`);
    }
    await openBundle(browser, server.url, inputs, options.timeoutMs, pid, result);
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await openApp(context, server.url);
      result.bigFile = await openBigFile(page, inputs.bigFile, options.timeoutMs);
      await context.close();
    } catch (e) {
      result.pending.push(`big file: ${(e as Error).message.split('\n')[0]}`);
    } finally {
      await browser.close();
    }
    const unthrottled = await launchChromium({ unthrottled: true });
    try {
      const page = await openApp(unthrottled, server.url);
      await openFolder(page, folder, files, firstName, options.timeoutMs);
      // The tree at rest: the session's save of the new folder done (it runs after the open).
      await page
        .getByText('Saved in this browser', { exact: true })
        .waitFor({ timeout: options.timeoutMs });
      const runs: TreeFrames[] = [];
      for (let run = 0; run < options.frameRuns; run++) {
        const frames = await page.evaluate(scriptTreeFrames, {
          smallScrolls: 120,
          jumps: 30,
          arrows: options.arrows,
        });
        runs.push({
          scroll: summarize(frames.scroll),
          select: summarize(frames.select),
          all: summarize([...frames.scroll, ...frames.select]),
          selected: frames.selected,
          scrolledPx: frames.scrolledPx,
        });
        if (frames.selected < options.arrows / 2) {
          result.pending.push(
            `tree frames: ArrowDown reached row ${frames.selected} of ${options.arrows}; the tree's keyboard handling may have changed`,
          );
        }
      }
      result.frameRuns = runs;
      const median = medianRun(runs);
      if (median) result.frames = median;
    } catch (e) {
      result.pending.push(`tree frames: ${(e as Error).message.split('\n')[0]}`);
    } finally {
      await unthrottled.close();
    }
  } finally {
    await server.close();
  }
  return result;
}
