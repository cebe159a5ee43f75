import { conformancePath, expect, openApp, test, textbox, tree } from './fixtures.ts';

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

test('a folder, an edit and a closed file survive a reload, each file saved on its own', async ({
  page,
}) => {
  await openApp(page);
  await page
    .getByLabel('Open folder')
    .setInputFiles(conformancePath('oracle', 'tree-fork', 'files'));
  await expect(tree(page).getByRole('treeitem')).toHaveCount(5);
  await tree(page).getByRole('treeitem', { name: 'right', exact: true }).click();
  await textbox(page, 'Description').fill('Kept with the folder');
  await tree(page).getByRole('treeitem', { name: 'lone', exact: true }).click();
  await page.getByRole('button', { name: 'Close lone.xml' }).click();
  await expect(tree(page).getByRole('treeitem')).toHaveCount(4);
  await expect(page.getByText('Saved in this browser')).toBeVisible();
  await page.reload();
  await expect(tree(page).getByRole('treeitem')).toHaveCount(4);
  await expect(tree(page).getByRole('treeitem', { name: 'left-child' })).toHaveAttribute(
    'aria-level',
    '3',
  );
  await tree(page).getByRole('treeitem', { name: 'right', exact: true }).click();
  await expect(textbox(page, 'Description')).toHaveValue('Kept with the folder');
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
