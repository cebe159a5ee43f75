import { expect, openApp, test, textbox, tree } from './fixtures.ts';

test('the session survives a reload, edits included', async ({ page }) => {
  await openApp(page);
  await tree(page).getByRole('treeitem', { name: 'web01-2024-03-01' }).click();
  await textbox(page, 'Description').fill('Kept across a reload');
  await expect(page.getByText('Saved in this browser')).toBeVisible();
  await page.reload();
  await expect(tree(page).getByRole('treeitem')).toHaveCount(3);
  await expect(tree(page).getByRole('treeitem', { name: 'web01-2024-03-01' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(textbox(page, 'Description')).toHaveValue('Kept across a reload');
});

test('leaving with unexported changes asks first', async ({ page }) => {
  await openApp(page);
  // A real click: browsers only ask on pages the user has interacted with.
  await textbox(page, 'Description').click();
  await textbox(page, 'Description').fill('Not exported yet');
  await expect(page.getByText('Saved in this browser')).toBeVisible();
  const asked = new Promise<string>((resolve) => {
    page.once('dialog', async (d) => {
      // Stay on the page; the answer is settled before the test ends.
      await d.dismiss();
      resolve(d.type());
    });
    page.once('close', () => resolve('closed without asking'));
  });
  await page.close({ runBeforeUnload: true });
  expect(await asked).toBe('beforeunload');
  expect(page.isClosed()).toBe(false);
});
