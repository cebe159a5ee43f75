import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import type { ForestEntry } from '../src/core/index.ts';
import {
  buildForest,
  compareNatural,
  formatCheckpoint,
  parseCheckpoint,
  redefineScript,
} from '../src/core/index.ts';
import type { GeneratedCheckpoint } from '../src/samples/index.ts';
import { checkpointChain, runningGuestCheckpoint } from '../src/samples/index.ts';
import { writeCheckpoints } from './checkpoint-files.ts';
import {
  conformancePath,
  expect,
  openApp,
  pastTypeAhead,
  test,
  tree,
  validated,
  validation,
  xmlSource,
} from './fixtures.ts';

const FORK = conformancePath('oracle', 'tree-fork', 'files');
const UUID = '4b6f8a3e-2d1c-4e5f-9a7b-3c2d1e0f9a8b';

/** A folder of generated checkpoints in a temporary directory, removed after the test. */
function folderOf(files: readonly GeneratedCheckpoint[]): { dir: string; remove: () => void } {
  const dir = writeCheckpoints(mkdtempSync(join(tmpdir(), 'checkpoints-')), files);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const item = (page: Page, name: string) => tree(page).getByRole('treeitem', { name, exact: true });

async function openFolder(page: Page, dir: string, count: number): Promise<void> {
  await page.getByLabel('Open folder').setInputFiles(dir);
  // The open shows its progress only once it has begun: wait for the count of all the files (a
  // large folder on a busy machine takes a while), then for the open to end.
  await expect(page.getByRole('heading', { name: /^Checkpoints/ })).toContainText(
    count.toLocaleString('en'),
    { timeout: 45_000 },
  );
  await expect(page.getByRole('progressbar')).toHaveCount(0);
}

async function saved(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A chain with a fork after .1 whose children sort .2 before .10, as an operator reads them. */
function forkedChain(): GeneratedCheckpoint[] {
  const t = 1709251200;
  const make = (n: number, parent: number | undefined): GeneratedCheckpoint => {
    const name = `virtnbdbackup.${n}`;
    const p = parent === undefined ? undefined : `virtnbdbackup.${parent}`;
    return {
      name,
      ...(p ? { parent: p } : {}),
      fileName: `${name}.xml`,
      contents: runningGuestCheckpoint(name, p, t + n * 3600, 'web01', UUID),
    };
  };
  return [make(0, undefined), make(1, 0), make(2, 1), make(3, 2), make(10, 1), make(11, 10)];
}

test('a branching chain is a tree: each checkpoint under its parent, at its level', async ({
  page,
}) => {
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(FORK);
  const items = tree(page).getByRole('treeitem');
  await expect(items).toHaveCount(5);
  // Depth first, children in natural order; the roots are siblings of each other.
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual([
    'base',
    'left',
    'left-child',
    'right',
    'lone',
  ]);
  const expected: [string, number, number, number, boolean | undefined][] = [
    ['base', 1, 1, 2, true],
    ['left', 2, 1, 2, true],
    ['left-child', 3, 1, 1, undefined],
    ['right', 2, 2, 2, undefined],
    ['lone', 1, 2, 2, undefined],
  ];
  for (const [name, level, posinset, setsize, expanded] of expected) {
    const row = item(page, name);
    await expect(row).toHaveAttribute('aria-level', String(level));
    await expect(row).toHaveAttribute('aria-posinset', String(posinset));
    await expect(row).toHaveAttribute('aria-setsize', String(setsize));
    if (expanded === undefined) await expect(row).not.toHaveAttribute('aria-expanded');
    else await expect(row).toHaveAttribute('aria-expanded', String(expanded));
  }
  // Each row shows its creation time and its bitmaps.
  await expect(item(page, 'left')).toContainText('2024-04-01 19:35');
  await expect(item(page, 'left').locator('.bitmap-chip')).toHaveText(['vda']);
});

test('the tree by keyboard: arrows, folding, Home and End, type-ahead', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(FORK);
  await item(page, 'base').click();
  await expect(item(page, 'base')).toBeFocused();
  await expect(item(page, 'base')).toHaveAttribute('tabindex', '0');
  // Right on an open row enters its first child; Left goes back to the parent.
  await page.keyboard.press('ArrowRight');
  await expect(item(page, 'left')).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(item(page, 'left-child')).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(item(page, 'left')).toBeFocused();
  // Left on an open row folds it; Right unfolds it.
  await page.keyboard.press('ArrowLeft');
  await expect(item(page, 'left')).toHaveAttribute('aria-expanded', 'false');
  await expect(item(page, 'left-child')).toHaveCount(0);
  await page.keyboard.press('ArrowDown');
  await expect(item(page, 'right')).toBeFocused();
  // One tab stop: the row the focus left gives its own up.
  const tree = page.getByRole('tree', { name: 'Checkpoints' });
  await expect(tree.locator('[role="treeitem"][tabindex="0"]')).toHaveCount(1);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight');
  await expect(item(page, 'left-child')).toBeVisible();
  await page.keyboard.press('End');
  await expect(item(page, 'lone')).toBeFocused();
  await expect(item(page, 'lone')).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(item(page, 'base')).toBeFocused();
  // Typing a name goes to it; the editor follows the focus.
  await page.keyboard.type('ri');
  await expect(item(page, 'right')).toBeFocused();
  await expect(page.getByRole('heading', { name: 'right', exact: true })).toBeVisible();
  await pastTypeAhead(page);
  await page.keyboard.type('l');
  await expect(item(page, 'lone')).toBeFocused();
  // From another view, Enter opens the focused checkpoint in the editor.
  await page.getByRole('tab', { name: 'Bitmaps' }).click();
  await item(page, 'left').click();
  await expect(page.getByRole('tab', { name: 'Bitmaps' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Checkpoint' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByRole('heading', { name: 'left', exact: true })).toBeVisible();
});

test('roots, leaves and a search show flat lists of what matches', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(FORK);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(5);
  const names = () =>
    tree(page)
      .getByRole('treeitem')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  await page.getByRole('radio', { name: 'Roots' }).check();
  await expect.poll(names).toEqual(['base', 'lone']);
  await expect(item(page, 'lone')).toHaveAttribute('aria-level', '1');
  await expect(item(page, 'lone')).toHaveAttribute('aria-posinset', '2');
  await page.getByRole('radio', { name: 'Leaves' }).check();
  await expect.poll(names).toEqual(['left-child', 'right', 'lone']);
  await expect(page.getByRole('status').filter({ hasText: '3 of 5 checkpoints' })).toBeVisible();
  await page.getByRole('radio', { name: 'All', exact: true }).check();
  await page.getByRole('searchbox', { name: 'Search checkpoints by name' }).fill('LEFT');
  await expect.poll(names).toEqual(['left', 'left-child']);
});

test('children in natural order; the redefine script lists parents first', async ({ page }) => {
  const files = forkedChain();
  const folder = folderOf(files);
  try {
    await openApp(page);
    await openFolder(page, folder.dir, files.length);
    const names = await tree(page)
      .getByRole('treeitem')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    // .2 before .10, as an operator reads them (text order would put .10 first).
    expect(names).toEqual([
      'virtnbdbackup.0',
      'virtnbdbackup.1',
      'virtnbdbackup.2',
      'virtnbdbackup.3',
      'virtnbdbackup.10',
      'virtnbdbackup.11',
    ]);
    await expect(item(page, 'virtnbdbackup.11')).toHaveAttribute('aria-level', '4');

    await page.getByRole('tab', { name: /^Chain/ }).click();
    await page.getByRole('button', { name: 'Redefine script' }).click();
    const script = page.getByRole('region', { name: 'Redefine script' });
    const lines =
      (await script.getByLabel('Redefine script text').textContent())?.split('\n') ?? [];
    // Each root with all below it, parents first: .2 and .3 before the branch at .10.
    const commands = lines.filter((l) => /^act \d+ redefine /.test(l));
    expect(commands).toEqual(
      ['0', '1', '2', '3', '10', '11'].map(
        (n, i) => `act ${i + 1} redefine virtnbdbackup.${n} virtnbdbackup.${n}.xml`,
      ),
    );
    // A dry run unless --apply, and how to run it.
    await expect(script).toContainText('sh redefine-web01.sh [-c URI] [--apply]');
    await expect(script).toContainText('Without --apply it is a dry run');
    expect(lines).toContain('DOMAIN=web01');
    await expect(script).toContainText('Nothing is left out');
    // With the option, and downloaded: exactly what the core writes for these files.
    await page.getByRole('checkbox', { name: 'Add --redefine-validate' }).check();
    await expect(script).toContainText('--redefine --redefine-validate');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      script.getByRole('button', { name: /^Download/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('redefine-web01.sh');
    const entries: ForestEntry[] = files.map((f) => {
      const parsed = parseCheckpoint(f.contents);
      if (!parsed.ok) throw new Error(f.fileName);
      return { file: f.fileName, checkpoint: parsed.value };
    });
    const forest = buildForest(entries, { compare: compareNatural });
    expect((await saved(download)).toString('utf8')).toBe(
      redefineScript(forest, { validate: true }),
    );
  } finally {
    folder.remove();
  }
});

test('a missing parent is a chain problem, with its file and line', async ({ page }) => {
  const files = checkpointChain({ count: 6 }).filter((f) => f.name !== 'virtnbdbackup.3');
  const folder = folderOf(files);
  try {
    await openApp(page);
    await openFolder(page, folder.dir, 5);
    // The orphan becomes a root.
    await expect(item(page, 'virtnbdbackup.4')).toHaveAttribute('aria-level', '1');
    const message = 'parent virtnbdbackup.3 for moment virtnbdbackup.4 not found';
    await expect(validation(page)).toContainText(message);
    await page.getByRole('tab', { name: /^Chain/ }).click();
    const problems = page.getByRole('region', { name: /^Chain problems/ });
    const problem = problems.getByRole('button', { name: /virtnbdbackup\.4\.xml:3/ });
    await expect(problem).toContainText(message);
    await expect(problem).toContainText('parent-missing');
    // Choosing it opens the file in the editor at that line.
    await problem.click();
    await expect(page.getByRole('tab', { name: 'Checkpoint' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(item(page, 'virtnbdbackup.4')).toHaveAttribute('aria-selected', 'true');
    await expect(xmlSource(page).locator('.cm-activeLine')).toHaveText('  <parent>');
  } finally {
    folder.remove();
  }
});

test('Export all: a zip of every checkpoint, byte for byte as the core formats it', async ({
  page,
}) => {
  const files = [...forkedChain()];
  const folder = folderOf(files);
  try {
    await openApp(page);
    await openFolder(page, folder.dir, files.length);
    await page
      .getByLabel('Open checkpoint files')
      .setInputFiles(readdirSync(FORK).map((f) => join(FORK, f)));
    await expect(tree(page).getByRole('treeitem')).toHaveCount(files.length + 5);
    await page.getByRole('tab', { name: /^Chain/ }).click();
    // What the zip will hold is shown first; the zip is written once it is confirmed.
    await page.getByRole('button', { name: 'Export all' }).click();
    const review = page.getByRole('dialog', { name: 'Export all: what the zip will hold' });
    await expect(review).toBeVisible();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      review.getByRole('button', { name: 'Download zip' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('web01-checkpoints.zip');
    const zip = unzipSync(new Uint8Array(await saved(download)));
    const inputs = new Map<string, string>([
      ...files.map((f): [string, string] => [f.fileName, f.contents]),
      ...readdirSync(FORK).map((f): [string, string] => [f, readFileSync(join(FORK, f), 'utf8')]),
    ]);
    // Every file, and the redefine script beside them.
    expect(Object.keys(zip).sort()).toEqual([...inputs.keys(), 'redefine-web01.sh'].sort());
    for (const [fileName, text] of inputs) {
      const parsed = parseCheckpoint(text);
      if (!parsed.ok) throw new Error(fileName);
      expect(strFromU8(zip[fileName] as Uint8Array), fileName).toBe(
        formatCheckpoint(parsed.value, { securityInfo: true, size: true }),
      );
    }
    await expect(page.getByRole('status').filter({ hasText: 'Saved 11 files' })).toBeVisible();
  } finally {
    folder.remove();
  }
});

test('the bitmaps of every checkpoint on every disk, in tree order', async ({ page }) => {
  const files = forkedChain();
  const folder = folderOf(files);
  try {
    await openApp(page);
    await openFolder(page, folder.dir, files.length);
    await page.getByRole('tab', { name: 'Bitmaps' }).click();
    const table = page.getByRole('table', { name: 'Bitmaps' });
    await expect(table.getByRole('columnheader')).toHaveText([
      'Checkpoint',
      'vda',
      'vdb',
      'vdc',
      'sda',
    ]);
    const rows = table.getByRole('row');
    await expect(rows).toHaveCount(files.length + 1);
    await expect(rows.nth(1)).toHaveText(
      /virtnbdbackup\.0\s*virtnbdbackup\.0\s*virtnbdbackup\.0\s*no\s*no/,
    );
    await expect(rows.nth(5).getByRole('rowheader')).toHaveText('virtnbdbackup.10');
    // Choosing a checkpoint opens it in the editor.
    await rows.nth(5).getByRole('button', { name: 'virtnbdbackup.10' }).click();
    await expect(
      page.getByRole('heading', { name: 'virtnbdbackup.10', exact: true }),
    ).toBeVisible();
  } finally {
    folder.remove();
  }
});

test('a target VM: every checkpoint is checked against its uuid and its disks', async ({
  page,
}) => {
  const files = checkpointChain({ count: 3 });
  const folder = folderOf(files);
  try {
    await openApp(page);
    await openFolder(page, folder.dir, 3);
    await validated(page);
    await expect(validation(page)).toContainText('0 errors');
    await page.getByRole('tab', { name: /^Chain/ }).click();
    // Another VM (other uuid), where the data disk vdb has given way to vdd.
    const other = '00000000-1111-4222-8333-444444444444';
    await page.getByLabel('Target VM definition').setInputFiles({
      name: 'web01-now.xml',
      mimeType: 'text/xml',
      buffer: Buffer.from(`<domain type='kvm'>
  <name>web01</name>
  <uuid>${other}</uuid>
  <devices>
    <disk type='file' device='disk'><source file='/var/lib/libvirt/images/web01-system.qcow2'/><target dev='vda'/></disk>
    <disk type='file' device='disk'><source file='/var/lib/libvirt/images/web01-scratch.img'/><target dev='vdc'/></disk>
    <disk type='block' device='disk'><source dev='/dev/vg_web01/new'/><target dev='vdd'/></disk>
    <disk type='file' device='cdrom'><target dev='sda'/><readonly/></disk>
  </devices>
</domain>
`),
    });
    const target = page.getByRole('region', { name: 'Target VM' });
    await expect(target).toContainText(other);
    await expect(validation(page)).toContainText(
      `definition for checkpoint virtnbdbackup.1 must use uuid ${other}`,
    );
    await expect(validation(page)).toContainText("target VM web01: no disk named 'vdb'");
    await expect(validation(page)).toContainText('6 errors');
    await target.getByRole('button', { name: 'Clear' }).click();
    await expect(validation(page)).toContainText('0 errors');
  } finally {
    folder.remove();
  }
});

test('a definition that is not a <domain> is refused, saying why', async ({ page }) => {
  await openApp(page);
  await page.getByRole('tab', { name: /^Chain/ }).click();
  await page.getByLabel('Target VM definition').setInputFiles(join(FORK, 'base.xml'));
  await expect(page.getByRole('alert')).toContainText(
    "base.xml: line 1: expecting root element of 'domain', not 'domaincheckpoint'",
  );
});

test('the graph shows the neighbourhood; choosing a node moves to it', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(FORK);
  await item(page, 'left').click();
  await page.getByRole('tab', { name: 'Graph' }).click();
  const graph = page.getByRole('region', { name: 'Neighbourhood' });
  // Its parent, itself and its sibling, and its child.
  for (const name of ['base', 'left', 'right', 'left-child']) {
    await expect(graph.getByRole('button', { name: new RegExp(`^${name},`) })).toBeVisible();
  }
  await expect(graph.getByRole('button', { name: /^left,/ })).toHaveAttribute(
    'aria-current',
    'true',
  );
  await graph.getByRole('button', { name: /^left-child,/ }).click();
  await expect(item(page, 'left-child')).toHaveAttribute('aria-selected', 'true');
  // The focus left the tree on the row it held: the tree's one tab stop is the new selection.
  const tree = page.getByRole('tree', { name: 'Checkpoints' });
  await expect(tree.locator('[role="treeitem"][tabindex="0"]')).toHaveCount(1);
  await expect(item(page, 'left-child')).toHaveAttribute('tabindex', '0');
  await expect(graph.getByRole('button', { name: /^left-child,/ })).toHaveAttribute(
    'aria-current',
    'true',
  );
  await graph.getByRole('button', { name: 'Open in editor' }).click();
  await expect(page.getByRole('heading', { name: 'left-child', exact: true })).toBeVisible();
});

test('a long chain: only rows in view are in the page, and focus survives scrolling', async ({
  page,
}) => {
  const files = checkpointChain({ count: 2000, branchEvery: 37 });
  const folder = folderOf(files);
  try {
    await openApp(page);
    await openFolder(page, folder.dir, 2000);
    const rendered = await tree(page).getByRole('treeitem').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(100);
    await item(page, 'virtnbdbackup.0').click();
    await page.keyboard.press('End');
    const last = tree(page).getByRole('treeitem', { selected: true });
    await expect(last).toBeFocused();
    const name = await last.getAttribute('aria-label');
    expect(name).toMatch(/^virtnbdbackup\.\d+$/);
    // Scrolled far away, the focused row stays in the page and keeps the focus.
    await tree(page).evaluate((el) => (el.scrollTop = 0));
    await expect(item(page, 'virtnbdbackup.0')).toBeVisible();
    await expect(item(page, name as string)).toBeFocused();
    await page.keyboard.press('ArrowUp');
    const above = tree(page).getByRole('treeitem', { selected: true });
    await expect(above).toBeFocused();
    expect(await above.getAttribute('aria-label')).not.toBe(name);
  } finally {
    folder.remove();
  }
});
