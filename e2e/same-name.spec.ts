import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openApp, test, tree, validated, xmlSource } from './fixtures.ts';

const checkpoint = (name: string, parent: string | undefined, description: string) =>
  `<domaincheckpoint>
  <name>${name}</name>
  <description>${description}</description>
${parent ? `  <parent>\n    <name>${parent}</name>\n  </parent>\n` : ''}  <creationTime>1709251200</creationTime>
  <disks>
    <disk name='vda' checkpoint='bitmap' bitmap='${name}'/>
  </disks>
</domaincheckpoint>
`;

test('a different file under an open name asks: keep both (told apart) or replace', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'same-name-'));
  try {
    for (const d of ['a', 'b', 'c']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'a', 'bk.1.xml'), checkpoint('bk.1', undefined, 'first'));
    writeFileSync(join(dir, 'a', 'bk.2.xml'), checkpoint('bk.2', 'bk.1', 'from a'));
    writeFileSync(join(dir, 'b', 'bk.2.xml'), checkpoint('bk.2', 'bk.1', 'from b'));
    writeFileSync(join(dir, 'c', 'bk.2.xml'), checkpoint('bk.2', 'bk.1', 'from c'));
    await openApp(page);
    const files = page.getByLabel('Open checkpoint files');
    await files.setInputFiles([join(dir, 'a', 'bk.1.xml'), join(dir, 'a', 'bk.2.xml')]);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(2);

    // Another bk.2.xml: nothing opens before the operator says which.
    await files.setInputFiles(join(dir, 'b', 'bk.2.xml'));
    const ask = page.getByRole('dialog', { name: 'A file has the name of an open file' });
    await expect(ask).toBeVisible();
    await expect(tree(page).getByRole('treeitem')).toHaveCount(2);
    // By keyboard: Keep both has the focus.
    await expect(ask.getByRole('button', { name: 'Keep both' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(ask).toHaveCount(0);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(3);
    await validated(page);
    // The Compare picker tells the two bk.2 apart by their files.
    await tree(page).getByRole('treeitem', { name: 'bk.1', exact: true }).click();
    await page.getByRole('button', { name: 'Compare with…' }).click();
    const picker = page
      .getByRole('dialog', { name: 'Compare' })
      .getByRole('combobox', { name: 'Compare with' });
    await expect(picker.locator('option', { hasText: 'bk.2' })).toHaveText([
      'bk.2 (bk.2.xml)',
      'bk.2 (bk.2 (2).xml)',
    ]);
    await page.keyboard.press('Escape');

    // A third one, replacing the open file: its text becomes c's.
    await files.setInputFiles(join(dir, 'c', 'bk.2.xml'));
    await expect(ask).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(ask.getByRole('button', { name: 'Replace' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(ask).toHaveCount(0);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(3);
    await tree(page).getByRole('treeitem', { name: 'bk.2', exact: true }).dblclick();
    await expect(xmlSource(page)).toContainText('from c');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
