// The repair script stays as the operator left it: shown after a look at another tab and after
// the disk state is worked out again, and its button stays where it was scrolled to while the
// strays above it take their real height (the 200,000 bitmaps' test missed it under load).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { VmDisk } from '../test/images/scenario.ts';
import { qcow2Info, writeChain } from '../test/images/scenario.ts';
import { expect, openApp, test } from './fixtures.ts';

const SOURCE = '/var/lib/libvirt/images/web01-vda.qcow2';

/** web01's bk.1 and bk.2, and vda's qemu-img JSON with both their bitmaps and `strays` more. */
function writeFolder(strays: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-repair-script-'));
  const disks: VmDisk[] = [{ target: 'vda', source: SOURCE }];
  writeChain(dir, 'web01', disks, ['bk.1', 'bk.2']);
  const bitmaps = ['bk.1', 'bk.2', ...Array.from({ length: strays }, (_, i) => `stray.${i}`)];
  writeFileSync(join(dir, 'images.json'), JSON.stringify(qcow2Info(SOURCE, bitmaps)));
  return dir;
}

const tab = (page: Page, name: string | RegExp) => page.getByRole('tab', { name }).click();

test('the repair script shown stays shown over a tab switch and a disk state worked out again; hidden stays hidden', async ({
  page,
}) => {
  const dir = writeFolder(3);
  try {
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(dir);
    await tab(page, 'Bitmaps');
    const button = page.getByRole('button', { name: 'Repair script', exact: true });
    const text = page.getByLabel('Repair script text');
    await button.click();
    await expect(text).toHaveValue(/qemu-img bitmap --remove/);

    await tab(page, /^Chain/);
    await expect(text).toHaveCount(0);
    await tab(page, 'Bitmaps');
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    await expect(text).toHaveValue(/qemu-img bitmap --remove/);

    // The VM said running, then not: the disk state is worked out twice, the script still shown.
    const running = page.getByLabel('The VM is running (images read with -U)');
    await running.check();
    await running.uncheck();
    await expect(text).toHaveValue(/qemu-img bitmap --remove/);

    // Hidden by the operator, it stays hidden when the Bitmaps tab comes back.
    await button.click();
    await expect(text).toHaveCount(0);
    await tab(page, /^Chain/);
    await tab(page, 'Bitmaps');
    await expect(page.getByRole('region', { name: 'Backup readiness' })).toBeVisible();
    await expect(button).toHaveAttribute('aria-expanded', 'false');
    await expect(text).toHaveCount(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Repair script button stays where it was scrolled to while the strays above it are laid out', async ({
  page,
}) => {
  const dir = writeFolder(300);
  try {
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(dir);
    await tab(page, 'Bitmaps');
    const strays = page.getByRole('list', { name: 'Problems in the images' });
    await expect(strays.getByRole('listitem')).toHaveCount(200);
    // Anew, as after a tab switch: no item has been laid out yet.
    await tab(page, /^Chain/);
    await tab(page, 'Bitmaps');
    const button = page.getByRole('button', { name: 'Repair script', exact: true });
    const tops = await button.evaluate(async (el) => {
      el.scrollIntoView({ block: 'end' });
      const seen: number[] = [];
      for (let i = 0; i < 6; i++) {
        seen.push(Math.round(el.getBoundingClientRect().top));
        await new Promise((done) => requestAnimationFrame(done));
      }
      return seen;
    });
    // It moved 1,500 px down, out of sight, two frames after (the strays 2.8em each until laid out).
    expect(new Set(tops).size, `the button's top over six frames: ${tops.join(', ')}`).toBe(1);
    await button.click();
    await expect(page.getByLabel('Repair script text')).toHaveValue(/qemu-img bitmap --remove/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
