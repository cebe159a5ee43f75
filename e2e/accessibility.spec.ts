import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import {
  conformancePath,
  expect,
  openApp,
  pastUndoBurst,
  tabTo,
  test,
  textbox,
  tree,
  validated,
} from './fixtures.ts';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no serious or critical violation (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await openApp(page);
    await page.getByRole('combobox', { name: 'Open an example' }).selectOption('errors');
    await validated(page);
    await expect(page.locator('.cm-editor')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe: the chain, its bitmaps, its graph and Collect from a host (${colorScheme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme });
    await openApp(page);
    await page
      .getByLabel('Open folder')
      .setInputFiles(conformancePath('oracle', 'tree-fork', 'files'));
    await tree(page).getByRole('treeitem', { name: 'left', exact: true }).click();
    await validated(page);
    await page.getByRole('tab', { name: /^Chain/ }).click();
    await page.getByRole('button', { name: 'Redefine script' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: 'Bitmaps' }).click();
    await expect(page.getByRole('table', { name: 'Bitmaps' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: 'Graph' }).click();
    await expect(page.getByRole('button', { name: /^left-child,/ })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('tab', { name: 'Collect from a host' }).click();
    await expect(page.getByRole('textbox', { name: 'Collect script' })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('keyboard only: choose a checkpoint, edit it, undo, export', async ({ page }) => {
  await openApp(page);
  // Into the tree with Tab, then arrows to the second checkpoint.
  const first = tree(page).getByRole('treeitem', { name: 'web01-2024-03-01' });
  await tabTo(page, first);
  await page.keyboard.press('ArrowDown');
  const second = tree(page).getByRole('treeitem', { name: 'web01-2024-03-02' });
  await expect(second).toBeFocused();
  await expect(second).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(tree(page).getByRole('treeitem', { name: 'web01-2024-03-03' })).toBeFocused();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await expect(second).toBeFocused();

  // Folding: Left on a parent folds its children away, Right unfolds.
  await page.keyboard.press('ArrowLeft');
  await expect(tree(page).getByRole('treeitem')).toHaveCount(2);
  await page.keyboard.press('ArrowRight');
  await expect(tree(page).getByRole('treeitem')).toHaveCount(3);

  // Tab on to the Description, type, undo with the keyboard.
  const description = textbox(page, 'Description');
  await tabTo(page, description);
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Typed without a mouse');
  await expect(description).toHaveValue('Typed without a mouse');
  await pastUndoBurst(page);
  await page.keyboard.press('Control+z');
  await expect(description).toHaveValue('Nightly incremental backup');
  await page.keyboard.press('Control+Shift+z');
  await expect(description).toHaveValue('Typed without a mouse');

  // Export from the keyboard.
  await tabTo(page, page.getByRole('button', { name: 'Export XML' }), { backwards: true });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.keyboard.press('Enter'),
  ]);
  expect(download.suggestedFilename()).toBe('web01-2024-03-02.xml');
});
