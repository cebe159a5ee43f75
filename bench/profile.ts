// `--profile`: where the page's main thread goes while a folder opens, from a CPU profile of an
// unminified build, and what reading the files costs in this browser by itself.
import type { Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { openApp, openFolder, scriptTreeFrames } from './app.ts';
import { launchChromium } from './browser.ts';
import { OUT, PROJECT } from './build.ts';
import { serveStatic } from './serve.ts';

export interface AppProfile {
  totalMs: number;
  /** [function, ms] a function and what it calls: V8's own entries, then the longest. */
  inclusive: [string, number][];
  /** [function, ms] the functions that ran longest themselves. */
  self: [string, number][];
  /** [how, ms] reading the folder's files with File.text(). */
  reading: [string, number][];
  /** The same for ArrowDown in the tree once the folder is open: `arrows` selections. */
  selection: {
    arrows: number;
    totalMs: number;
    inclusive: [string, number][];
    self: [string, number][];
  };
}

/** V8's own entries: not functions of the page. */
const V8_ENTRIES = ['(garbage collector)', '(program)', '(idle)'];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function aggregate(profile: CpuProfile): Omit<AppProfile, 'reading' | 'selection'> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const timeOf = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const nameOf = (node: ProfileNode) => {
    const file = node.callFrame.url.split('/').pop() ?? '';
    const chunk = file.replace(/-[\w-]{8}\.js$/, '.js');
    return `${node.callFrame.functionName || '(anonymous)'}${chunk ? ` (${chunk})` : ''}`;
  };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMs = 0;
  for (const [id, time] of timeOf) {
    totalMs += time;
    const node = byId.get(id);
    if (!node) continue;
    self.set(nameOf(node), (self.get(nameOf(node)) ?? 0) + time);
    // Each named function on the stack once, however deep its recursion.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame?.callFrame.functionName || frame.callFrame.functionName === '(root)') continue;
      const name = nameOf(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + time);
    }
  }
  const top = (map: Map<string, number>, count: number): [string, number][] =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count);
  return {
    totalMs,
    inclusive: [
      ...V8_ENTRIES.map((name): [string, number] => [name, self.get(name) ?? 0]),
      ...top(inclusive, 40)
        .filter(([name]) => !V8_ENTRIES.includes(name))
        .slice(0, 25),
    ],
    self: top(self, 20),
  };
}

/** File.text() over the folder three ways, in a bare page of the same origin. */
async function timeReading(page: Page, folder: string): Promise<[string, number][]> {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.webkitdirectory = true;
    input.id = 'bench-folder';
    document.body.append(input);
  });
  await page.locator('#bench-folder').setInputFiles(folder);
  return page.evaluate(async () => {
    const input = document.getElementById('bench-folder') as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    const timings: [string, number][] = [];
    let start = performance.now();
    for (const f of files) await f.text();
    timings.push([`one at a time (${files.length} files)`, performance.now() - start]);
    start = performance.now();
    await Promise.all(files.map((f) => f.text()));
    timings.push(['all at once (Promise.all)', performance.now() - start]);
    start = performance.now();
    let next = 0;
    const lane = async () => {
      while (next < files.length) await (files[next++] as File).text();
    };
    await Promise.all(Array.from({ length: 32 }, lane));
    timings.push(['32 at a time', performance.now() - start]);
    return timings;
  });
}

export async function profileFolderOpen(
  folder: string,
  files: number,
  firstName: string,
  timeoutMs: number,
  arrows: number,
): Promise<AppProfile> {
  const outDir = join(OUT, 'app-unminified');
  await build({
    configFile: join(PROJECT, 'vite.config.ts'),
    root: PROJECT,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, minify: false, sourcemap: false },
  });
  writeFileSync(join(outDir, 'bare.html'), '<!doctype html><title>bench</title><body></body>\n');
  const server = await serveStatic(outDir);
  const browser = await launchChromium();
  try {
    const page = await openApp(browser, server.url);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    await cdp.send('Profiler.start');
    await openFolder(page, folder, files, firstName, timeoutMs);
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.send('Profiler.start');
    await page.evaluate(scriptTreeFrames, { smallScrolls: 0, jumps: 0, arrows });
    const selectionProfile = (await cdp.send('Profiler.stop')).profile;
    // For a closer look: Chrome DevTools' Performance panel opens .cpuprofile files.
    writeFileSync(join(OUT, 'folder-open.cpuprofile'), JSON.stringify(profile));
    writeFileSync(join(OUT, 'selection.cpuprofile'), JSON.stringify(selectionProfile));
    const selection = aggregate(selectionProfile as unknown as CpuProfile);
    const bare = await browser.newPage();
    await bare.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await bare.goto(`${server.url}bare.html`);
    const reading = await timeReading(bare, folder);
    return {
      ...aggregate(profile as unknown as CpuProfile),
      reading,
      selection: { arrows, ...selection },
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
