// A disk target of 200 characters (issue 26, smaller: long disk targets overflowed their panels):
// at 1024×700 the Disks table, the Bitmaps table, the Disk images and the Backup readiness keep
// within their panels, the target cut with an ellipsis and whole in its tooltip.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from '@playwright/test';
import type { VmDisk } from '../test/images/scenario.ts';
import { writeChain } from '../test/images/scenario.ts';
import { expect, openApp, test, tree } from './fixtures.ts';

const TARGET = `vd${'x'.repeat(198)}`;
const SOURCE = '/var/lib/libvirt/images/web01-long.qcow2';

const dir = mkdtempSync(join(tmpdir(), 'e2e-long-targets-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** bk.1 and bk.2 keeping a bitmap on the long-named disk, and its image's qemu-img info. */
function writeFolder(): void {
  const disks: VmDisk[] = [{ target: TARGET, source: SOURCE }];
  writeChain(dir, 'web01', disks, ['bk.1', 'bk.2']);
  const bitmaps = ['bk.1', 'bk.2'].map((name) => ({ flags: ['auto'], name, granularity: 65536 }));
  const info = {
    'virtual-size': 1073741824,
    filename: SOURCE,
    format: 'qcow2',
    'format-specific': { type: 'qcow2', data: { compat: '1.1', bitmaps, corrupt: false } },
  };
  writeFileSync(join(dir, 'images.json'), JSON.stringify(info, null, 4));
}

/**
 * What sticks out of a panel: the panel scrolling sideways, or an element (one that does not cut
 * its own content) wider than the panel or reaching past its right edge.
 */
async function overflows(panel: Locator): Promise<string[]> {
  return panel.evaluate((root) => {
    const out: string[] = [];
    const edge = root.getBoundingClientRect().right + 1;
    if (root.scrollWidth > root.clientWidth + 1) {
      out.push(`the panel: scrollWidth ${root.scrollWidth} > ${root.clientWidth}`);
    }
    for (const el of root.querySelectorAll<HTMLElement>('*')) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || el.closest('.visually-hidden')) continue;
      const what = `${el.tagName.toLowerCase()}.${el.className}`;
      if (style.overflowX === 'visible' && el.scrollWidth > root.clientWidth + 1) {
        out.push(`${what}: scrollWidth ${el.scrollWidth} > ${root.clientWidth}`);
      }
      if (el.getBoundingClientRect().right > edge) {
        out.push(`${what}: right ${Math.round(el.getBoundingClientRect().right)} > ${edge}`);
      }
    }
    return out;
  });
}

test.use({ viewport: { width: 1024, height: 700 } });

test('a 200-character disk target stays within its panels, cut with an ellipsis, whole in a tooltip', async ({
  page,
}) => {
  writeFolder();
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(dir);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(2);

  await tree(page).getByRole('treeitem').first().click();
  await page.getByRole('tab', { name: 'Checkpoint' }).click();
  const disks = page.locator('section.card', { has: page.getByRole('heading', { name: 'Disks' }) });
  await expect(disks.getByTitle(TARGET)).toBeVisible();
  expect(await overflows(disks), 'the Disks table').toEqual([]);

  await page.getByRole('tab', { name: 'Bitmaps' }).click();
  const readiness = page.getByRole('region', { name: 'Backup readiness' });
  await expect(readiness.getByRole('listitem').first()).toHaveText(
    `${TARGET}: incremental since bk.2`,
  );
  await expect(readiness.getByTitle(TARGET)).toBeVisible();
  const matrix = page.getByRole('table', { name: 'Bitmaps' });
  await expect(matrix.getByRole('columnheader', { name: TARGET })).toBeVisible();
  await expect(matrix.getByTitle(TARGET)).toBeVisible();
  const images = page.getByRole('table', { name: 'Images of the disks' });
  await expect(images.getByTitle(TARGET)).toBeVisible();

  const panels: [string, Locator][] = [
    ['Backup readiness', readiness],
    ['Disk images', page.locator('section.disk-images')],
    ['Bitmaps table', page.locator('.matrix-pane')],
    ['Bitmaps table (its scroll)', page.locator('.matrix-scroll')],
  ];
  for (const [name, panel] of panels) expect(await overflows(panel), name).toEqual([]);
});
