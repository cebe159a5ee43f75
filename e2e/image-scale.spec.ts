// qemu-img JSON with 200,000 bitmaps opened with a small chain, in real Chromium (issue 26: the
// page was silent for minutes). The page answers a click on a tab, no main-thread task reaches a
// second, the bitmaps' verdicts and the readiness come, and the 199,998 strays are listed a few
// hundred at a time. Their repair script (136 MiB) is written in a worker: no freeze on the click,
// its first lines and its plan's shown, and Download gives all of it, the same bytes as core's
// repairScript writes (too large for the clipboard). Of 5,000 strays, Copy gives all of it too.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ForestEntry } from '../src/core/index.ts';
import { backupVm, bitmapVerdicts, matchImages, repairScript } from '../src/core/index.ts';
import type { VmDisk } from '../test/images/scenario.ts';
import { imageInfoOf, qcow2Info, writeChain } from '../test/images/scenario.ts';
import { expect, openApp, test, validation } from './fixtures.ts';
import { clearLongTasks, longestTask, probeTab, watchLongTasks } from './long-tasks.ts';

/** A main-thread task this long is a freeze to an operator (not a budget: the machine is shared). */
const FREEZE_MS = 1_000;
const BITMAPS = 200_000;
const SOURCE = '/var/lib/libvirt/images/web01-vda.qcow2';

const dir = mkdtempSync(join(tmpdir(), 'e2e-image-scale-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * bk.1 and bk.2 of web01, and vda's `qemu-img info --output=json` on one line: qemu-img's own
 * indentation would make 39 MiB, over the 16 MiB a file may have.
 */
function writeFolder(
  folder = dir,
  count = BITMAPS,
): { folder: string; entries: ForestEntry[]; info: string } {
  const disks: VmDisk[] = [{ target: 'vda', source: SOURCE }];
  const entries = writeChain(folder, 'web01', disks, ['bk.1', 'bk.2']);
  const bitmaps = [];
  for (let i = 0; i < count; i++) bitmaps.push(i < 2 ? `bk.${i + 1}` : `stray.${i}`);
  const info = qcow2Info(SOURCE, bitmaps, { 'virtual-size': 1073741824, 'actual-size': 200704 });
  const text = JSON.stringify(info);
  writeFileSync(join(folder, 'images.json'), text);
  return { folder, entries, info: text };
}

/** The repair script as core writes it from the same files, on this thread. */
function expectedScript(folder: { entries: ForestEntry[]; info: string }): Buffer {
  const vm = backupVm(folder.entries);
  const match = matchImages(vm.disks, [imageInfoOf(folder.info)]);
  const report = bitmapVerdicts(folder.entries, match, { running: false, vm: 'web01' });
  return Buffer.from(
    repairScript(report, { domain: 'web01', ...(vm.uuid ? { uuid: vm.uuid } : {}) }),
  );
}

test('200,000 bitmaps in qemu-img’s JSON: the page answers, no task near a second, strays listed on request', async ({
  page,
}) => {
  test.setTimeout(900_000);
  const folder = writeFolder();
  await watchLongTasks(page);
  await openApp(page);
  await clearLongTasks(page);
  await page.getByLabel('Open folder').setInputFiles(dir);
  const answeredMs = await probeTab(page, 'Bitmaps');

  const readiness = page.getByRole('region', { name: 'Backup readiness' });
  await expect(readiness.getByRole('listitem').first()).toHaveText('vda: incremental since bk.2', {
    timeout: 300_000,
  });
  const matrix = page.getByRole('table', { name: 'Bitmaps' });
  const row = (name: string) =>
    matrix.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
  await expect(row('bk.1').getByRole('cell')).toHaveText(['ok']);
  await expect(row('bk.2').getByRole('cell')).toHaveText(['ok']);

  // The strays, a few hundred at a time, the rest on request.
  const strays = readiness.getByRole('list', { name: 'Problems in the images' });
  await expect(strays.getByRole('listitem')).toHaveCount(200);
  await expect(strays.getByRole('listitem').first()).toContainText('stray.2');
  const more = readiness.getByRole('button', {
    name: 'Show 1,000 more: 199,798 problems not shown',
  });
  await more.click();
  await expect(strays.getByRole('listitem')).toHaveCount(1_200);
  await expect(validation(page)).toContainText('199998 warnings');
  await expect(
    validation(page).getByRole('button', { name: 'Show 1,000 more: 199,798 problems not shown' }),
  ).toBeVisible();

  const afterMs = await probeTab(page, /^Chain/);
  const longest = await longestTask(page);
  console.log(
    `200,000 bitmaps: longest task ${longest} ms; tab answered in ${answeredMs} ms while opening, ${afterMs} ms after`,
  );
  // Soft: the test goes on to the repair script, and fails at its end.
  expect.soft(longest, 'the longest main-thread task, in ms').toBeLessThan(FREEZE_MS);
  expect
    .soft(answeredMs, 'the page answered a click while the images were read')
    .toBeLessThan(FREEZE_MS);

  // The repair script of 199,998 strays (142 MB; 30 s on the page before) is written in a worker.
  await probeTab(page, 'Bitmaps');
  await clearLongTasks(page);
  const asked = Date.now();
  await page.getByRole('button', { name: 'Repair script', exact: true }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Writing the repair script…' }),
  ).toBeVisible();
  const whileWriting = await probeTab(page, /^Chain/);
  // Back on Bitmaps the script is still shown, or still being written: the operator's choice.
  await probeTab(page, 'Bitmaps');
  await expect(page.getByRole('button', { name: 'Repair script', exact: true })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  const head = page.getByLabel('Repair script text');
  await expect(head).toBeVisible({ timeout: 600_000 });
  const shownMs = Date.now() - asked;
  const longestRepair = await longestTask(page);
  expect(await head.inputValue()).toMatch(/^#!\/bin\/sh\n/);
  await expect(
    page.getByText(
      /^The script has [\d,]+ lines \([\d.]+ MiB\): shown are its first 500 lines and the first 500 lines of its plan, from line [\d,]+\. Download gives all of it: it is too large for the clipboard\.$/,
    ),
  ).toBeVisible();
  const plan = (await page.getByLabel('Repair script plan').inputValue()).split('\n');
  expect(plan[0]).toBe(`printf 'Plan for VM %s: %s\\n' "$DOMAIN" '${BITMAPS - 2} steps'`);
  expect(plan).toContain(`say 1 'remove bitmap %s from image %s' stray.2 ${SOURCE}`);

  const expected = expectedScript(folder);
  await clearLongTasks(page);
  const download = page.waitForEvent('download', { timeout: 300_000 });
  await page.getByRole('button', { name: /^Download repair-/ }).click();
  const got = readFileSync((await (await download).path()) as string);
  expect(got.length, 'the download holds the whole script').toBe(expected.length);
  expect(got.equals(expected), 'the download is the script core writes, byte for byte').toBe(true);
  const longestDownload = await longestTask(page);
  await expect(page.getByRole('button', { name: 'Copy the repair script' })).toHaveCount(0);
  console.log(
    `200,000 bitmaps: repair script: longest task ${longestRepair} ms from the click to the script shown (${shownMs} ms), ${longestDownload} ms for the download; tab answered in ${whileWriting} ms while it was written; ${(expected.length / 2 ** 20).toFixed(1)} MiB`,
  );
  expect(whileWriting, 'the page answered a click while the script was written').toBeLessThan(
    FREEZE_MS,
  );
  expect(
    longestRepair,
    'the longest main-thread task from the click to the script shown, in ms',
  ).toBeLessThan(FREEZE_MS);
  expect(longestDownload, 'the longest main-thread task of the download, in ms').toBeLessThan(
    FREEZE_MS,
  );
});

test('5,000 stray bitmaps: the repair script written in a worker, Copy and Download give the bytes core writes', async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  // A folder of its own: the 200,000 bitmaps' folder is opened whole.
  const own = mkdtempSync(join(tmpdir(), 'e2e-image-scale-5000-'));
  const folder = writeFolder(own, 5_000);
  const expected = expectedScript(folder);
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(folder.folder);
  await probeTab(page, 'Bitmaps');
  await page.getByRole('button', { name: 'Repair script', exact: true }).click();
  await expect(page.getByLabel('Repair script text')).toBeVisible({ timeout: 60_000 });
  await expect(
    page.getByText(/^The script has [\d,]+ lines .* Copy and Download give all of it\.$/),
  ).toBeVisible();
  const plan = await page.getByLabel('Repair script plan').inputValue();
  expect(plan.split('\n')[0]).toBe(`printf 'Plan for VM %s: %s\\n' "$DOMAIN" '4998 steps'`);

  await page.getByRole('button', { name: 'Copy the repair script' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Copied$/ })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied === expected.toString(), 'the clipboard holds the script core writes').toBe(true);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /^Download repair-/ }).click();
  const got = readFileSync((await (await download).path()) as string);
  expect(got.equals(expected), 'the download is the script core writes, byte for byte').toBe(true);
  rmSync(own, { recursive: true, force: true });
});
