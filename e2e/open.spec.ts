import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  conformancePath,
  expect,
  openApp,
  projectRoot,
  test,
  tree,
  validated,
  validation,
  xmlSource,
} from './fixtures.ts';

const INVALID = conformancePath('libvirt-tests', 'out', 'internal-active-invalid.xml');
const CHAIN = conformancePath('oracle', 'tree-linear-12', 'files');

test('a newcomer sees the example chain at once', async ({ page }) => {
  await openApp(page);
  const items = tree(page).getByRole('treeitem');
  await expect(items).toHaveCount(3);
  await expect(tree(page).getByRole('treeitem', { name: 'web01-2024-03-03' })).toHaveAttribute(
    'aria-level',
    '3',
  );
  await validated(page);
  await expect(validation(page)).toContainText(
    'All 3 files are valid against libvirt 9.0.0 schemas',
  );
});

test('an invalid file shows the schema error on its line, validated in a worker', async ({
  page,
}) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await openApp(page);
  await page.getByLabel('Open checkpoint files').setInputFiles(INVALID);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(1);
  const item = tree(page).getByRole('treeitem', { name: '1525889631' });
  await expect(item).toHaveAttribute('aria-selected', 'true');
  const problem = validation(page).getByRole('button', { name: /line 52/ });
  await expect(problem).toContainText('active');
  await expect(problem).toContainText('error');
  expect(workers.length, 'schema validation runs in a Web Worker').toBeGreaterThan(0);
  // Choosing the problem takes the source view to its line, marked there.
  await problem.click();
  await expect(xmlSource(page).locator('.cm-activeLine')).toContainText('<active>1</active>');
  await expect(xmlSource(page).locator('.cm-activeLine .cm-lintRange-error')).toContainText(
    'active',
  );
  // Deleting the line in the source validates again as one types: the error goes.
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+End');
  await page.keyboard.press('Delete');
  await expect(validation(page).getByRole('button', { name: /line 52/ })).toHaveCount(0);
  // What stays is libvirt's own refusal: the file's parent is not among the open files.
  await expect(validation(page)).toContainText('1 error');
  await expect(validation(page).getByRole('button', { name: /line 4/ })).toContainText(
    'parent-missing',
  );
});

test('a folder of a 12-checkpoint chain opens whole, as a tree', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(CHAIN);
  const items = tree(page).getByRole('treeitem');
  await expect(items).toHaveCount(12);
  const expected = readFileSync(
    conformancePath('oracle', 'tree-linear-12', 'expected.topological'),
    'utf8',
  )
    .trim()
    .split('\n');
  // Parents before children: the tree reads in libvirt's topological order.
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(
    expected,
  );
  for (const [i, name] of expected.entries()) {
    await expect(tree(page).getByRole('treeitem', { name, exact: true })).toHaveAttribute(
      'aria-level',
      String(i + 1),
    );
  }
  // These files have no <domain>: libvirt 9.0, whose schemas are loaded, redefines them; the
  // strict rules, still to be chosen, refuse them.
  await validated(page);
  await expect(validation(page)).toContainText('All 12 files are valid');
  await expect(page.getByLabel('Redefine rules')).toHaveValue('allow-no-domain');
  await page.getByLabel('Redefine rules').selectOption('strict');
  await expect(validation(page)).toContainText(
    'the redefine flag requires the <domain> sub-element',
  );
});

test('non-XML files in a folder are listed as skipped, not errors', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'checkpoints-'));
  try {
    copyFileSync(join(CHAIN, 'virtnbdbackup.0.xml'), join(dir, 'virtnbdbackup.0.xml'));
    copyFileSync(join(CHAIN, 'virtnbdbackup.1.xml'), join(dir, 'virtnbdbackup.1.xml'));
    writeFileSync(join(dir, 'README.txt'), 'backups of web01\n');
    writeFileSync(join(dir, 'virtnbdbackup.0.data'), 'not xml');
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(dir);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(2);
    const skipped = page.getByRole('region', { name: /Skipped 2 files/ });
    // One line per kind, each listed on request.
    await skipped.getByRole('button', { name: '1 other file' }).click();
    await skipped.getByRole('button', { name: '1 data file' }).click();
    await expect(skipped).toContainText('README.txt: not an .xml or .json file');
    await expect(skipped).toContainText('virtnbdbackup.0.data: not an .xml or .json file');
    await expect(validation(page)).not.toContainText('README');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('files dropped anywhere on the page open', async ({ page }) => {
  await openApp(page);
  const text = readFileSync(INVALID, 'utf8');
  const dataTransfer = await page.evaluateHandle((xml) => {
    const dt = new DataTransfer();
    dt.items.add(new File([xml], 'dropped.xml', { type: 'text/xml' }));
    return dt;
  }, text);
  const target = page.getByRole('region', { name: 'Validation' });
  await target.dispatchEvent('dragenter', { dataTransfer });
  await expect(page.getByText('Drop checkpoint files or folders to open them')).toBeVisible();
  await target.dispatchEvent('drop', { dataTransfer });
  await expect(tree(page).getByRole('treeitem', { name: '1525889631' })).toBeVisible();
  await expect(validation(page)).toContainText('dropped.xml');
});

test('pasted XML opens as a document named after its checkpoint', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Paste XML' }).click();
  const dialog = page.getByRole('dialog', { name: 'Paste checkpoint XML' });
  await dialog
    .getByRole('textbox', { name: 'Checkpoint XML to open' })
    .fill(readFileSync(conformancePath('oracle', 'nodom-minimal', 'input.xml'), 'utf8'));
  await dialog.getByRole('button', { name: 'Open' }).click();
  await expect(dialog).toBeHidden();
  const name = 'm1';
  await expect(tree(page).getByRole('treeitem', { name })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { name, exact: true })).toHaveAttribute(
    'title',
    `${name}.xml`,
  );
});

test('a malformed file names its line, and keeps its text for fixing', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Open checkpoint files').setInputFiles({
    name: 'broken.xml',
    mimeType: 'text/xml',
    buffer: Buffer.from(
      '<domaincheckpoint>\n  <name>x</name>\n  <description>oops\n</domaincheckpoint>\n',
    ),
  });
  await expect(tree(page).getByRole('treeitem', { name: 'broken.xml' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('broken.xml cannot be read as a checkpoint');
  await expect(
    validation(page)
      .getByRole('button', { name: /line \d+/ })
      .first(),
  ).toContainText('Opening and ending tag mismatch: description line 3 and domaincheckpoint');
  await expect(xmlSource(page).getByRole('textbox')).toContainText('<description>oops');
});

test('another schema folder can be loaded for the session', async ({ page }) => {
  await openApp(page);
  await page
    .getByLabel('Load schema folder')
    .setInputFiles(join(projectRoot, 'public', 'schemas', '9.0.0'));
  await expect(page.getByText('schemas from 9.0.0')).toBeVisible();
  await validated(page);
  await expect(validation(page)).toContainText('All 3 files are valid against schemas from 9.0.0');
});

test('a schema folder without schemas is refused, and the set in use stays', async ({ page }) => {
  await openApp(page);
  await page
    .getByLabel('Load schema folder')
    .setInputFiles(conformancePath('oracle', 'nodom-minimal'));
  await expect(page.getByRole('alert')).toContainText('nodom-minimal holds no .rng file');
  await expect(page.getByText(/^libvirt [\d.]+ schemas$/)).toBeVisible();
});
