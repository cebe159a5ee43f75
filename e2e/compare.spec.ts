import AxeBuilder from '@axe-core/playwright';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, projectRoot, test, tree, validated } from './fixtures.ts';

// c1 … c4 of VM web01 and its definition, as libvirt made them (test/fixtures/compare/generate.ts):
// vdb added at c2 with more memory, vCPUs, a newer machine and another network; vdb moved to a raw
// image and the CD-ROM to SCSI at c3; vdb removed at c4.
const FIXTURES = join(projectRoot, 'test', 'fixtures', 'compare');

/** A virtnbdbackup folder: checkpoints/, the VM's definition, and the backup's data and log. */
function backupFolder(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'backup-'));
  mkdirSync(join(dir, 'checkpoints'));
  for (const n of [1, 2, 3, 4])
    copyFileSync(join(FIXTURES, `c${n}.xml`), join(dir, 'checkpoints', `c${n}.xml`));
  copyFileSync(
    join(FIXTURES, 'vmconfig.virtnbdbackup.3.xml'),
    join(dir, 'vmconfig.virtnbdbackup.3.xml'),
  );
  writeFileSync(join(dir, 'vda.full.data'), 'not xml');
  writeFileSync(join(dir, 'backup.full.log'), 'done');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const item = (page: Page, name: string) => tree(page).getByRole('treeitem', { name, exact: true });
const dialog = (page: Page) => page.getByRole('dialog', { name: 'Compare' });
const differences = (page: Page) => dialog(page).getByRole('table', { name: 'Differences' });
/** The rows of the Differences table for a field, in libvirt's words. */
const differenceRow = (page: Page, field: string) =>
  differences(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: field, exact: true }) });
/** A field's values: the left side's (the older), then the right side's (the newer). */
const values = (page: Page, field: string) =>
  differenceRow(page, field).locator('td.before, td.after');
/** The CLI's `diff OLDER NEWER`, as an operator runs it. */
const cliDiff = (older: string, newer: string) =>
  spawnSync(
    process.execPath,
    [join(projectRoot, 'bin', 'checkpoint-editor.mjs'), 'diff', older, newer],
    { encoding: 'utf8' },
  ).stdout;

async function openBackup(page: Page, dir: string) {
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(dir);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(4);
  await validated(page);
}

test('Compare reads forwards: the older on the left (removed), the newer on the right (added), as the Chain tab and diff do', async ({
  page,
}) => {
  const folder = backupFolder();
  try {
    await openBackup(page, folder.dir);
    await item(page, 'c2').click();
    const button = page.getByRole('button', { name: 'Compare with…' });
    await button.click();
    await expect(dialog(page)).toBeVisible();
    // Its parent by default; the other checkpoints by name, not itself.
    const combobox = dialog(page).getByRole('combobox', { name: 'Compare with' });
    await expect(combobox).toBeFocused();
    await expect(combobox.locator('option:checked')).toHaveText('c1');
    await expect(combobox.getByRole('option')).toHaveText([
      'c1',
      'c3',
      'c4',
      'vmconfig.virtnbdbackup.3.xml',
    ]);
    await expect(dialog(page).getByRole('status')).toHaveText('10 differences.');
    // c1, the parent, first: every value reads from the older to the newer.
    await expect(differences(page).getByRole('columnheader')).toHaveText(['Field', 'c1', 'c2']);
    await expect(dialog(page)).toContainText('c2 was created 1 day 2 h 5 min later than c1.');
    await expect(values(page, 'parent')).toHaveText(['—none', 'c1']);
    await expect(values(page, 'memory')).toHaveText(['4 GiB', '8 GiB']);
    await expect(values(page, 'vcpu')).toHaveText(['2', '4']);
    await expect(values(page, 'machine')).toHaveText(['pc-q35-7.2', 'pc-q35-8.0']);
    await expect(differenceRow(page, 'creationTime')).toHaveCount(1);
    await expect(differenceRow(page, 'disk vdb')).toHaveCount(2);
    // Removed on the left, added on the right: the colours of the text diff below.
    const [removed, added] = await values(page, 'memory').evaluateAll((cells) =>
      cells.map((c) => getComputedStyle(c).backgroundColor),
    );
    const colour = (name: string) =>
      page.evaluate((n) => {
        const probe = document.createElement('span');
        probe.style.background = `var(${n})`;
        document.body.append(probe);
        const c = getComputedStyle(probe).backgroundColor;
        probe.remove();
        return c;
      }, name);
    expect(removed).toBe(await colour('--diff-removed'));
    expect(added).toBe(await colour('--diff-added'));
    // What it means for backups, without turning anything round.
    await expect(dialog(page)).toContainText(
      'vdb has a bitmap in c2 and none in c1: an incremental backup of vdb since c1 is impossible.',
    );
    await expect(dialog(page).getByRole('button', { name: 'Swap' })).toHaveCount(0);
    // The CLI's diff c1 c2 says the same, the same way round.
    const cli = cliDiff(
      join(folder.dir, 'checkpoints', 'c1.xml'),
      join(folder.dir, 'checkpoints', 'c2.xml'),
    );
    expect(cli).toContain('  memory: 4 GiB → 8 GiB');
    expect(cli).toContain('  vcpu: 2 → 4');
    expect(cli).toContain(
      'note: vdb has a bitmap in c2 and none in c1: an incremental backup of vdb since c1 is impossible',
    );
    // And the Chain tab's list of the VM's changes: 'memory 4→8 GiB' at c2.
    await expect(item(page, 'c2')).toHaveAccessibleDescription(
      /VM changed since c1: memory 4→8 GiB/,
    );
    // The two texts, read-only, the older on the left, their differences marked.
    const a = dialog(page).locator('.cm-merge-a').getByRole('textbox', { name: 'XML of c1' });
    const b = dialog(page).locator('.cm-merge-b').getByRole('textbox', { name: 'XML of c2' });
    await expect(a).toBeVisible();
    await expect(b).toBeVisible();
    await expect(a).toHaveAttribute('aria-readonly', 'true');
    await expect(dialog(page).locator('.cm-merge-a .cm-changedLine').first()).toBeVisible();
    await expect(dialog(page).locator('.cm-merge-b .cm-changedLine').first()).toBeVisible();
    const text = await a.textContent();
    await a.click();
    await page.keyboard.type('x');
    expect(await a.textContent()).toBe(text);
    // A child compared with c2 (c2 is its ancestor): c2 still on the left; a part column for
    // the fields that have parts.
    await combobox.selectOption({ label: 'c4' });
    await expect(differences(page).getByRole('columnheader')).toHaveText([
      'Field',
      'Part',
      'c2',
      'c4',
    ]);
    await expect(values(page, 'disk sda')).toHaveText(['sata', 'scsi']);
    await expect(differenceRow(page, 'disk sda').locator('td.aspect')).toHaveText('bus');
    // 8 GiB at c2 and at c4.
    await expect(differenceRow(page, 'memory')).toHaveCount(0);
    await dialog(page).getByRole('button', { name: 'Close' }).click();
    await expect(dialog(page)).toHaveCount(0);
    await expect(button).toBeFocused();
  } finally {
    folder.remove();
  }
});

test('Alt+C on a child: its parent on the left, and what the child stops keeping said too', async ({
  page,
}) => {
  const folder = backupFolder();
  try {
    await openBackup(page, folder.dir);
    await item(page, 'c3').click();
    await page.keyboard.press('Alt+c');
    await expect(differences(page).getByRole('columnheader')).toHaveText([
      'Field',
      'Part',
      'c2',
      'c3',
    ]);
    await expect(values(page, 'name')).toHaveText(['c2', 'c3']);
    // c2 keeps a bitmap on vdb, c3 none: no incremental backup of vdb since c3.
    await expect(dialog(page)).toContainText(
      'vdb has a bitmap in c2 and none in c3: an incremental backup of vdb since c3 is impossible.',
    );
    await expect(dialog(page)).toContainText('c3 was created 1 h later than c2.');
  } finally {
    folder.remove();
  }
});

test('from the tree by keyboard: Alt+C compares the focused checkpoint with its parent; Escape comes back', async ({
  page,
}) => {
  const folder = backupFolder();
  try {
    await openBackup(page, folder.dir);
    await item(page, 'c1').click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(item(page, 'c3')).toBeFocused();
    await expect(tree(page)).toHaveAttribute('aria-keyshortcuts', 'Alt+C');
    await page.keyboard.press('Alt+c');
    await expect(dialog(page)).toBeVisible();
    const combobox = dialog(page).getByRole('combobox', { name: 'Compare with' });
    await expect(combobox).toBeFocused();
    await expect(combobox.locator('option:checked')).toHaveText('c2');
    await expect(differenceRow(page, 'disk vdb').locator('td.aspect')).toHaveText([
      'checkpoint',
      'source',
      'format',
    ]);
    await expect(differences(page)).toContainText('web01-data.raw');
    const axe = await new AxeBuilder({ page }).include('dialog').analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual(
      [],
    );
    await page.keyboard.press('Escape');
    await expect(dialog(page)).toHaveCount(0);
    await expect(item(page, 'c3')).toBeFocused();
  } finally {
    folder.remove();
  }
});

test('changes along the chain: marked in the tree (its description) and the Bitmaps table, listed in the Chain tab', async ({
  page,
}) => {
  const folder = backupFolder();
  try {
    await openBackup(page, folder.dir);
    await expect(item(page, 'c2')).toHaveAccessibleDescription(
      /VM changed since c1: memory 4→8 GiB, currentMemory 4→8 GiB, vcpu 2→4, machine pc-q35-7\.2→pc-q35-8\.0, vdb added, other <domain> settings changed\. vdb has no bitmap before c2: an incremental backup of vdb since c1 or an older checkpoint is impossible/,
    );
    await expect(item(page, 'c3')).toHaveAccessibleDescription(
      /VM changed since c2: vdb source web01-data\.qcow2→web01-data\.raw, vdb qcow2→raw, sda bus sata→scsi/,
    );
    await expect(item(page, 'c4')).toHaveAccessibleDescription(/VM changed since c3: vdb removed/);
    await expect(item(page, 'c1')).not.toHaveAccessibleDescription(/VM changed/);
    // On hover: the mark's tooltip says it.
    const mark = item(page, 'c4').locator('.vm-change');
    await expect(mark).toHaveText('VM Δ');
    await expect(mark).toHaveAttribute('title', 'VM changed since c3: vdb removed');
    await expect(item(page, 'c1').locator('.vm-change')).toHaveCount(0);

    await page.getByRole('tab', { name: 'Bitmaps' }).click();
    const c2 = page.getByRole('table', { name: 'Bitmaps' }).getByRole('rowheader', { name: /^c2/ });
    await expect(c2).toContainText('VM changed since c1');
    await expect(c2.locator('.vm-change')).toBeVisible();

    await page.getByRole('tab', { name: /^Chain/ }).click();
    const card = page.getByRole('region', { name: /^VM changes along the chain/ });
    const list = card.getByRole('listitem');
    await expect(list).toHaveCount(3);
    await expect(list.nth(0)).toContainText(/c2\s*since c1/);
    await expect(list.nth(0)).toContainText('memory 4→8 GiB');
    await expect(list.nth(0)).toContainText(
      'vdb has no bitmap before c2: an incremental backup of vdb since c1 or an older checkpoint is impossible.',
    );
    await expect(list.nth(2)).toContainText('vdb removed');
    await card.getByRole('button', { name: 'Compare c4 with c3' }).click();
    await expect(dialog(page)).toBeVisible();
    await expect(differenceRow(page, 'disk vdb')).toHaveCount(2);
  } finally {
    folder.remove();
  }
});

test('a whole backup folder: the VM definition listed apart and made the target VM, the rest skipped; a checkpoint compared with it', async ({
  page,
}) => {
  const folder = backupFolder();
  try {
    await openBackup(page, folder.dir);
    // Four checkpoints in the tree, no failed file for the definition.
    await expect(item(page, 'vmconfig.virtnbdbackup.3.xml')).toHaveCount(0);
    const definitions = page.getByRole('region', { name: /^VM definitions/ });
    await expect(definitions).toContainText('vmconfig.virtnbdbackup.3.xml');
    await expect(definitions).toContainText('web01 · vda, sda');
    await expect(definitions).toContainText('target VM (newest in the folder)');
    const skipped = page.getByRole('region', { name: 'Skipped 2 files' });
    await skipped.getByRole('button', { name: '1 log' }).click();
    await skipped.getByRole('button', { name: '1 data file' }).click();
    await expect(skipped).toContainText('backup.full.log: not an .xml or .json file');
    await expect(skipped).toContainText('vda.full.data: not an .xml or .json file');
    await page.getByRole('tab', { name: /^Chain/ }).click();
    await expect(page.getByRole('region', { name: 'Target VM' })).toContainText(
      'vmconfig.virtnbdbackup.3.xml',
    );
    // c2 still has vdb, which the VM no longer has: checked against the target.
    await expect(item(page, 'c2')).toHaveAccessibleDescription(/error/);

    await item(page, 'c1').click();
    await definitions
      .getByRole('button', {
        name: 'Compare the selected checkpoint with vmconfig.virtnbdbackup.3.xml',
      })
      .click();
    const combobox = dialog(page).getByRole('combobox', { name: 'Compare with' });
    await expect(combobox.locator('option:checked')).toHaveText('vmconfig.virtnbdbackup.3.xml');
    await expect(dialog(page).getByRole('status')).toHaveText(
      "8 differences between the checkpoint's <domain> and the VM definition.",
    );
    await expect(values(page, 'memory')).toHaveText(['4 GiB', '8 GiB']);
    await expect(values(page, 'devices/interface[52:54:00:12:34:56]/source@network')).toHaveText([
      'default',
      'backup',
    ]);
    await expect(dialog(page).getByRole('textbox', { name: 'XML of c1' })).toContainText(
      "<domain type='test'>",
    );
    // The last checkpoint holds the VM as it is now.
    await dialog(page).getByRole('button', { name: 'Close' }).click();
    await item(page, 'c4').click();
    await page.getByRole('button', { name: 'Compare with…' }).click();
    await combobox.selectOption({ label: 'vmconfig.virtnbdbackup.3.xml' });
    await expect(dialog(page).getByRole('status')).toHaveText(
      "Equivalent after libvirt's formatting: the same VM definition.",
    );
  } finally {
    folder.remove();
  }
});

test('what it was compared with is undone away: the combobox asks again instead of naming another', async ({
  page,
}) => {
  const folder = backupFolder();
  try {
    await openBackup(page, folder.dir);
    // c5 pasted after the folder: one step of undo of its own.
    const c5 = readFileSync(join(FIXTURES, 'c4.xml'), 'utf8')
      .replace('<name>c4</name>', '<name>c5</name>')
      .replace('<name>c3</name>', '<name>c4</name>')
      .replace("bitmap='c4'", "bitmap='c5'");
    await page.getByRole('button', { name: 'Paste XML' }).click();
    const paste = page.getByRole('dialog', { name: 'Paste checkpoint XML' });
    await paste.getByRole('textbox', { name: 'Checkpoint XML to open' }).fill(c5);
    await paste.getByRole('button', { name: 'Open' }).click();
    await expect(item(page, 'c5')).toBeVisible();
    await item(page, 'c4').click();
    await page.getByRole('button', { name: 'Compare with…' }).click();
    const combobox = dialog(page).getByRole('combobox', { name: 'Compare with' });
    await combobox.selectOption({ label: 'c5' });
    await expect(values(page, 'name')).toHaveText(['c4', 'c5']);
    // The undo reaches the page from inside the dialog: c5 is gone, c4 stays compared.
    await page.keyboard.press('Control+z');
    await expect(item(page, 'c5')).toHaveCount(0);
    await expect(dialog(page)).toBeVisible();
    await expect(combobox.locator('option:checked')).toHaveText('Choose…');
    await expect(dialog(page).getByRole('status')).toHaveText('Choose what to compare it with.');
    await combobox.selectOption({ label: 'c3' });
    // c3, older, on the left.
    await expect(values(page, 'parent')).toHaveText(['c2', 'c3']);
  } finally {
    folder.remove();
  }
});
