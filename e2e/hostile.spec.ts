// Hostile and broken input in the built page: every file gets a clear error naming it (and its line
// where known), nothing is expanded or fetched, no script runs, the page never hangs, nothing is lost.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { decodeXml, parseCheckpoint } from '../src/core/index.ts';
import type { HostileCase } from '../test/hostile/corpus.ts';
import { hostileCases, largeCases, writeAwkwardFolder } from '../test/hostile/corpus.ts';
import type { TempFolder } from './hostile-files.ts';
import {
  BINARY_AS_XML,
  hostileFolder,
  PROBE,
  PROBE_CASES,
  tempFolder,
  VALID,
} from './hostile-files.ts';
import {
  expect,
  openApp,
  test,
  textbox,
  tree,
  validated,
  validation,
  xmlSource,
} from './fixtures.ts';

/** What the page must say of a case: in the Validation region, or in the list of skipped files. */
interface InPage {
  message: RegExp;
  line?: number;
  skipped?: boolean;
  /** Well-formed, so it opens in the form despite the error. */
  readable?: boolean;
  /** A bundle: what it holds opens under this name, and the problem is that file's. */
  opensAs?: string;
}

/**
 * The page lists libxml2's own messages where the CLI sums a schema failure up in a line; and it
 * skips files that are not named .xml before reading them.
 */
const IN_PAGE: Record<string, Partial<InPage>> = {
  png: { message: /not an \.xml or \.json file/, skipped: true },
  // A zip named .xml is read as what it is named: binary data (named .zip it opens as a bundle:
  // e2e/collect.spec.ts, e2e/bundle-hostile.spec.ts).
  zip: { line: 1, skipped: true },
  latin1: { skipped: true },
  'png-as-xml': { line: 1, skipped: true },
  'zip-as-xml': { line: 1, skipped: true },
  xinclude: {
    message: /Relax-NG validity error : Element domaincheckpoint has extra content/,
    readable: true,
  },
  'script-name': { message: /Relax-NG validity error/, readable: true },
  // libvirt reads these (no entity is ever loaded) and refuses them at its schema check.
  'external-file': { message: /libvirt does not expand entities/, readable: true },
  'external-http': { message: /libvirt does not expand entities/, readable: true },
};

function inPage(c: HostileCase): InPage | undefined {
  // The page says what libvirt does: a file libvirt would refuse is named with libvirt's error.
  const message = IN_PAGE[c.id]?.message ?? c.expect ?? c.libvirtRefuses?.expect;
  if (!message) return undefined;
  return { line: c.line ?? c.libvirtRefuses?.line, ...IN_PAGE[c.id], message };
}

/** The checkpoint name a case that libvirt would read carries, as core reads it. */
function checkpointName(c: HostileCase): string {
  const text = decodeXml(c.bytes);
  const parsed = text.ok ? parseCheckpoint(text.value) : undefined;
  const name = parsed?.ok ? parsed.value.name : undefined;
  if (!name) throw new Error(`${c.id} has no checkpoint name`);
  return name;
}

/** Text that must never reach the page: an entity expanded, /etc/passwd read (here and as it is). */
const NEVER = [
  'lollollol',
  'root:x:0:0',
  readFileSync('/etc/passwd', 'utf8').split('\n')[0] as string,
];

const SMALL = [...hostileCases(), ...BINARY_AS_XML];

/** A main-thread task longer than this is a hang to an operator. */
const HANG_MS = 5_000;

interface Probe {
  __pwned?: unknown;
  __longestTaskMs: number;
  __violations: string[];
}

/**
 * Watches the page from its first script: the longest main-thread task, Content-Security-Policy
 * violations (markup that got in and was blocked), script dialogs and uncaught errors.
 */
async function watch(page: Page) {
  await page.addInitScript(() => {
    const probe = window as unknown as Probe;
    probe.__longestTaskMs = 0;
    probe.__violations = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        probe.__longestTaskMs = Math.max(probe.__longestTaskMs, e.duration);
      }
    }).observe({ type: 'longtask', buffered: true });
    document.addEventListener('securitypolicyviolation', (e) =>
      probe.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const dialogs: string[] = [];
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  return {
    dialogs,
    errors,
    requests,
    probe: () =>
      page.evaluate(() => {
        const p = window as unknown as Probe;
        return { pwned: p.__pwned, longestTaskMs: p.__longestTaskMs, violations: p.__violations };
      }),
  };
}

type Watch = Awaited<ReturnType<typeof watch>>;

/** The page is there and answering: its panes show, nothing threw, no task ran for seconds. */
async function expectAlive(page: Page, w: Watch, hangMs = HANG_MS) {
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(tree(page)).toBeVisible();
  await expect(validation(page)).toBeVisible();
  expect(w.errors, 'uncaught errors in the page').toEqual([]);
  const { longestTaskMs } = await w.probe();
  expect(longestTaskMs, 'the longest main-thread task, in ms').toBeLessThan(hangMs);
}

/** Everything the page holds as text: its markup and the values of its fields. */
async function expectNothingLeaked(page: Page) {
  const everything = await page.evaluate(
    () =>
      document.documentElement.outerHTML +
      [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')]
        .map((el) => el.value)
        .join('\n'),
  );
  for (const never of NEVER) expect(everything, `the page shows ${never}`).not.toContain(never);
}

const fileSection = (page: Page, fileName: string) =>
  validation(page)
    .locator('div')
    .filter({ has: page.getByRole('heading', { level: 3, name: fileName, exact: true }) })
    .last();

const fileProblems = (page: Page, fileName: string) =>
  fileSection(page, fileName).getByRole('button');

const skippedFiles = (page: Page) => page.getByRole('region', { name: /^Skipped \d+ files?$/ });

/** The file's error in the Validation region (or the skipped list), on its line where known. */
async function expectNamed(page: Page, fileName: string, want: InPage) {
  if (want.skipped) {
    const line = want.line ? `line ${want.line}: ` : '';
    // Files skipped by their type are one line per kind ("1 other file"): opened, each is listed.
    for (const kind of await skippedFiles(page).getByRole('button', { expanded: false }).all())
      await kind.click();
    // The file's own line (the innermost item naming it).
    await expect(
      skippedFiles(page).getByRole('listitem').filter({ hasText: fileName }).last(),
    ).toHaveText(
      new RegExp(
        `(^|/)${escapeRegExp(fileName)}: ${line}.*${want.message.source}`,
        `s${want.message.flags}`,
      ),
    );
    await expect(fileProblems(page, fileName)).toHaveCount(0);
    return;
  }
  let problems = fileProblems(page, fileName).filter({ hasText: want.message });
  // Where a field rule says the fact first, libxml2's words are listed below it, with their line.
  let libxml2 = fileSection(page, fileName)
    .getByRole('list', { name: 'libxml2 says' })
    .getByRole('listitem')
    .filter({ hasText: want.message });
  if (want.line !== undefined) {
    problems = problems.filter({ has: page.getByText(`line ${want.line}`, { exact: true }) });
    libxml2 = libxml2.filter({ hasText: `libxml2, line ${want.line}:` });
  }
  await expect(
    problems.or(libxml2).first(),
    `${fileName}: ${want.message} on line ${want.line}`,
  ).toBeVisible();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function openFiles(page: Page, paths: string[]) {
  await page.getByLabel('Open checkpoint files').setInputFiles(paths);
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await validated(page);
}

const item = (page: Page, name: string) => tree(page).getByRole('treeitem', { name, exact: true });

/** The valid checkpoint still edits: its form writes the XML source, and it stays valid. */
async function expectValidFileEdits(page: Page) {
  await item(page, VALID.name).click();
  await expect(textbox(page, 'Description')).toHaveValue(VALID.description);
  await textbox(page, 'Description').fill('still editable');
  await expect(xmlSource(page).getByRole('textbox')).toContainText(
    '<description>still editable</description>',
  );
  await validated(page);
}

let folder: TempFolder | undefined;
test.afterEach(() => {
  folder?.remove();
  folder = undefined;
});

test('every hostile file at once: each named with its error and line, nothing expanded', async ({
  page,
}) => {
  const w = await watch(page);
  const f = (folder = hostileFolder(SMALL));
  await openApp(page);
  await openFiles(page, [...SMALL.map((c) => f.path(c.fileName)), f.path(VALID.fileName)]);
  for (const c of SMALL) {
    const want = inPage(c);
    if (want) await expectNamed(page, want.opensAs ?? c.fileName, want);
    else {
      // Files libvirt reads (a BOM, processing instructions): opened, well-formed, valid.
      await expect(item(page, checkpointName(c))).toBeVisible();
      await expect(
        fileProblems(page, c.fileName).filter({ hasText: /malformed|parser error|Relax-NG/ }),
      ).toHaveCount(0);
    }
  }
  await expect(validation(page)).not.toContainText(/\.png|\.zip|latin1\.xml|-as-xml/);
  await expectNothingLeaked(page);
  // Each unreadable file, selected, says why in words and keeps its text for fixing.
  for (const fileName of ['bomb.xml']) {
    await item(page, fileName).click();
    await expect(page.getByRole('alert')).toContainText(
      `${fileName} cannot be read as a checkpoint`,
    );
    await expect(xmlSource(page).getByRole('textbox')).toContainText('<!DOCTYPE domaincheckpoint');
    await expectNothingLeaked(page);
  }
  // The valid checkpoint opened with them is untouched: no problem, and its form works.
  await expect(fileProblems(page, VALID.fileName)).toHaveCount(0);
  await expect(item(page, VALID.name)).not.toContainText(/error|warning/);
  await expectValidFileEdits(page);
  await expect(fileProblems(page, VALID.fileName)).toHaveCount(0);
  await expectAlive(page, w);
  expect(w.dialogs).toEqual([]);
});

test('the billion laughs keeps its error to itself', async ({ page }) => {
  const bomb = hostileCases().find((c) => c.id === 'billion-laughs') as HostileCase;
  folder = hostileFolder([bomb]);
  await openApp(page);
  await openFiles(page, [folder.path(bomb.fileName), folder.path(VALID.fileName)]);
  await expectNamed(page, bomb.fileName, { message: /amplification/ });
  await expect(fileProblems(page, VALID.fileName)).toHaveCount(0);
  await expectNothingLeaked(page);
});

test('hostile files one at a time: each named with its error, the page unharmed', async ({
  page,
}) => {
  const w = await watch(page);
  const ids = [
    'unclosed',
    'crossed',
    'wrong-root',
    'latin1',
    'billion-laughs',
    'external-file',
    'external-http',
    'xinclude',
    'png-as-xml',
  ];
  const cases = SMALL.filter((c) => ids.includes(c.id));
  folder = hostileFolder(cases);
  await openApp(page);
  await openFiles(page, [folder.path(VALID.fileName)]);
  for (const c of cases) {
    await openFiles(page, [folder.path(c.fileName)]);
    const want = inPage(c) as InPage;
    await expectNamed(page, c.fileName, want);
    if (!want.skipped && !want.readable) {
      // A file that cannot be read opens selected, its reason above the XML source.
      await expect(page.getByRole('alert')).toContainText(
        new RegExp(
          `${escapeRegExp(c.fileName)} cannot be read as a checkpoint: .*${want.message.source}`,
          `s${want.message.flags}`,
        ),
      );
    }
    await expectNothingLeaked(page);
    await expect(fileProblems(page, VALID.fileName)).toHaveCount(0);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  await expectValidFileEdits(page);
  await expectAlive(page, w);
});

test('an empty file is "Document is empty" on line 1, never line 0', async ({ page }) => {
  const empty = hostileCases().find((c) => c.id === 'empty') as HostileCase;
  folder = hostileFolder([empty]);
  await openApp(page);
  await openFiles(page, [folder.path(empty.fileName)]);
  await expectNamed(page, empty.fileName, { message: /Document is empty/, line: 1 });
  await expect(
    fileProblems(page, empty.fileName).filter({ has: page.getByText('line 0', { exact: true }) }),
  ).toHaveCount(0);
  await expect(page.getByRole('alert')).not.toContainText('line 0');
});

test('external entities, XInclude and stylesheets fetch nothing, not even from the app', async ({
  page,
  offOrigin,
}) => {
  const w = await watch(page);
  const ids = ['external-file', 'external-http', 'xinclude', 'processing-instruction'];
  const cases = hostileCases().filter((c) => ids.includes(c.id));
  const f = (folder = hostileFolder(cases));
  await openApp(page);
  const before = w.requests.length;
  await openFiles(
    page,
    cases.map((c) => f.path(c.fileName)),
  );
  for (const c of cases) {
    const want = inPage(c);
    if (want) await expectNamed(page, want.opensAs ?? c.fileName, want);
  }
  // Each selected, so that its source view and form render too.
  // Three of them are the checkpoint "a" (both external entities and the XInclude), one "pi"; a
  // duplicate's row names its file too: "a (xinclude.xml)".
  for (const [name, count] of [
    ['a', 3],
    ['pi', 1],
  ] as const) {
    const rows = tree(page).getByRole('treeitem', { name: new RegExp(`^${name}( \\(.+\\))?$`) });
    await expect(rows).toHaveCount(count);
    for (let k = 0; k < count; k++) {
      await rows.nth(k).click();
      await expect(xmlSource(page).getByRole('textbox')).toBeVisible();
    }
  }
  await expectNothingLeaked(page);
  expect(offOrigin, 'requests that left the app origin').toEqual([]);
  // A relative href or a system id would resolve against the page: nothing of the kind either.
  expect(
    w.requests.slice(before).filter((url) => /passwd|\/x$|\.xsl$|:9\//.test(url)),
    'requests for what the files point at',
  ).toEqual([]);
});

test('markup in names and descriptions is shown as text and never runs', async ({ page }) => {
  const w = await watch(page);
  const cases = [
    ...PROBE_CASES,
    ...hostileCases().filter((c) => c.id === 'script-name' || c.id === 'script-description'),
  ];
  const f = (folder = hostileFolder(cases));
  await openApp(page);
  await openFiles(
    page,
    cases.map((c) => f.path(c.fileName)),
  );

  await item(page, PROBE.name).click();
  await expect(
    page.getByRole('heading', { level: 2, name: PROBE.name, exact: true }),
  ).toBeVisible();
  await expect(textbox(page, 'Name')).toHaveValue(PROBE.name);
  await expect(textbox(page, 'Description')).toHaveValue(PROBE.description);
  await expect(textbox(page, 'Parent')).toHaveValue(PROBE.parent);
  await expect(xmlSource(page).getByRole('textbox')).toContainText(
    '<name>&lt;img src=x onerror="window.__pwned=1"&gt;</name>',
  );
  await expect(validation(page)).toContainText(
    `file name probe.xml differs from ${PROBE.name}.xml`,
  );
  // Every view that shows names: the chain, the bitmap matrix, the graph.
  for (const tab of ['Chain', 'Bitmaps', 'Graph', 'Checkpoint']) {
    await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
    await expect(page.getByRole('tabpanel')).toBeVisible();
    await expect(page.getByRole('tabpanel').getByText(PROBE.name).first()).toBeVisible();
  }
  await item(page, 'cdata').click();
  await expect(textbox(page, 'Description')).toHaveValue(PROBE.description);
  await item(page, '<script>alert(1)</script>').click();
  await expect(textbox(page, 'Name')).toHaveValue('<script>alert(1)</script>');
  await item(page, 'xss').click();
  await expect(textbox(page, 'Description')).toHaveValue(
    '<img src=x onerror=alert(1)> javascript:alert(1) <script>alert(2)</script>',
  );
  // An edit writes the markup back escaped, and it stays text.
  await textbox(page, 'Description').fill(PROBE.description);
  await expect(xmlSource(page).getByRole('textbox')).toContainText(
    '&lt;script&gt;window.__pwned=2&lt;/script&gt;',
  );

  const injected = await page.evaluate(
    () =>
      document.querySelectorAll(
        'img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript:"], body script:not([src])',
      ).length,
  );
  expect(injected, 'elements made from checkpoint text').toBe(0);
  const { pwned, violations } = await w.probe();
  expect(pwned, 'window.__pwned').toBeUndefined();
  expect(violations, 'Content-Security-Policy violations').toEqual([]);
  expect(w.dialogs, 'script dialogs').toEqual([]);
  expect(w.requests.filter((url) => /\/x$/.test(url))).toEqual([]);
  await expectAlive(page, w);
});

const [HUGE, DEEP] = largeCases() as [HostileCase, HostileCase];

/** A large file opened with a valid one: its error shows, and the page answers within seconds. */
async function openLarge(page: Page, c: HostileCase, treeName: string) {
  const w = await watch(page);
  folder = hostileFolder([c]);
  await openApp(page);
  await page
    .getByLabel('Open checkpoint files')
    .setInputFiles([folder.path(c.fileName), folder.path(VALID.fileName)]);
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
  await validated(page);
  await expectNamed(page, c.fileName, { message: c.expect as RegExp, line: c.line });
  // A click on the other checkpoint shows it within a few seconds; so does going back.
  await item(page, VALID.name).click({ timeout: 5_000 });
  await expect(textbox(page, 'Description')).toHaveValue(VALID.description, { timeout: 5_000 });
  await item(page, treeName).click({ timeout: 5_000 });
  await expect(page.getByRole('heading', { level: 2, name: treeName })).toBeVisible({
    timeout: 5_000,
  });
  await item(page, VALID.name).click({ timeout: 5_000 });
  await expect(textbox(page, 'Description')).toHaveValue(VALID.description, { timeout: 5_000 });
  await expectAlive(page, w);
}

test('a 50 MB checkpoint is refused unread, and the page stays responsive', async ({ page }) => {
  const w = await watch(page);
  folder = hostileFolder([HUGE]);
  await openApp(page);
  await page
    .getByLabel('Open checkpoint files')
    .setInputFiles([folder.path(HUGE.fileName), folder.path(VALID.fileName)]);
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
  const skipped = page.getByRole('region', { name: /^Skipped 1 file/ });
  await expect(skipped).toContainText(HUGE.fileName);
  await expect(skipped).toContainText(HUGE.expect as RegExp);
  await item(page, VALID.name).click({ timeout: 5_000 });
  await expect(textbox(page, 'Description')).toHaveValue(VALID.description, { timeout: 5_000 });
  await expectAlive(page, w);
});

test('a 100,000-deep checkpoint: "Excessive depth", and the page stays responsive', async ({
  page,
}) => {
  await openLarge(page, DEEP, DEEP.fileName);
  await item(page, DEEP.fileName).click();
  await expect(page.getByRole('alert')).toContainText(
    `${DEEP.fileName} cannot be read as a checkpoint: line ${DEEP.line}`,
  );
});

test('a folder of 10,000 other files: the checkpoints open, the rest are listed as skipped', async ({
  page,
}) => {
  // Writing 10,003 files and handing them to the browser takes most of a minute on a busy machine.
  test.slow();
  const w = await watch(page);
  folder = tempFolder((dir) => writeAwkwardFolder(dir));
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(folder.dir);
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
  await expect(tree(page).getByRole('treeitem')).toHaveCount(3);
  const skipped = page.getByRole('region', { name: /^Skipped 10,?000 files$/ });
  await expect(skipped).toBeVisible();
  // One line for them all; the first 200 listed, the rest on request: 10,000 rows at once would
  // stall the page.
  await skipped.getByRole('button', { name: '10,000 other files' }).click();
  const listed = skipped.getByRole('list', { name: '10,000 other files' }).getByRole('listitem');
  await expect(listed).toHaveCount(200);
  await expect(listed.first()).toHaveText(/notes-0\.txt: not an \.xml or \.json file$/);
  await validated(page);
  await expect(validation(page)).not.toContainText('notes-');
  // Names with spaces, quotes and non-ASCII, each opened under its own name.
  const names = ['with space.xml', 'it\'s "quoted".xml', 'café-☃.xml'];
  for (const [i, fileName] of names.entries()) {
    await item(page, `n${i}`).click();
    await expect(page.getByRole('heading', { level: 2, name: `n${i}` })).toHaveAttribute(
      'title',
      fileName,
    );
    await expect(
      fileProblems(page, fileName).filter({ hasText: /malformed|Relax-NG/ }),
    ).toHaveCount(0);
  }
  // Chromium's own hand-over of 10,003 Files to the input is one task of about 3.3 s here (a CPU
  // profile: all native, no page script), more on a loaded machine: a hang is what exceeds it.
  await expectAlive(page, w, 10_000);
  await skipped.getByRole('button', { name: 'Show the other 9,800' }).click();
  await expect(listed).toHaveCount(10_000);
});

test('nothing is lost when the validation worker crashes: the edit survives, validation recovers', async ({
  page,
}) => {
  folder = hostileFolder([]);
  await openApp(page);
  await openFiles(page, [folder.path(VALID.fileName)]);
  await expect(validation(page)).toContainText('All 1 file is valid');
  await textbox(page, 'Description').fill('edited before the crash');
  await expect(page.getByText('Saved in this browser')).toBeVisible();

  // An uncaught error in each worker, as a wasm abort or an out-of-memory would end it; the page
  // hears of it and ends the worker.
  const names: string[] = [];
  for (const worker of page.workers()) {
    const name = await worker.evaluate(() => self.name);
    names.push(name);
    await Promise.all([
      worker.waitForEvent('close'),
      worker.evaluate(() => {
        setTimeout(() => {
          throw new Error('crashed by the test');
        });
      }),
    ]);
  }
  expect(names, 'the workers crashed').toContain('xmllint');

  // The next edit validates in a new worker: a name libvirt's schema refuses is caught.
  await textbox(page, 'Name').fill('bad name');
  // (Below the field rule's own line, as libxml2's words.)
  await expect(
    fileSection(page, VALID.fileName)
      .getByText(/Relax-NG validity error/)
      .first(),
  ).toBeVisible();
  await textbox(page, 'Name').fill(VALID.name);
  await expect(validation(page)).toContainText('All 1 file is valid');
  await expect(page.getByText('Saved in this browser')).toBeVisible();

  await page.reload();
  await expect(item(page, VALID.name)).toHaveAttribute('aria-selected', 'true');
  await expect(textbox(page, 'Description')).toHaveValue('edited before the crash');
  await validated(page);
  await expect(validation(page)).toContainText('All 1 file is valid');
  await textbox(page, 'Name').fill('bad name');
  // (Below the field rule's own line, as libxml2's words.)
  await expect(
    fileSection(page, VALID.fileName)
      .getByText(/Relax-NG validity error/)
      .first(),
  ).toBeVisible();
});

test('a validation worker that dies without a word: the run times out clearly, the next validates', async ({
  page,
}) => {
  // The page gives a schema run 30 s (WORKER_TIMEOUT_MS) before it ends the worker.
  test.setTimeout(90_000);
  const w = await watch(page);
  folder = hostileFolder([]);
  await openApp(page);
  await openFiles(page, [folder.path(VALID.fileName)]);
  let closed = 0;
  for (const worker of page.workers()) {
    if ((await worker.evaluate(() => self.name)) !== 'xmllint') continue;
    await Promise.all([
      worker.waitForEvent('close'),
      worker.evaluate(() => {
        setTimeout(() => self.close());
      }),
    ]);
    closed++;
  }
  // Every xmllint worker of the pool (one per core, up to two) dies.
  expect(closed, 'the xmllint workers closed').toBeGreaterThan(0);
  await textbox(page, 'Name').fill('bad name');
  await expect(
    fileProblems(page, VALID.fileName).filter({ hasText: /Validation took longer than \d+ s/ }),
  ).toBeVisible({ timeout: 45_000 });
  await textbox(page, 'Name').fill(VALID.name);
  await expect(validation(page)).toContainText('All 1 file is valid');
  await expectAlive(page, w);
});
