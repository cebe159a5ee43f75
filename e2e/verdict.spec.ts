import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, test, tree, validated, validation } from './fixtures.ts';

const checkpoint = (name: string, parent?: string, time = 1709251200) => `<domaincheckpoint>
  <name>${name}</name>
${parent ? `  <parent>\n    <name>${parent}</name>\n  </parent>\n` : ''}  <creationTime>${time}</creationTime>
  <disks>
    <disk name='vda' checkpoint='bitmap' bitmap='${name}'/>
  </disks>
</domaincheckpoint>
`;

const libvirtVerdict = (page: Page) =>
  page.locator('.verdicts .verdict').filter({ hasText: /^libvirt:/ });

test('"libvirt: would redefine it" only where the redefine script takes the file', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'verdict-'));
  try {
    // bk.2's parent bk.1x is not loaded; bk.4 hangs below it; bk.3 is defined by two files.
    writeFileSync(join(dir, 'bk.1.xml'), checkpoint('bk.1'));
    writeFileSync(join(dir, 'bk.2.xml'), checkpoint('bk.2', 'bk.1x', 1709254800));
    writeFileSync(join(dir, 'bk.3.xml'), checkpoint('bk.3', 'bk.1', 1709258400));
    writeFileSync(join(dir, 'bk.3-again.xml'), checkpoint('bk.3', 'bk.1', 1709258400));
    writeFileSync(join(dir, 'bk.4.xml'), checkpoint('bk.4', 'bk.2', 1709262000));
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(dir);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(5);
    await validated(page);
    const open = async (name: string) => {
      await tree(page).getByRole('treeitem', { name, exact: true }).first().dblclick();
    };
    await open('bk.1');
    await expect(libvirtVerdict(page)).toHaveText('libvirt: would redefine it');
    await open('bk.2');
    await expect(libvirtVerdict(page)).toHaveText(
      'libvirt: would refuse it: parent bk.1x for moment bk.2 not found',
    );
    await open('bk.4');
    await expect(libvirtVerdict(page)).toHaveText(
      'libvirt: would refuse it: below bk.2, which is left out',
    );
    // The other file of the duplicate: the one the script leaves out.
    await tree(page).getByRole('treeitem', { name: 'bk.3 (bk.3-again.xml)' }).dblclick();
    await expect(libvirtVerdict(page)).toHaveText(/^libvirt: would refuse it: /);
    await expect(libvirtVerdict(page)).toHaveClass(/bad/);
    // And the script leaves out exactly those three.
    await page.getByRole('tab', { name: /^Chain/ }).click();
    await page.getByRole('button', { name: 'Redefine script' }).click();
    await expect(page.getByText('Left out of the script: 3 checkpoints').first()).toBeVisible();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** What the places that count a file's problems say: the tree badge, the header, the list. */
async function fileCounts(page: Page, name: string) {
  const row = tree(page).getByRole('treeitem', { name, exact: true });
  const badge = row.locator('.badge.error');
  const header = page.getByTestId('file-counts');
  const listed = validation(page)
    .locator('div:has(> h3.validation-file.current) .problem-row')
    .filter({ has: page.locator('.severity.error') });
  return { badge, header, listed };
}

test('one count: the tree badge, the editor header, the listed problems and the panel agree', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'counts-'));
  try {
    // bk.2: a parent that is not loaded (the chain's), a disk twice (libvirt's rules) and a
    // checkpoint mode the schema does not know (xmllint's): each place must count all of them.
    writeFileSync(join(dir, 'bk.1.xml'), checkpoint('bk.1'));
    writeFileSync(
      join(dir, 'bk.2.xml'),
      `<domaincheckpoint>
  <name>bk.2</name>
  <parent>
    <name>bk.1x</name>
  </parent>
  <creationTime>1709254800</creationTime>
  <disks>
    <disk name='vda' checkpoint='bitmap' bitmap='bk.2'/>
    <disk name='vda' checkpoint='bitmap' bitmap='bk.2b'/>
    <disk name='vdb' checkpoint='sometimes'/>
  </disks>
</domaincheckpoint>
`,
    );
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(dir);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(2);
    await validated(page);
    await tree(page).getByRole('treeitem', { name: 'bk.2', exact: true }).dblclick();
    await expect(page.locator('.verdicts .verdict').first()).toHaveText(
      /^Schema \(xmllint\): \d+ errors?$/,
    );
    const { badge, header, listed } = await fileCounts(page, 'bk.2');
    // Two faults: the parent (the chain's) and vdb's mode (libvirt's rule, with xmllint's two lines
    // on it as its details): each place says 2, the schema's verdict its own 2 lines.
    const errors = 2;
    await expect(badge).toHaveText(String(errors));
    await expect(page.locator('.verdicts .verdict').first()).toHaveText(
      'Schema (xmllint): 2 errors',
    );
    await expect(header).toHaveText(new RegExp(`^This file: ${errors} errors, \\d+ warnings?$`));
    await expect(listed).toHaveCount(errors);
    // One VM, bk.1 without problems: the panel's count is bk.2's.
    await expect(validation(page).getByText(/^\d+ errors?$/)).toHaveText(`${errors} errors`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
