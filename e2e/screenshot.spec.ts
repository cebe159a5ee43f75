import { join } from 'node:path';
import { expect, openApp, projectRoot, test, tree, validated } from './fixtures.ts';

// Runs only with SCREENSHOT=1 (npm run screenshot): it rewrites docs/screenshot.png.
test('screenshot for the README', async ({ page }) => {
  await openApp(page);
  await page.getByRole('combobox', { name: 'Open an example' }).selectOption('errors');
  await tree(page).getByRole('treeitem', { name: 'web01-2024-03-04' }).click();
  await validated(page);
  await expect(page.locator('.cm-lintRange-error').first()).toBeVisible();
  await page.screenshot({ path: join(projectRoot, 'docs', 'screenshot.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(projectRoot, 'test-results', 'screenshot-dark.png') });
});
