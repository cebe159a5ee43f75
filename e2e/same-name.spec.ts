import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, test, tree, validated, validation, xmlSource } from './fixtures.ts';

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

test('a different file under an open name asks: keep both (told apart), or replace it', async ({
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
    const ask = sameNameDialog(page);
    await expect(ask).toBeVisible();
    await expect(tree(page).getByRole('treeitem')).toHaveCount(2);
    // By keyboard: Keep both has the focus, Apply is next.
    await expect(ask.getByRole('radio', { name: 'Keep both' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(ask.getByRole('button', { name: 'Apply' })).toBeFocused();
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
    await expect(ask.getByRole('radio', { name: 'Keep only bk.2.xml (open)' })).toBeVisible();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(ask.getByRole('radio', { name: 'Replace it with bk.2.xml' })).toBeChecked();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(ask).toHaveCount(0);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(3);
    await tree(page).getByRole('treeitem', { name: 'bk.2', exact: true }).dblclick();
    await expect(xmlSource(page)).toContainText('from c');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A checkpoint of VM web01 (its <domain> names it by uuid): files of two folders are one VM's. */
const ofWeb01 = (name: string, parent: string | undefined, description: string) =>
  checkpoint(name, parent, description).replace(
    '</domaincheckpoint>',
    `  <domain type='kvm'>
    <name>web01</name>
    <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
    <memory unit='KiB'>1048576</memory>
    <vcpu>1</vcpu>
    <os><type arch='x86_64' machine='pc'>hvm</type></os>
    <devices>
      <disk type='file' device='disk'>
        <driver name='qemu' type='qcow2'/>
        <source file='/var/lib/libvirt/images/web01.qcow2'/>
        <target dev='vda' bus='virtio'/>
      </disk>
    </devices>
  </domain>
</domaincheckpoint>`,
  );

/**
 * One folder dropped: `a/` and `b/` each hold a bk.1.xml of web01 with other contents, and `c/` a
 * bk.2.xml byte for byte a/'s. Returns the folder and the way to remove it.
 */
function twoFolders(): { dir: string; folder: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'same-name-one-open-'));
  const folder = join(dir, 'web01');
  for (const d of ['a', 'b', 'c']) mkdirSync(join(folder, d), { recursive: true });
  writeFileSync(join(folder, 'a', 'bk.1.xml'), ofWeb01('bk.1', undefined, 'from a'));
  writeFileSync(join(folder, 'a', 'bk.2.xml'), ofWeb01('bk.2', 'bk.1', 'second'));
  writeFileSync(join(folder, 'b', 'bk.1.xml'), ofWeb01('bk.1', undefined, 'from b'));
  writeFileSync(join(folder, 'c', 'bk.2.xml'), ofWeb01('bk.2', 'bk.1', 'second'));
  return { dir, folder, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const sameNameDialog = (page: Page) =>
  page.getByRole('dialog', { name: 'A file has the name of another file' });

test('two files of one name in one open: asked which to keep, by keyboard; the same bytes open once', async ({
  page,
}) => {
  const { folder, remove } = twoFolders();
  try {
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(folder);
    const ask = sameNameDialog(page);
    await expect(ask).toBeVisible();
    // Nothing of b/ is opened, nor renamed "(2)", before the operator says which.
    await expect(tree(page).getByRole('treeitem')).toHaveCount(2);
    await expect(tree(page).getByRole('treeitem', { name: /\(2\)/ })).toHaveCount(0);
    // c/bk.2.xml is a/bk.2.xml byte for byte: opened once, said so.
    await expect(page.getByRole('button', { name: '1 already open' })).toBeVisible();

    const name = ask.getByRole('group', { name: 'bk.1.xml' });
    const both = name.getByRole('radio', { name: 'Keep both' });
    await expect(both).toBeFocused();
    await expect(both).toBeChecked();
    await expect(name.getByRole('radio', { name: /^Keep only .*\/a\/bk\.1\.xml$/ })).toBeVisible();
    const onlyB = name.getByRole('radio', { name: /^Keep only .*\/b\/bk\.1\.xml$/ });
    // By keyboard alone: down to b's, then Tab to Apply.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(onlyB).toBeChecked();
    await page.keyboard.press('Tab');
    await expect(ask.getByRole('button', { name: 'Apply' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(ask).toHaveCount(0);

    // b's bk.1 is the one open, under its own name; a's is said closed, not dropped unsaid.
    await expect(tree(page).getByRole('treeitem')).toHaveCount(2);
    await tree(page).getByRole('treeitem', { name: 'bk.1', exact: true }).dblclick();
    await expect(xmlSource(page)).toContainText('from b');
    await expect(xmlSource(page)).not.toContainText('from a');
    await expect(page.getByText(/closed: .*\/b\/bk\.1\.xml kept under its name/)).toBeVisible();
  } finally {
    remove();
  }
});

test('the question survives a reload and a new tab; Escape keeps both, each told apart by its folder', async ({
  page,
  context,
}) => {
  const { folder, remove } = twoFolders();
  try {
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(folder);
    await expect(sameNameDialog(page)).toBeVisible();
    await expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible();

    // A reload in the middle of the question asks it again, b's file still held.
    await page.reload();
    await expect(sameNameDialog(page)).toBeVisible();
    await expect(tree(page).getByRole('treeitem')).toHaveCount(2);

    // So does a new tab, once the first is gone.
    await page.close();
    const second = await context.newPage();
    await second.goto('/');
    const ask = sameNameDialog(second);
    await expect(ask).toBeVisible();
    await expect(
      ask.getByRole('group', { name: 'bk.1.xml' }).getByRole('radio', { name: 'Keep both' }),
    ).toBeFocused();
    // Escape: the choice that loses nothing.
    await second.keyboard.press('Escape');
    await expect(ask).toHaveCount(0);
    await expect(tree(second).getByRole('treeitem')).toHaveCount(3);
    await validated(second);
    // Both kept: the second bk.1 is told apart by its folder in Validation, the duplicate said.
    await expect(tree(second).getByRole('treeitem', { name: /^bk\.1 / })).toHaveCount(1);
    await tree(second)
      .getByRole('treeitem', { name: /^bk\.1 / })
      .click();
    await expect(
      validation(second).getByRole('heading', { name: /\/b\/bk\.1\.xml$/ }),
    ).toBeVisible();
    await expect(validation(second).getByText(/checkpoint bk\.1 is defined again/)).toBeVisible();

    // Answered: a reload asks nothing, and both stay.
    await expect(second.getByText('Saved in this browser', { exact: true })).toBeVisible();
    await second.reload();
    await expect(tree(second).getByRole('treeitem')).toHaveCount(3);
    await expect(sameNameDialog(second)).toHaveCount(0);
  } finally {
    remove();
  }
});
