// Nothing the operator brought is changed or lost without being shown first (issue: Trust I):
// forms show what the file holds, edits change only their field, an export is either the file's
// own bytes or libvirt's format with what that changes listed before it is written.
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import { expect, openApp, pastUndoBurst, test, textbox, tree, xmlSource } from './fixtures.ts';
import { conformancePath } from './fixtures.ts';

/** A checkpoint libvirt 9.0 printed (QEMUGuest1 of the oracle), with one change each test makes. */
const CANON = readFileSync(conformancePath('oracle', 'dom-partial-disks', 'expected.xml'), 'utf8');

/** The same checkpoint as a person keeps it: a declaration, comments, namespaces, metadata. */
const HAND_MADE = CANON.replace(
  '<domaincheckpoint>',
  '<?xml version="1.0"?>\n<!-- saved by hand -->\n<domaincheckpoint xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0" xmlns:app="http://example.org/app">',
)
  .replace(
    /(<uuid>[^<]*<\/uuid>\n)/,
    '$1    <metadata>\n      <app:info a="1">mixed <b>bold</b> tail</app:info>\n    </metadata>\n',
  )
  .replace(
    '    </devices>\n',
    "    </devices>\n    <qemu:commandline>\n      <qemu:arg value='-foo'/>\n    </qemu:commandline>\n",
  );

async function bytes(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function open(page: Page, name: string, text: string | Buffer) {
  await page.getByLabel('Open checkpoint files').setInputFiles({
    name,
    mimeType: 'text/xml',
    buffer: typeof text === 'string' ? Buffer.from(text) : text,
  });
}

test('a value libvirt refuses is shown as the file holds it, and the file exports as it is', async ({
  page,
}) => {
  const broken = CANON.replace("checkpoint='bitmap'", "checkpoint='bitmapp'");
  await openApp(page);
  await open(page, 'bitmapp.xml', broken);
  const select = page.getByRole('combobox', { name: 'Checkpoint for vdb' });
  await expect(select).toHaveValue('bitmapp');
  await expect(select).toHaveAttribute('aria-invalid', 'true');
  await expect(
    page.getByText(/checkpoint must be 'bitmap' or 'no', not 'bitmapp'/).first(),
  ).toBeVisible();
  await expect(page.getByText('libvirt: would refuse it')).toBeVisible();
  // The file as it is, byte for byte, is what Export gives by default.
  const [asIs] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export as it is' }).click(),
  ]);
  expect(asIs.suggestedFilename()).toBe('bitmapp.xml');
  expect((await bytes(asIs)).toString('utf8')).toBe(broken);
  // libvirt's format only after the list of what it changes, and only when confirmed.
  await page.getByRole('button', { name: 'Export XML…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export as libvirt would format it' });
  await expect(dialog.getByRole('list', { name: "What libvirt's format changes" })).toContainText(
    "checkpoint 'bitmapp' is written as 'bitmap'",
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
});

test('a form edit changes its field only; Export XML lists what libvirt’s format changes first', async ({
  page,
}) => {
  await openApp(page);
  await open(page, 'hand.xml', HAND_MADE);
  await expect(page.getByText('libvirt: would redefine it')).toBeVisible();
  await textbox(page, 'Description').fill('by hand & form');
  await pastUndoBurst(page);
  // The source holds everything it held, and the new description.
  const source = xmlSource(page).getByRole('textbox');
  await expect(source).toContainText('<!-- saved by hand -->');
  await expect(source).toContainText('xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0"');
  await expect(source).toContainText('<app:info a="1">mixed <b>bold</b> tail</app:info>');
  await expect(source).toContainText('<description>by hand &amp; form</description>');
  // Before any export, the page says what libvirt's format changes.
  const changes = page.getByRole('list', { name: 'What Export XML changes' });
  await page.getByText(/^Export XML \(libvirt’s format\) changes/).click();
  await expect(changes).toContainText('the XML declaration is left out');
  await expect(changes).toContainText('a comment is left out');
  await expect(changes).toContainText('xmlns:qemu on <domaincheckpoint> is not kept there');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export XML', exact: true }).click(),
  ]);
  const xml = (await bytes(download)).toString('utf8');
  // libvirt's own format: the namespace on the element that uses it, the mixed content kept.
  expect(xml).toContain(
    "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>",
  );
  expect(xml).toContain(
    '<metadata xmlns:app="http://example.org/app">\n      <app:info a="1">mixed <b>bold</b> tail</app:info>\n    </metadata>',
  );
  expect(xml).toContain("<qemu:arg value='-foo'/>");
  await expect(page.getByRole('status').filter({ hasText: 'as libvirt formats it' })).toBeVisible();
});

test('Export all shows what the zip will hold first; a file with errors goes as it is', async ({
  page,
}) => {
  const broken = CANON.replace('<name>', '<name>bad name ').replace(
    /<creationTime>\d+/,
    '<creationTime>-1',
  );
  await openApp(page);
  await page.getByLabel('Open checkpoint files').setInputFiles([
    { name: 'hand.xml', mimeType: 'text/xml', buffer: Buffer.from(HAND_MADE) },
    { name: 'broken.xml', mimeType: 'text/xml', buffer: Buffer.from(broken) },
  ]);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(2);
  await page.getByRole('tab', { name: /^Chain/ }).click();
  await page.getByRole('button', { name: 'Export all' }).click();
  const review = page.getByRole('dialog', { name: 'Export all: what the zip will hold' });
  await expect(review.getByRole('list', { name: 'Files written as they are' })).toContainText(
    'broken.xml',
  );
  await expect(
    review.getByRole('list', { name: "What libvirt's format changes in the zip" }),
  ).toContainText('the XML declaration is left out — 1 file');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    review.getByRole('button', { name: 'Download zip' }).click(),
  ]);
  const zip = unzipSync(new Uint8Array(await bytes(download)));
  expect(strFromU8(zip['broken.xml'] as Uint8Array)).toBe(broken);
  expect(strFromU8(zip['hand.xml'] as Uint8Array)).toContain('<domaincheckpoint>\n');
});

test('a Latin-1 file: xmllint reads it, libvirt (UTF-8 always) would not; as it is, it stays Latin-1', async ({
  page,
}) => {
  const text = CANON.replace(
    '<domaincheckpoint>',
    '<?xml version="1.0" encoding="ISO-8859-1"?>\n<domaincheckpoint>',
  ).replace('only vdb', 'caf\u00e9');
  const latin1 = Buffer.from(text, 'latin1');
  await openApp(page);
  await open(page, 'latin1.xml', latin1);
  await expect(page.getByText('Schema (xmllint): valid')).toBeVisible();
  await expect(page.getByText('libvirt: would refuse it')).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('Input is not proper UTF-8');
  const [asIs] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export as it is' }).click(),
  ]);
  expect(Buffer.compare(await bytes(asIs), latin1)).toBe(0);
});
