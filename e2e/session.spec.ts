import type { Page } from '@playwright/test';
import { checkpointChain, seededRandom } from '../src/samples/index.ts';
import { conformancePath, expect, openApp, test, textbox, tree } from './fixtures.ts';

const SMALL = {
  name: 'small.xml',
  mimeType: 'application/xml',
  buffer: Buffer.from(
    (checkpointChain({ count: 1, prefix: 'small' })[0] as { contents: string }).contents.replaceAll(
      'small0',
      'small',
    ),
  ),
};

/** `count` valid checkpoints of about `bytes` each: a long description of letters that do not compress. */
function paddedFiles(count: number, bytes: number) {
  const random = seededRandom(10);
  return checkpointChain({ count, prefix: 'padded-' }).map((f) => {
    let padding = '';
    while (padding.length < bytes) padding += random.next().toString(36).slice(2);
    const contents = f.contents.replace(
      '</name>',
      `</name>\n  <description>${padding}</description>`,
    );
    return { name: f.fileName, mimeType: 'application/xml', buffer: Buffer.from(contents) };
  });
}

/** The page's storage limited to `bytes` (the DevTools protocol's quota override). */
async function limitStorage(page: Page, baseURL: string | undefined, bytes: number) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(baseURL as string).origin,
    quotaSize: bytes,
  });
}

/** Files named in the red alert of files not saved in this browser, once it shows. */
async function expectAtRisk(page: Page) {
  const atRisk = page.getByRole('alert').filter({ hasText: 'not saved in this browser' });
  await expect(atRisk).toBeVisible({ timeout: 60_000 });
  await expect(atRisk).toContainText(/padded-\d+\.xml/);
  await expect(page.getByText('Saved in this browser', { exact: true })).toHaveCount(0);
  return atRisk;
}

test('the session survives a reload, edits included', async ({ page }) => {
  await openApp(page);
  await tree(page).getByRole('treeitem', { name: 'web01-2024-03-01' }).click();
  await textbox(page, 'Description').fill('Kept across a reload');
  await expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible();
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
  await expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible();
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
  await expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible();
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

test('an edit made just before the tab closes is there when the app opens again', async ({
  page,
}) => {
  await openApp(page);
  // A real click: browsers only ask before leaving pages the user has interacted with.
  await textbox(page, 'Description').click();
  await textbox(page, 'Description').fill('Typed just before closing');
  // Leave when asked: the edit is saved as the page goes, not 300 ms later.
  page.on('dialog', (d) => void d.accept());
  await page.waitForTimeout(100);
  await page.close({ runBeforeUnload: true });
  await page.waitForEvent('close');

  const again = await page.context().newPage();
  await openApp(again);
  await expect(textbox(again, 'Description')).toHaveValue('Typed just before closing');
});

test('with the storage full, each file is saved on its own, those at risk are named, and Export is offered', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  // Before the app first writes (see the next test): in CI at load ~12, with the limit set after
  // the app's start, all 80 files were once saved under it and the page rightly said so.
  await limitStorage(page, baseURL, 24 * 1024 * 1024);
  await openApp(page);
  // A small file first, saved; then 80 files of 500 KB: more than this browser will keep.
  await page.getByLabel('Open checkpoint files').setInputFiles(SMALL);
  await expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible();
  await page.getByLabel('Open checkpoint files').setInputFiles(paddedFiles(80, 500_000));
  await expect(page.getByRole('heading', { name: 'Checkpoints 81' })).toBeVisible({
    timeout: 60_000,
  });
  const atRisk = await expectAtRisk(page);

  // Room left for a small file, never for one of 500 KB: whatever the padded files left over.
  const { usage } = await page.evaluate(() => navigator.storage.estimate());
  await limitStorage(page, baseURL, (usage ?? 0) + 200_000);
  // A small edit of a small file is saved all the same; the others stay at risk, named.
  await page.getByRole('searchbox', { name: 'Search checkpoints by name' }).fill('small');
  await tree(page).getByRole('treeitem', { name: 'small', exact: true }).click();
  await textbox(page, 'Description').fill('Kept though the storage is full');
  await expect(atRisk).toBeVisible();
  await expect(atRisk).not.toContainText('small.xml');
  await expect(page.getByText('Saved in this browser', { exact: true })).toHaveCount(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    atRisk.getByRole('button', { name: /^Export/ }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.zip$/);

  await page.reload();
  await page.getByRole('searchbox', { name: 'Search checkpoints by name' }).fill('small');
  await tree(page).getByRole('treeitem', { name: 'small', exact: true }).click();
  await expect(textbox(page, 'Description')).toHaveValue('Kept though the storage is full');
});

test('a folder of many small files saved together: with the storage full, those it cannot hold are named, the rest kept', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  // The limit is set before the app first writes: Chromium's IndexedDB allots space from the
  // remaining space it last asked the quota manager for, for up to 30 s (BucketContext's
  // kBucketSpaceCacheTimeLimit), so a limit set after the app's first writes could go unseen (in CI
  // all 300 files were once saved under a limit 1.5 MB above the usage).
  await limitStorage(page, baseURL, 2_000_000);
  await openApp(page);
  // 300 files of 40 KB (12 MB), saved up to 1 MB to a transaction: six times the room left.
  await page.getByLabel('Open checkpoint files').setInputFiles(paddedFiles(300, 40_000));
  await expect(page.getByRole('heading', { name: 'Checkpoints 300' })).toBeVisible({
    timeout: 60_000,
  });
  await expectAtRisk(page);
  // The transaction refused as a whole was tried a file at a time: what fitted was kept.
  const kept = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('checkpoint-editor');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const store = db
            .transaction(db.objectStoreNames[0] as string)
            .objectStore(db.objectStoreNames[0] as string);
          const keys = store.getAllKeys();
          keys.onsuccess = () => {
            resolve(keys.result.filter((k) => String(k).startsWith('doc:')).length);
            db.close();
          };
        };
      }),
  );
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(300);
});

test('the kept verdicts give up their room: with the storage full of them, a file opened is still saved', async ({
  page,
  baseURL,
}) => {
  // The limit before the app first writes (see above). A quota set this way is not in
  // navigator.storage.estimate(), so the caches' own check of the room left (cache-room.ts) does
  // not see it: as with a disk that fills up, the session's refused write is what tells.
  await limitStorage(page, baseURL, 2_000_000);
  await openApp(page);
  // The schema verdicts' cache filled until the browser refuses more.
  const cached = await page.evaluate(async () => {
    const open = indexedDB.open('checkpoint-editor-verdict-runs');
    open.onupgradeneeded = () => open.result.createObjectStore('runs');
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    let n = 0;
    for (;;) {
      const tx = db.transaction('runs', 'readwrite');
      tx.objectStore('runs').put({ filler: crypto.getRandomValues(new Uint8Array(60_000)) }, n);
      const ok = await new Promise<boolean>((resolve) => {
        tx.oncomplete = () => resolve(true);
        tx.onabort = () => resolve(false);
      });
      if (!ok) break;
      n++;
    }
    db.close();
    return n;
  });
  expect(cached).toBeGreaterThan(10);
  await page.getByLabel('Open checkpoint files').setInputFiles(paddedFiles(3, 40_000));
  await expect(page.getByRole('heading', { name: 'Checkpoints 3' })).toBeVisible();
  await expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    page.getByRole('alert').filter({ hasText: 'not saved in this browser' }),
  ).toHaveCount(0);
  await page.reload();
  await expect(tree(page).getByRole('treeitem', { name: 'padded-2', exact: true })).toBeVisible();
});

test('Close all asks first when edits were never exported', async ({ page }) => {
  await openApp(page);
  // Nothing edited: closes at once.
  await page.getByRole('button', { name: 'Close all' }).click();
  await expect(tree(page).getByRole('treeitem')).toHaveCount(0);
  await page.getByLabel('Open an example').selectOption('chain');
  await textbox(page, 'Description').fill('Not exported yet');
  await page.getByRole('button', { name: 'Close all' }).click();
  const dialog = page.getByRole('dialog', { name: 'Close all files?' });
  await expect(dialog).toContainText('web01-2024-03-01.xml');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(3);
  await expect(textbox(page, 'Description')).toHaveValue('Not exported yet');
  await page.getByRole('button', { name: 'Close all' }).click();
  await dialog.getByRole('button', { name: 'Close all' }).click();
  await expect(tree(page).getByRole('treeitem')).toHaveCount(0);
});
