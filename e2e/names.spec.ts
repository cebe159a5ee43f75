// Names come from files: they may turn text around (a right-to-left override), run to 100,000
// characters, or clash on Windows and macOS. The page shows each as itself and the zip keeps them all.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Download, Locator, Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { formatCheckpoint, parseCheckpoint } from '../src/core/index.ts';
import { runningGuestCheckpoint as checkpointXml } from '../src/samples/index.ts';
import { expect, openApp, projectRoot, test, tree, validated, validation } from './fixtures.ts';

const UUID = '4b6f8a3e-2d1c-4e5f-9a7b-3c2d1e0f9a8b';
const RLO = '\u202e';

function folderOf(files: Record<string, string>): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'names-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function saved(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The page scrolls sideways nowhere: no name pushed anything out of its box. */
async function expectNoSidewaysOverflow(page: Page): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth, 'page width').toBeLessThanOrEqual(clientWidth);
}

/** Where each word starts on screen, found in the text of `within`: left to right reads in order. */
/** Whether each word's first letter shows after the one before it: on a later line, or further right. */
async function inReadingOrder(within: Locator, words: string[]): Promise<boolean> {
  const boxes = await within.evaluate((el, words) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    return words.map((word) => {
      walker.currentNode = el;
      let found: Text | undefined;
      while (!found && walker.nextNode()) {
        const text = walker.currentNode as Text;
        if (text.data.includes(word)) found = text;
      }
      if (!found) throw new Error(`no ${word}`);
      const range = document.createRange();
      const at = found.data.indexOf(word);
      range.setStart(found, at);
      range.setEnd(found, at + 1);
      const { left, top, height } = range.getBoundingClientRect();
      return { left, top, height };
    });
  }, words);
  return boxes.every((b, i) => {
    const a = boxes[i - 1];
    if (!a) return true;
    const sameLine = Math.abs(a.top - b.top) < a.height / 2;
    return sameLine ? a.left < b.left : a.top < b.top;
  });
}

async function wordLefts(within: Locator, words: string[]): Promise<number[]> {
  return within.evaluate((el, words) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const lefts: number[] = [];
    for (const word of words) {
      walker.currentNode = el;
      let found: Text | undefined;
      while (!found && walker.nextNode()) {
        const text = walker.currentNode as Text;
        if (text.data.includes(word)) found = text;
      }
      if (!found) throw new Error(`no ${word}`);
      const range = document.createRange();
      const at = found.data.indexOf(word);
      range.setStart(found, at);
      range.setEnd(found, at + 1);
      lefts.push(range.getBoundingClientRect().left);
    }
    return lefts;
  }, words);
}

/** A name cut with an ellipsis inside its box, isolated, the whole name in its title. */
async function expectCutName(name: Locator, text: string, box: Locator): Promise<void> {
  await expect(name).toHaveAttribute('title', text);
  const facts = await name.evaluate((el) => {
    const style = getComputedStyle(el);
    return {
      cut: el.scrollWidth > el.clientWidth,
      ellipsis: style.textOverflow,
      bidi: style.unicodeBidi,
      right: el.getBoundingClientRect().right,
    };
  });
  expect(facts).toMatchObject({ cut: true, ellipsis: 'ellipsis', bidi: 'isolate' });
  const outer = await box.evaluate((el) => el.getBoundingClientRect().right);
  expect(facts.right).toBeLessThanOrEqual(outer + 0.5);
}

test('a right-to-left override turns only its own name; 100,000-character names end in an ellipsis', async ({
  page,
}) => {
  const rtlName = `${RLO}rtl-name`;
  const folder = folderOf({
    // Shown raw, it reads "invoiceexe.pdf": an old trick. It must not turn the reason after it.
    [`invoice${RLO}fdp.exe`]: 'not a checkpoint',
    [`${rtlName}.xml`]: checkpointXml(rtlName, 'gone', 1709251200, 'web01', UUID),
  });
  const longName = 'long-name-'.repeat(10_000);
  const longFile = `${'long-file-'.repeat(10_000)}.xml`;
  const longParent = 'long-parent-'.repeat(10_000);
  try {
    await openApp(page);
    // A long file name cannot be on disk (255 bytes): it arrives dropped, as from another system.
    const dataTransfer = await page.evaluateHandle(
      ([xml, name]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([xml], name, { type: 'text/xml' }));
        return dt;
      },
      [checkpointXml(longName, longParent, 1709254800, 'web01', UUID), longFile] as const,
    );
    await validation(page).dispatchEvent('drop', { dataTransfer });
    await expect(tree(page).getByRole('treeitem')).toHaveCount(1);
    await page.getByLabel('Open folder').setInputFiles(folder.dir);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(2);
    await validated(page);

    // The Skipped line: the reason reads left to right after the name, as if the name were plain.
    const skippedRegion = page.getByRole('region', { name: /^Skipped 1 file$/ });
    await skippedRegion.getByRole('button', { name: '1 other file' }).click();
    const skipped = skippedRegion.getByRole('list', { name: '1 other file' });
    await expect(skipped).toContainText(`invoice${RLO}fdp.exe: not an .xml or .json file`);
    // A file from a folder is named by its path in the folder.
    const skippedName = skipped.getByText(`${basename(folder.dir)}/invoice${RLO}fdp.exe`, {
      exact: true,
    });
    const [not, xml, file] = await wordLefts(skipped.getByRole('listitem'), ['not', 'xml', 'file']);
    expect(not).toBeLessThan(xml as number);
    expect(xml).toBeLessThan(file as number);
    const nameRight = await skippedName.evaluate((el) => el.getBoundingClientRect().right);
    expect(not).toBeGreaterThan(nameRight);
    await expect(skippedName).toHaveAttribute(
      'title',
      `${basename(folder.dir)}/invoice${RLO}fdp.exe`,
    );
    expect(await skippedName.evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('isolate');

    // Tree rows: the whole name is the row's accessible name and the label's title; the label is cut.
    const longRow = tree(page).getByRole('treeitem', { name: longName, exact: true });
    await expect(longRow).toBeVisible();
    await expectCutName(longRow.locator('.label'), longName, tree(page));
    const rtlRow = tree(page).getByRole('treeitem', { name: rtlName, exact: true });
    expect(await rtlRow.locator('.label').evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe(
      'isolate',
    );

    // Validation: each file's heading holds its name, cut; the problems' messages stay in the panel.
    await expectCutName(
      validation(page).getByRole('heading', { name: longFile }).locator('bdi'),
      longFile,
      validation(page),
    );
    const missing = validation(page).getByRole('button', {
      name: new RegExp(`parent ${longParent.slice(0, 24)}`),
    });
    await expect(missing).toBeVisible();
    expect(await missing.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    // The editor's header.
    await longRow.click();
    await expect(page.getByRole('heading', { name: longName, exact: true })).toBeVisible();
    await expectCutName(
      page.locator('.document-header .file-name'),
      longFile,
      page.locator('.document-header'),
    );
    await expectNoSidewaysOverflow(page);
    await page.screenshot({ path: join(projectRoot, 'test-results', 'names-editor.png') });

    // The chain's problems: file and line cut to their column, the message kept to its lines.
    await page.getByRole('tab', { name: /^Chain/ }).click();
    const problems = page.getByRole('region', { name: /^Chain problems/ });
    const longProblem = problems
      .getByRole('button')
      .filter({ hasText: `parent ${longParent.slice(0, 24)}` });
    await expect(longProblem).toBeVisible();
    await expectCutName(longProblem.locator('.where bdi'), longFile, longProblem);
    const rtlFile = `${rtlName}.xml`;
    const rtlProblem = problems.getByRole('button').filter({ hasText: `${rtlFile}:3` });
    await expect(rtlProblem.locator('.where bdi')).toHaveText(rtlFile);
    // The code stays at the row's right end: the override in the name turns nothing after it.
    const [whereRight, messageLeft, codeLeft] = await rtlProblem.evaluate((el) =>
      ['.where', '.message', '.code'].map((s) => {
        const box = (el.querySelector(s) as HTMLElement).getBoundingClientRect();
        return s === '.where' ? box.right : box.left;
      }),
    );
    expect(whereRight).toBeLessThanOrEqual(messageLeft as number);
    expect(messageLeft).toBeLessThan(codeLeft as number);
    // Inside libvirt's sentence the name cannot be isolated: its override shows as a mark instead of
    // turning "not found" around.
    const message = rtlProblem.locator('.message');
    await expect(message).toHaveText('parent gone for moment ⟨RLO⟩rtl-name not found');
    // The message may wrap beside the "moment" note and the help link: read line by line.
    expect(await inReadingOrder(message, ['moment', 'found'])).toBe(true);
    expect(await inReadingOrder(message, ['rtl-name', 'not'])).toBe(true);
    expect(
      await longProblem.evaluate((el) => el.getBoundingClientRect().right),
    ).toBeLessThanOrEqual(await problems.evaluate((el) => el.getBoundingClientRect().right));
    await expectNoSidewaysOverflow(page);
    await page.screenshot({ path: join(projectRoot, 'test-results', 'names-chain.png') });
    await page.getByRole('tab', { name: /^Checkpoint/ }).click();
    await page.screenshot({ path: join(projectRoot, 'test-results', 'names-skipped.png') });
  } finally {
    folder.remove();
  }
});

test('Export all: names that clash on Windows or macOS, or that Windows refuses, are renamed and listed', async ({
  page,
}) => {
  // Opened in this order (the tree sorts by checkpoint name): the first of a clash keeps its name.
  const opened: [file: string, inZip: string][] = [
    ['dup.xml', 'dup.xml'],
    ['Dup.xml', 'Dup (2).xml'],
    ['caf\u00e9.xml', 'caf\u00e9.xml'],
    ['cafe\u0301.xml', 'cafe\u0301 (2).xml'],
    ['CON.xml', 'CON_.xml'],
    ['aux.xml', 'aux_.xml'],
    ['com1.xml', 'com1_.xml'],
    ['a:b.xml', 'a_b.xml'],
    ['what?.xml', 'what_.xml'],
    ['tab\there.xml', 'tab_here.xml'],
    [`evil${RLO}lmx.xml`, 'evil_lmx.xml'],
    ['plain.xml', 'plain.xml'],
  ];
  const files = Object.fromEntries(
    opened.map(([file], i) => [
      file,
      checkpointXml(`c${String(i).padStart(2, '0')}`, undefined, 1709251200 + i, 'web01', UUID),
    ]),
  );
  const folder = folderOf(files);
  try {
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(folder.dir);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(opened.length);
    await page.getByRole('tab', { name: /^Chain/ }).click();
    // What the zip will hold is shown first; the zip is written once it is confirmed.
    await page.getByRole('button', { name: 'Export all' }).click();
    const review = page.getByRole('dialog', { name: 'Export all: what the zip will hold' });
    await expect(review).toBeVisible();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      review.getByRole('button', { name: 'Download zip' }).click(),
    ]);
    const zip = unzipSync(new Uint8Array(await saved(download)));
    // Every file, then the redefine script beside them.
    expect(Object.keys(zip)).toEqual([...opened.map(([, inZip]) => inZip), 'redefine-web01.sh']);
    for (const [file, inZip] of opened) {
      const parsed = parseCheckpoint(files[file] as string);
      if (!parsed.ok) throw new Error(file);
      expect(strFromU8(zip[inZip] as Uint8Array), inZip).toBe(
        formatCheckpoint(parsed.value, { securityInfo: true, size: true }),
      );
    }
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: `Saved ${opened.length} files and the redefine script in` }),
    ).toBeVisible();

    // Every change, listed with its reason.
    const list = page.getByRole('list', { name: /^Renamed in the zip/ });
    const renamed = opened.filter(([file, inZip]) => file !== inZip);
    await expect(list.getByRole('listitem')).toHaveCount(renamed.length);
    const lines = await list.getByRole('listitem').allTextContents();
    expect(lines.map((l) => l.replace(/ \([^()]*\)$/, ''))).toEqual(
      renamed.map(([file, inZip]) => `${file} → ${inZip}`),
    );
    expect(lines[0]).toBe('Dup.xml → Dup (2).xml (the same name as dup.xml on Windows or macOS)');
    expect(lines[2]).toBe('CON.xml → CON_.xml (a device name on Windows)');
    expect(lines.at(-1)).toBe(
      `evil${RLO}lmx.xml → evil_lmx.xml (a control character that reorders text)`,
    );

    // The redefine script names the files as the zip does, so it runs where the zip is unpacked.
    await page.getByRole('button', { name: 'Redefine script' }).click();
    const script = page.getByLabel('Redefine script text');
    await expect(script).toContainText(/^act \d+ redefine c01 'Dup \(2\)\.xml'$/m);
    await expect(script).toContainText(/^act \d+ redefine c04 CON_\.xml$/m);
    await page.screenshot({ path: join(projectRoot, 'test-results', 'names-export.png') });
  } finally {
    folder.remove();
  }
});
