import { join } from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { expect, test, tree, validation } from './fixtures.ts';
import { backupFolder, openBackupFolder, openVmsFolder } from './layout-data.ts';

// Issue 25.2: every view at 1024×700 and at 1440×900: no header cell clipped or run into its
// neighbour, the selected row and what the last action brought up on screen. Screenshots go to
// test-results (or to $SHOTS), to be looked at.
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
];

/**
 * What is wrong with the header cells (and tabs) inside `scope`: a cell whose content runs out of
 * it (into its neighbour), one cut by a scrolling box it sits in (a column off the edge), or two
 * that overlap. Each as a line, so a failure names it.
 */
async function headerProblems(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) => {
    const problems: string[] = [];
    const cells = [
      ...root.querySelectorAll<HTMLElement>(
        'th[scope="col"], thead th, [role="columnheader"], [role="tab"]',
      ),
    ].filter((el) => el.getClientRects().length > 0);
    const name = (el: HTMLElement) => JSON.stringify(el.textContent?.trim().slice(0, 30) ?? '');
    const boxes: { el: HTMLElement; box: DOMRect }[] = [];
    for (const el of cells) {
      const box = el.getBoundingClientRect();
      boxes.push({ el, box });
      // Its content, as drawn: the text and whatever else is inside.
      const range = document.createRange();
      range.selectNodeContents(el);
      const content = range.getBoundingClientRect();
      if (content.width > 0 && (content.left < box.left - 1 || content.right > box.right + 1))
        problems.push(`${name(el)} runs out of its cell`);
      if (box.width < 16) problems.push(`${name(el)} is ${box.width.toFixed(0)} px wide`);
      // Every box that clips it (a scrolling pane, the window) shows it whole, across.
      if (box.left < -1 || box.right > window.innerWidth + 1)
        problems.push(`${name(el)} is off the window`);
      for (let a = el.parentElement; a; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX === 'visible') continue;
        const clip = a.getBoundingClientRect();
        // Inside a scrolling pane, what the pane shows of it, as far as it goes across.
        const left = clip.left + a.clientLeft;
        const right = left + a.clientWidth;
        if (box.left < left - 1 || box.right > right + 1) {
          problems.push(`${name(el)} is cut by ${a.className || a.tagName.toLowerCase()}`);
          break;
        }
      }
    }
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.box;
        const b = boxes[j]!.box;
        const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (across > 1 && down > 1)
          problems.push(`${name(boxes[i]!.el)} overlaps ${name(boxes[j]!.el)}`);
      }
    return problems;
  });
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const dir = process.env['SHOTS'];
  const size = page.viewportSize();
  const file = `${name}-${size?.width}x${size?.height}.png`;
  await page.screenshot({ path: dir ? join(dir, file) : testInfo.outputPath(file) });
}

const selectedRow = (page: Page) => tree(page).locator('[role="treeitem"][aria-selected="true"]');

for (const size of SIZES) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: size });
    let folder: ReturnType<typeof backupFolder>;
    test.beforeAll(() => {
      folder = backupFolder();
    });
    test.afterAll(() => folder.remove());

    /** The backup folder open, c3 chosen in the tree. */
    async function openC3(page: Page) {
      await openBackupFolder(page, folder.dir);
      await tree(page).getByRole('treeitem', { name: 'c3', exact: true }).click();
    }

    test('the sidebar: the tree keeps room for more than six rows beside VM definitions and skipped files', async ({
      page,
    }, testInfo) => {
      await openC3(page);
      await expect(page.getByRole('region', { name: /^VM definitions/ })).toBeVisible();
      await expect(page.getByRole('region', { name: /^Skipped/ })).toBeVisible();
      const rows = await tree(page).evaluate((el) => el.clientHeight / 26);
      // About six at 1024×700 before (171 px): fourteen data files took a line each.
      expect(rows).toBeGreaterThan(9);
      await expect(selectedRow(page)).toBeInViewport();
      await shot(page, testInfo, 'sidebar');
    });

    test('Checkpoint: the Disks table whole, Source beside Checkpoint', async ({
      page,
    }, testInfo) => {
      await openC3(page);
      const disks = page.getByRole('table', { name: 'Disks' });
      await disks.scrollIntoViewIfNeeded();
      await expect(disks.getByRole('columnheader')).toHaveText([
        'Disk',
        'Source',
        'Checkpoint',
        'Bitmap',
        'Size',
      ]);
      expect(await headerProblems(disks)).toEqual([]);
      expect(await headerProblems(page.getByRole('tablist', { name: 'Views' }))).toEqual([]);
      for (const header of await disks.getByRole('columnheader').all())
        await expect(header).toBeInViewport();
      // The sources themselves are there, cut with an ellipsis at worst.
      const source = disks.getByRole('row').nth(1).getByRole('cell').nth(1);
      expect((await source.boundingBox())?.width).toBeGreaterThan(48);
      await expect(selectedRow(page)).toBeInViewport();
      await shot(page, testInfo, 'checkpoint');
    });

    test('Chain: "Redefine script" opens the script in view', async ({ page }, testInfo) => {
      await openC3(page);
      await page.getByRole('tab', { name: /^Chain/ }).click();
      await page.getByRole('button', { name: 'Redefine script' }).click();
      const script = page.getByRole('region', { name: 'Redefine script' });
      await expect(script.getByRole('heading', { name: 'Redefine script' })).toBeInViewport();
      await expect(script.getByRole('button', { name: /^Download/ })).toBeInViewport();
      await expect(script).toBeFocused();
      await expect(selectedRow(page)).toBeInViewport();
      await shot(page, testInfo, 'chain');
    });

    test('Bitmaps: "Open qemu-img info" and the table’s headers whole', async ({
      page,
    }, testInfo) => {
      await openC3(page);
      await page.getByRole('tab', { name: 'Bitmaps' }).click();
      const open = page.locator('label', { hasText: 'Open qemu-img info' });
      await expect(open).toBeInViewport({ ratio: 1 });
      const table = page.getByRole('table', { name: 'Bitmaps' });
      expect(await headerProblems(table)).toEqual([]);
      // The chosen checkpoint's row, marked, on screen.
      await expect(table.getByRole('button', { name: 'c3', exact: true })).toBeInViewport();
      await expect(selectedRow(page)).toBeInViewport();
      await shot(page, testInfo, 'bitmaps');
    });

    test('Backups: the table’s headers whole', async ({ page }, testInfo) => {
      await openC3(page);
      const tab = page.getByRole('tab', { name: /^Backups/ });
      test.skip((await tab.count()) === 0, 'no Backups view for this folder');
      await tab.click();
      const table = page.getByRole('table', { name: 'Backups by checkpoint and disk' });
      await table.scrollIntoViewIfNeeded();
      expect(await headerProblems(table)).toEqual([]);
      await expect(table.getByRole('columnheader').first()).toBeInViewport();
      await expect(selectedRow(page)).toBeInViewport();
      // The table whole in its box: the lists above and below it (problems, backups without a
      // checkpoint) once squeezed it to its first row, the other checkpoints hidden in it.
      expect(
        await table.evaluate((t) => t.parentElement!.scrollHeight - t.parentElement!.clientHeight),
      ).toBeLessThanOrEqual(1);
      await expect(table.getByRole('row')).toHaveCount(5);
      await shot(page, testInfo, 'backups');
    });

    test('Graph: the chosen checkpoint’s node, its name and time', async ({ page }, testInfo) => {
      await openC3(page);
      await page.getByRole('tab', { name: 'Graph' }).click();
      for (const name of ['c2', 'c3']) {
        const node = page.getByRole('button', { name: new RegExp(`^${name},`) });
        await expect(node).toBeInViewport();
        // The name above the time and badges, on one line each, inside the node: the time and
        // two badges never wrap over the name.
        const [nodeBox, nameBox, metaBox] = await Promise.all([
          node.boundingBox(),
          node.locator('.graph-node-name').boundingBox(),
          node.locator('.graph-node-meta').boundingBox(),
        ]);
        expect(metaBox!.height).toBeLessThan(20);
        expect(nameBox!.y + nameBox!.height).toBeLessThanOrEqual(metaBox!.y + 1);
        expect(nameBox!.y).toBeGreaterThanOrEqual(nodeBox!.y - 1);
        expect(metaBox!.y + metaBox!.height).toBeLessThanOrEqual(nodeBox!.y + nodeBox!.height + 1);
      }
      await expect(selectedRow(page)).toBeInViewport();
      await shot(page, testInfo, 'graph');
    });

    test('Collect from a host and Help: a problem’s "?" brings its entry on screen', async ({
      page,
    }, testInfo) => {
      await openC3(page);
      await page.getByRole('tab', { name: 'Collect from a host' }).click();
      await expect(page.getByRole('heading', { name: 'Collect from a host' })).toBeInViewport();
      await shot(page, testInfo, 'collect');
      const help = validation(page)
        .getByRole('button', { name: /^Help: / })
        .first();
      const code = (await help.getAttribute('aria-label'))!.slice('Help: '.length);
      await help.click();
      await expect(page.getByRole('tab', { name: 'Help' })).toHaveAttribute(
        'aria-selected',
        'true',
      );
      await expect(page.locator(`#help-${code}`)).toBeInViewport();
      await expect(selectedRow(page)).toBeInViewport();
      await shot(page, testInfo, 'help');
    });

    test('Compare: every difference and both headers on screen, nothing cut', async ({
      page,
    }, testInfo) => {
      await openC3(page);
      await page.keyboard.press('Alt+c');
      const dialog = page.getByRole('dialog', { name: 'Compare' });
      const table = dialog.getByRole('table', { name: 'Differences' });
      await expect(table).toBeVisible();
      expect(await headerProblems(table)).toEqual([]);
      for (const row of await table.getByRole('row').all()) await expect(row).toBeInViewport();
      await expect(dialog.getByRole('textbox', { name: 'XML of c2' })).toBeInViewport();
      await shot(page, testInfo, 'compare');
    });

    test('VMs: every column on screen, the headers whole', async ({ page }, testInfo) => {
      // Three VMs, two of them web01 told apart by their uuids: long names.
      await openVmsFolder(page);
      await page.getByLabel('Open folder').setInputFiles(folder.dir);
      await expect(tree(page).getByRole('treeitem', { name: 'c3', exact: true })).toBeVisible();
      await page.getByRole('tab', { name: 'VMs' }).click();
      await expect(page.getByRole('table', { name: 'VMs' }).getByRole('row')).toHaveCount(4);
      const table = page.getByRole('table', { name: 'VMs' });
      await expect(table).toBeVisible();
      expect(await headerProblems(table)).toEqual([]);
      // Sorted by the newest checkpoint: the header says so, on screen, its rows too.
      const newest = table.getByRole('button', { name: /^Newest checkpoint/ });
      await newest.click();
      await expect(table.getByRole('columnheader', { name: /^Newest checkpoint/ })).toHaveAttribute(
        'aria-sort',
        'ascending',
      );
      await expect(newest).toBeInViewport({ ratio: 1 });
      await expect(table.getByRole('row').nth(1)).toBeInViewport();
      await shot(page, testInfo, 'vms');
    });
  });
}
