// The Validation panel's long lists (an image's strays, a folder's files) stay where they were
// scrolled to: a "Show more" just scrolled into view does not move while the rows above it, not laid
// out until then (content-visibility: auto), take their real height.
import type { Locator } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VmDisk } from '../test/images/scenario.ts';
import { qcow2Info, writeChain } from '../test/images/scenario.ts';
import { expect, openApp, test, validation } from './fixtures.ts';

const SOURCE = '/var/lib/libvirt/images/web01-vda.qcow2';

/** web01's bk.1 and bk.2, and vda's qemu-img JSON with both their bitmaps and `strays` more. */
function writeFolder(strays: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-validation-rows-'));
  const disks: VmDisk[] = [{ target: 'vda', source: SOURCE }];
  writeChain(dir, 'web01', disks, ['bk.1', 'bk.2']);
  const bitmaps = ['bk.1', 'bk.2', ...Array.from({ length: strays }, (_, i) => `stray.${i}`)];
  writeFileSync(join(dir, 'images.json'), JSON.stringify(qcow2Info(SOURCE, bitmaps)));
  return dir;
}

/** The button's top in each of six frames after it is scrolled into view in the panel. */
function topsAfterScroll(button: Locator): Promise<number[]> {
  return button.evaluate(async (el) => {
    el.scrollIntoView({ block: 'end' });
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      seen.push(Math.round(el.getBoundingClientRect().top));
      await new Promise((done) => requestAnimationFrame(done));
    }
    return seen;
  });
}

for (const size of ['as it opens', 'at its tallest'] as const) {
  test(`the Validation panel's "Show 1,000 more" stays where it was scrolled to while the strays above it are laid out (panel ${size})`, async ({
    page,
  }) => {
    const dir = writeFolder(1_300);
    try {
      // The tallest panel is 600 px, half the window's height at most.
      if (size === 'at its tallest') await page.setViewportSize({ width: 1280, height: 1_300 });
      await openApp(page);
      await page.getByLabel('Open folder').setInputFiles(dir);
      const panel = validation(page);
      const more = panel.getByRole('button', { name: /^Show 1,000 more/ });
      await expect(more).toBeVisible();
      if (size === 'at its tallest') {
        await page.getByRole('separator', { name: 'Validation height' }).press('End');
        await expect(panel).toHaveCSS('height', '600px');
      }
      const tops = await topsAfterScroll(more);
      // Without the last rows laid out ahead: 776, 776, 776, 841, 841, 841 (the rows in view 39 px
      // each as estimated, 61 px once laid out).
      expect(new Set(tops).size, `the button's top over six frames: ${tops.join(', ')}`).toBe(1);
      await more.click();
      await expect(panel.getByRole('button', { name: /^Show 100 more/ })).toBeVisible();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('the Validation panel\'s "Show more" files stays where it was scrolled to while the files\' rows above it are laid out', async ({
  page,
}) => {
  // 150 files, each with a fault of its own: the first 100 are listed, then the button.
  const dir = mkdtempSync(join(tmpdir(), 'e2e-validation-files-'));
  try {
    for (let i = 0; i < 150; i++) {
      const xml = `<domaincheckpoint>\n  <name>bad.${i}</name>\n  <extra${i}/>\n</domaincheckpoint>\n`;
      writeFileSync(join(dir, `bad.${i}.xml`), xml);
    }
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(dir);
    const panel = validation(page);
    const more = panel.getByRole('button', { name: /^Show more: \d+ more files with problems/ });
    await expect(more).toBeVisible();
    const tops = await topsAfterScroll(more);
    // Without the last files' rows laid out ahead: 776, 776, 776, 768, 768, 768 (24 px, not 39).
    expect(new Set(tops).size, `the button's top over six frames: ${tops.join(', ')}`).toBe(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
