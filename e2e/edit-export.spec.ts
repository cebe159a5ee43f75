import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { formatCheckpoint, parseCheckpoint } from '../src/core/index.ts';
import type { FormatOptions } from '../src/core/index.ts';
import {
  conformancePath,
  expect,
  openApp,
  pastUndoBurst,
  test,
  textbox,
  tree,
  xmlSource,
} from './fixtures.ts';

const SECRETS = conformancePath('oracle', 'dom-redacted-secrets', 'input.xml');

/** What the core formats for a file with a new description: the export must be exactly this. */
function expectedXml(file: string, description: string, options: FormatOptions): string {
  const parsed = parseCheckpoint(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return formatCheckpoint({ ...parsed.value, description }, options);
}

async function download(page: Page): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export XML' }).click(),
  ]);
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

test('an edited description exports byte for byte what the core formats', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Open checkpoint files').setInputFiles(SECRETS);
  await textbox(page, 'Description').fill('Before the & <upgrade>');
  // Nothing the file held is dropped by default: domain, security info and size all checked.
  for (const name of ['Include domain', 'Include security info', 'Include size']) {
    await expect(page.getByRole('checkbox', { name })).toBeChecked();
  }
  const all = await download(page);
  expect(all.name).toBe('sec1.xml');
  expect(all.text).toBe(
    expectedXml(SECRETS, 'Before the & <upgrade>', { securityInfo: true, size: true }),
  );
  expect(all.text).toContain("passwd='s3cr&amp;t'");

  await page.getByRole('checkbox', { name: 'Include security info' }).uncheck();
  const redacted = await download(page);
  expect(redacted.text).toBe(
    expectedXml(SECRETS, 'Before the & <upgrade>', { securityInfo: false, size: true }),
  );
  expect(redacted.text).not.toContain('passwd');

  await page.getByRole('checkbox', { name: 'Include domain' }).uncheck();
  const noDomain = await download(page);
  expect(noDomain.text).toBe(
    expectedXml(SECRETS, 'Before the & <upgrade>', { noDomain: true, size: true }),
  );
});

test('Copy XML puts the same bytes on the clipboard', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await openApp(page);
  await page.getByLabel('Open checkpoint files').setInputFiles(SECRETS);
  await textbox(page, 'Description').fill('copied');
  await page.getByRole('button', { name: 'Copy XML' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(expectedXml(SECRETS, 'copied', { securityInfo: true, size: true }));
});

test('form edits update the source, source edits update the form, undo spans both', async ({
  page,
}) => {
  await openApp(page);
  await tree(page).getByRole('treeitem', { name: 'web01-2024-03-02' }).click();
  const name = textbox(page, 'Name');
  await expect(name).toHaveValue('web01-2024-03-02');
  const source = xmlSource(page).getByRole('textbox');

  // Form → source.
  await textbox(page, 'Description').fill('Patched by the form');
  await expect(source).toContainText('<description>Patched by the form</description>');

  // Source → form: replace the whole text in the editor (a later, separate step of undo).
  await pastUndoBurst(page);
  await source.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText(
    readFileSync(conformancePath('oracle', 'nodom-minimal', 'input.xml'), 'utf8'),
  );
  const typedName = parseName(
    readFileSync(conformancePath('oracle', 'nodom-minimal', 'input.xml'), 'utf8'),
  );
  await expect(name).toHaveValue(typedName);
  await expect(tree(page).getByRole('treeitem', { name: typedName })).toBeVisible();

  // One undo brings back the form edit's text; another, the original.
  await pastUndoBurst(page);
  await page.keyboard.press('Control+z');
  await expect(name).toHaveValue('web01-2024-03-02');
  await expect(textbox(page, 'Description')).toHaveValue('Patched by the form');
  await expect(page.getByRole('button', { name: 'Undo' })).toBeEnabled();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(textbox(page, 'Description')).toHaveValue('Nightly incremental backup');
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(textbox(page, 'Description')).toHaveValue('Patched by the form');
});

test('disks: a bitmap on a read-only disk is an error on its row, fixed from the table', async ({
  page,
}) => {
  await openApp(page);
  await page.getByRole('combobox', { name: 'Open an example' }).selectOption('errors');
  await tree(page).getByRole('treeitem', { name: 'web01-2024-03-04' }).click();
  const disks = page.getByRole('table', { name: 'Disks' });
  for (const header of ['Disk', 'Checkpoint', 'Bitmap']) {
    await expect(disks.getByRole('columnheader', { name: header })).toBeVisible();
  }
  await expect(disks).toContainText("disk 'sda' is empty or readonly");
  await disks.getByRole('combobox', { name: 'Checkpoint for sda' }).selectOption('no');
  await expect(disks).not.toContainText("disk 'sda' is empty or readonly");
  await expect(xmlSource(page).getByRole('textbox')).toContainText(
    "<disk name='sda' checkpoint='no'/>",
  );
  // The parent is typed, or picked among the loaded checkpoints.
  const parent = textbox(page, 'Parent');
  await expect(parent).toHaveValue('web01-2024-03-03');
  await expect(
    page.locator(`datalist[id="${await parent.getAttribute('list')}"] option`),
  ).toHaveCount(3);
  await parent.fill('web01-2024-03-01');
  await expect(tree(page).getByRole('treeitem', { name: 'web01-2024-03-04' })).toHaveAttribute(
    'aria-level',
    '2',
  );
  // The creation time is raw seconds, with its UTC reading beside it.
  await expect(textbox(page, 'Creation time')).toHaveValue('1709510400');
  // (The tree row's description says the time too, now to the second: the field's own is asked.)
  await expect(textbox(page, 'Creation time')).toHaveAccessibleDescription(
    /^2024-03-04 00:00:00 UTC/,
  );
  await textbox(page, 'Creation time').fill('1709510460');
  await expect(textbox(page, 'Creation time')).toHaveAccessibleDescription(
    /^2024-03-04 00:01:00 UTC/,
  );
  await expect(xmlSource(page).getByRole('textbox')).toContainText(
    '<creationTime>1709510460</creationTime>',
  );
});

function parseName(xml: string): string {
  const parsed = parseCheckpoint(xml);
  if (!parsed.ok || !parsed.value.name) throw new Error('no name');
  return parsed.value.name;
}
