import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, test, tree, validated } from './fixtures.ts';

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
