// Issue 12, the operator's workflow: the redefine plan and its script run for real against
// libvirt's test driver, the rules of the loaded schemas, long chains, duplicates, messages that
// explain, the first visit and the layout.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { checkpointChain, runningGuestCheckpoint } from '../src/samples/index.ts';
import type { GeneratedCheckpoint } from '../src/samples/index.ts';
import { addBitmap, createImage } from '../test/images/qemu-img.ts';
import { writeCheckpoints } from './checkpoint-files.ts';
import {
  conformancePath,
  expect,
  openApp,
  projectRoot,
  test,
  tree,
  validated,
  validation,
} from './fixtures.ts';

const VIRSH = '/usr/bin/virsh';
const NODE = conformancePath('oracle', 'node.xml');
const URI = `test://${NODE}`;
const LINEAR = conformancePath('oracle', 'tree-linear-12', 'files');
const FORK = conformancePath('oracle', 'tree-fork', 'files');
// The test driver's VM in node.xml; the oracle's files have no <domain>, so the script asks for it.
const VM = 'QEMUGuest1';
const FAKE_VIRSH = join(projectRoot, 'test', 'scripts', 'fake-virsh.mjs');

const item = (page: Page, name: string) => tree(page).getByRole('treeitem', { name, exact: true });

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

async function saved(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Call {
  cwd: string;
  args: string[];
}

interface HostRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Every virsh call: the checks, then what changes the VM. */
  calls: Call[];
  /** The checkpoint-create calls, in order. */
  creates: Call[];
  /** The checkpoints the stand-in VM has afterwards. */
  checkpoints: string[];
}

/**
 * Runs a redefine script against the stand-in virsh of test/scripts (fake-virsh.mjs): the VM is
 * shut off, its vda a real qcow2 image made here with the bitmaps `bitmaps` (qemu-img is the real
 * one, and the script reads the image with it); each call is written down with its folder, and
 * `failOn` makes the call naming that file fail, as libvirt refusing it. The test driver forgets
 * its checkpoints between connections, so the recorded redefines are replayed in one real virsh
 * session afterwards (treeAfter).
 */
function runScript(
  script: string,
  args: string[],
  vm: { bitmaps: string[]; checkpoints?: string[]; failOn?: string },
  env: Record<string, string> = {},
): HostRun {
  const bin = tempDir('fake-virsh-');
  try {
    const image = createImage(join(bin, 'vda.qcow2'));
    for (const name of vm.bitmaps) addBitmap(image, name);
    writeFileSync(
      join(bin, 'virsh'),
      `#!/bin/sh\nexec '${process.execPath}' '${FAKE_VIRSH}' "$@"\n`,
    );
    chmodSync(join(bin, 'virsh'), 0o755);
    const state = join(bin, 'vm.json');
    writeFileSync(
      state,
      JSON.stringify({
        name: VM,
        uuid: '',
        state: 'shut off',
        checkpoints: vm.checkpoints ?? [],
        disks: [{ target: 'vda', source: image }],
        ...(vm.failOn !== undefined ? { failOn: vm.failOn } : {}),
        calls: [],
        cwds: [],
      }),
    );
    const run = spawnSync('sh', [script, ...args], {
      // Anywhere but the script's folder: it must find its files itself.
      cwd: tmpdir(),
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        FAKE_VIRSH_STATE: state,
        ...env,
      },
    });
    const after = JSON.parse(readFileSync(state, 'utf8')) as {
      calls: string[][];
      cwds: string[];
      checkpoints: string[];
    };
    const calls = after.calls.map((a, i) => ({ cwd: after.cwds[i] as string, args: a }));
    return {
      status: run.status,
      stdout: run.stdout,
      stderr: run.stderr,
      calls,
      creates: calls.filter((c) => c.args.includes('checkpoint-create')),
      checkpoints: after.checkpoints,
    };
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

/** The commands replayed in one session of the test driver, then what checkpoint-list --tree prints. */
function treeAfter(calls: Call[]): string {
  const commands = calls.map(({ cwd, args }) => {
    const rest = args[0] === '-c' ? args.slice(2) : args;
    return rest
      .map((a, i) => (rest[i - 1] === '--xmlfile' && !isAbsolute(a) ? join(cwd, a) : a))
      .map((a) => (a.startsWith('--') ? a : `'${a}'`))
      .join(' ');
  });
  return virshSession([...commands, `checkpoint-list ${VM} --tree`]);
}

function virshSession(commands: string[]): string {
  const run = spawnSync(VIRSH, ['-c', URI, commands.join('; ')], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  });
  expect(run.stderr).toBe('');
  return run.stdout;
}

/** What checkpoint-list --tree prints after redefining these files in this order. */
function treeOf(files: string[]): string {
  return virshSession([
    ...files.map((f) => `checkpoint-create --domain ${VM} --xmlfile '${f}' --redefine`),
    `checkpoint-list ${VM} --tree`,
  ]);
}

const listedTree = (out: string) => out.replace(/^Domain checkpoint .*\n/gm, '').trimEnd();

test('a folder with a parent missing: an error, and a script of what libvirt takes, run from anywhere', async ({
  page,
}) => {
  const dir = tempDir('broken-chain-');
  try {
    for (const f of readdirSync(LINEAR)) {
      if (f !== 'virtnbdbackup.7.xml') copyFileSync(join(LINEAR, f), join(dir, f));
    }
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(dir);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(11);
    await validated(page);
    // libvirt refuses the redefine of .8 in these words: an error, not a warning.
    const missing = validation(page).getByRole('button', {
      name: /^error line \d+ parent virtnbdbackup\.7 for moment virtnbdbackup\.8 not found/,
    });
    await expect(missing).toContainText('parent-missing');
    await expect(validation(page)).toContainText('“moment” is libvirt’s word for a checkpoint');

    await page.getByRole('tab', { name: /^Chain/ }).click();
    await page.getByRole('button', { name: 'Redefine script' }).click();
    const panel = page.getByRole('region', { name: 'Redefine script' });
    const leftOut = panel.getByRole('list', { name: /Left out of the script: 4 checkpoints/ });
    await expect(leftOut.getByRole('listitem')).toHaveText([
      'virtnbdbackup.8.xml: its parent virtnbdbackup.7 is not among the files',
      'virtnbdbackup.9.xml: below virtnbdbackup.8, which is left out',
      'virtnbdbackup.10.xml: below virtnbdbackup.8, which is left out',
      'virtnbdbackup.11.xml: below virtnbdbackup.8, which is left out',
    ]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download redefine-checkpoints.sh' }).click(),
    ]);
    const script = join(dir, 'redefine-checkpoints.sh');
    writeFileSync(script, await saved(download));

    // The VM's vda keeps the bitmaps of the checkpoints the script redefines, recording.
    const kept = [0, 1, 2, 3, 4, 5, 6].map((n) => `virtnbdbackup.${n}`);
    const bitmaps = [...kept, ...[8, 9, 10, 11].map((n) => `virtnbdbackup.${n}`)];
    // A dry run, from elsewhere, with -c: it checks, says the plan and what it leaves out, redefines nothing.
    const dry = runScript(script, ['-c', URI], { bitmaps }, { DOMAIN: VM });
    expect(dry.stderr).toContain(
      'Left out: virtnbdbackup.8.xml: its parent is not among the files',
    );
    expect(dry.stderr).not.toContain('Check failed');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(
      '[to do] redefine checkpoint virtnbdbackup.0 from virtnbdbackup.0.xml',
    );
    expect(dry.stdout).toContain('Dry run: nothing was changed');
    expect(dry.calls.length).toBeGreaterThan(0);
    expect(dry.creates).toEqual([]);

    // With --apply: .0 to .6, parents first; the four left out said, not run.
    const run = runScript(script, ['-c', URI, '--apply'], { bitmaps }, { DOMAIN: VM });
    expect(run.stderr).toContain(
      'Left out: virtnbdbackup.8.xml: its parent is not among the files',
    );
    expect(run.stderr).toContain(
      'Left out: virtnbdbackup.11.xml: a checkpoint above it is left out',
    );
    expect(run.stderr).not.toContain('Check failed');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Redefined 7 checkpoints.');
    // Every call, the checks too, from the script's folder and on the URI given.
    expect(run.calls.every((c) => c.cwd === dir && c.args[0] === '-c' && c.args[1] === URI)).toBe(
      true,
    );
    const files = kept.map((name) => `${name}.xml`);
    expect(run.creates.map((c) => c.args[c.args.indexOf('--xmlfile') + 1])).toEqual(files);
    expect(run.checkpoints).toEqual(kept);
    expect(listedTree(treeAfter(run.creates))).toBe(
      listedTree(treeOf(files.map((f) => join(LINEAR, f)))),
    );

    // A refusal stops it there, naming the checkpoint; a rerun finishes from there.
    const stopped = runScript(
      script,
      ['--apply'],
      { bitmaps, failOn: 'virtnbdbackup.3.xml' },
      { DOMAIN: VM },
    );
    expect(stopped.status).toBe(1);
    expect(stopped.stderr).toContain(
      'Stopped at checkpoint virtnbdbackup.3 (file virtnbdbackup.3.xml)',
    );
    expect(stopped.creates).toHaveLength(4);
    expect(stopped.creates[0]?.args[0]).toBe('checkpoint-create');
    expect(stopped.checkpoints).toEqual(kept.slice(0, 3));
    const rerun = runScript(
      script,
      ['--apply'],
      { bitmaps, checkpoints: stopped.checkpoints },
      { DOMAIN: VM },
    );
    expect(rerun.status).toBe(0);
    expect(rerun.stdout).toContain('[already done] redefine checkpoint virtnbdbackup.2');
    expect(rerun.creates.map((c) => c.args[c.args.indexOf('--xmlfile') + 1])).toEqual(
      files.slice(3),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Export all: the script beside the files in the zip rebuilds the tree libvirt had', async ({
  page,
}) => {
  const dir = tempDir('unzipped-');
  try {
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(FORK);
    await expect(tree(page).getByRole('treeitem')).toHaveCount(5);
    await validated(page);
    await page.getByRole('tab', { name: /^Chain/ }).click();
    await page.getByRole('button', { name: 'Export all' }).click();
    const review = page.getByRole('dialog', { name: 'Export all: what the zip will hold' });
    await expect(review).toContainText('redefine-checkpoints.sh');
    await expect(review).toContainText('Nothing is left out');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      review.getByRole('button', { name: 'Download zip' }).click(),
    ]);
    const zip = unzipSync(new Uint8Array(await saved(download)));
    for (const [name, bytes] of Object.entries(zip)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    expect(Object.keys(zip).sort()).toEqual(
      [...readdirSync(FORK), 'redefine-checkpoints.sh'].sort(),
    );
    // Without -c, virsh's own default (LIBVIRT_DEFAULT_URI): the script passes no -c.
    const run = runScript(
      join(dir, 'redefine-checkpoints.sh'),
      ['--apply'],
      { bitmaps: ['base', 'left', 'left-child', 'right', 'lone'] },
      { DOMAIN: VM, LIBVIRT_DEFAULT_URI: URI },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls.every((c) => c.args[0] !== '-c' && c.cwd === dir)).toBe(true);
    expect(run.creates).toHaveLength(5);
    expect(listedTree(treeAfter(run.creates))).toBe(
      readFileSync(conformancePath('oracle', 'tree-fork', 'expected.tree'), 'utf8').trimEnd(),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the default rules are the loaded libvirt's; strict stays selectable, problems grouped and filtered, each with help", async ({
  page,
}) => {
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(LINEAR);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(12);
  await validated(page);
  const rules = page.getByRole('combobox', { name: 'Redefine rules' });
  await expect(rules).toHaveValue('allow-no-domain');
  await expect(validation(page)).toContainText('All 12 files are valid');
  await rules.selectOption('strict');
  // Twelve files, one message: said once, its files on request.
  const group = validation(page).getByRole('list', { name: 'Problems several files share' });
  const summary = group.getByText('12 files:');
  await expect(summary).toBeVisible();
  await expect(group).toContainText('the redefine flag requires the <domain> sub-element');
  await summary.click();
  await expect(group.getByRole('button', { name: /virtnbdbackup\.11\.xml/ })).toBeVisible();
  await validation(page).getByRole('radio', { name: 'Warnings' }).check();
  await expect(validation(page)).toContainText('No warnings.');
  await validation(page).getByRole('radio', { name: 'Errors' }).check();
  await group.getByRole('button', { name: 'Help: redefine-no-domain' }).click();
  await expect(page.getByRole('tab', { name: 'Help' })).toHaveAttribute('aria-selected', 'true');
  const entry = page.getByRole('article', { name: /redefine-no-domain/ });
  await expect(entry).toBeFocused();
  await expect(entry).toContainText('Fix');
});

test("a field rule leads with its own line; libxml2's words follow", async ({ page }) => {
  await openApp(page);
  const text = [
    '<domaincheckpoint>',
    '  <name>x</name>',
    '  <creationTime>1712000000</creationTime>',
    '  <disks>',
    "    <disk name='vda' checkpoint='bitmapp'/>",
    '  </disks>',
    '</domaincheckpoint>',
  ].join('\n');
  await page.getByLabel('Open checkpoint files').setInputFiles({
    name: 'x.xml',
    mimeType: 'application/xml',
    buffer: Buffer.from(text),
  });
  await validated(page);
  const rule = validation(page).getByRole('button', {
    name: /checkpoint must be 'bitmap' or 'no'/,
  });
  await expect(rule).toContainText("disk vda: checkpoint must be 'bitmap' or 'no', not 'bitmapp'");
  await expect(rule).toContainText('line 5');
  await expect(validation(page).getByRole('list', { name: 'libxml2 says' })).toContainText(
    'Relax-NG validity error',
  );
});

function chain(count: number, forkAt?: number): GeneratedCheckpoint[] {
  const uuid = '4b6f8a3e-2d1c-4e5f-9a7b-3c2d1e0f9a8b';
  const files = checkpointChain({ count });
  if (forkAt === undefined) return files;
  // A second branch of three from the fork, as after a restore from an older checkpoint.
  for (let i = 0; i < 3; i++) {
    const name = `restored.${i}`;
    const parent = i === 0 ? `virtnbdbackup.${forkAt}` : `restored.${i - 1}`;
    files.push({
      name,
      parent,
      fileName: `${name}.xml`,
      contents: runningGuestCheckpoint(name, parent, 1800000000 + i, 'web01', uuid),
    });
  }
  return files;
}

/** The width of the selected row's graph: one lane more for each fork above it. */
async function selectedLanes(page: Page): Promise<number> {
  const row = tree(page).getByRole('treeitem', { selected: true });
  await expect(row).toBeFocused();
  return Number(await row.locator('svg.graph').getAttribute('width'));
}

test('a 200-checkpoint linear chain stays in one lane; a fork at depth 50 opens one more; aria-level keeps the depth', async ({
  page,
}) => {
  const dir = writeCheckpoints(tempDir('long-chain-'), chain(200, 49));
  try {
    await openApp(page);
    await page.getByLabel('Open folder').setInputFiles(dir);
    await expect(page.getByRole('heading', { name: /^Checkpoints/ })).toContainText('203', {
      timeout: 45_000,
    });
    // The keys below go to the tree once the folder is checked, as an operator's would.
    await validated(page);
    const selected = tree(page).getByRole('treeitem', { selected: true });
    await tree(page).getByRole('treeitem').first().click();
    await page.keyboard.press('Home');
    await expect(selected).toHaveAttribute('aria-label', 'virtnbdbackup.0');
    const one = await selectedLanes(page);
    // Fifty deep, before the fork: the same lane as the root.
    for (let i = 0; i < 49; i++) await page.keyboard.press('ArrowDown');
    await expect(selected).toHaveAttribute('aria-label', 'virtnbdbackup.49');
    await expect(selected).toHaveAttribute('aria-level', '50');
    expect(await selectedLanes(page)).toBe(one);
    // Below the fork, one lane more, however deep: 200 levels read as two lanes.
    await page.keyboard.press('End');
    await expect(selected).toHaveAttribute('aria-label', 'virtnbdbackup.199');
    await expect(selected).toHaveAttribute('aria-level', '200');
    const two = await selectedLanes(page);
    expect(two).toBeGreaterThan(one);
    expect(two).toBeLessThan(one * 3);
    await page.keyboard.press('r');
    await expect(selected).toHaveAttribute('aria-label', 'restored.0');
    await expect(selected).toHaveAttribute('aria-level', '51');
    expect(await selectedLanes(page)).toBe(two);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('duplicates: the file named NAME.xml is kept; the other row shows its file', async ({
  page,
}) => {
  await openApp(page);
  const uuid = '4b6f8a3e-2d1c-4e5f-9a7b-3c2d1e0f9a8b';
  const text = runningGuestCheckpoint('manual.b', undefined, 1712000000, 'web01', uuid);
  await page.getByLabel('Open checkpoint files').setInputFiles([
    { name: 'manual.b copy.xml', mimeType: 'application/xml', buffer: Buffer.from(text) },
    { name: 'manual.b.xml', mimeType: 'application/xml', buffer: Buffer.from(text) },
  ]);
  await expect(item(page, 'manual.b')).toHaveAttribute('title', 'manual.b.xml');
  await expect(item(page, 'manual.b (manual.b copy.xml)')).toBeVisible();
  await validated(page);
  await expect(validation(page)).toContainText(
    'checkpoint manual.b is defined again (kept: manual.b.xml)',
  );
});

test('first visit: the example is labelled and closed in one click; panes resize and hide by keyboard', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openApp(page);
  const note = page.getByRole('region', { name: 'An example' });
  await expect(note).toBeVisible();
  await note.getByRole('button', { name: 'Close the example' }).click();
  await expect(note).toHaveCount(0);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(0);

  await page.getByLabel('Open folder').setInputFiles(LINEAR);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(12);
  const width = page.getByRole('separator', { name: 'Checkpoints width' });
  const before = Number(await width.getAttribute('aria-valuenow'));
  await width.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(width).toHaveAttribute('aria-valuenow', String(before - 16));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('complementary', { name: /Checkpoints/ })).toBeHidden();
  await page.keyboard.press('Enter');
  await expect(tree(page)).toBeVisible();

  const height = page.getByRole('separator', { name: 'Validation height' });
  await height.focus();
  await page.keyboard.press('Enter');
  await expect(height).toHaveAttribute('aria-valuetext', 'hidden');
  await page.keyboard.press('Enter');
  await expect(validation(page)).toContainText('All 12 files are valid');

  // The editor at 1024×700: the creation time whole, to the second, the picker's zone named.
  await item(page, 'virtnbdbackup.3').dblclick();
  const seconds = page.getByRole('textbox', { name: 'Creation time', exact: true });
  await expect(seconds).toHaveValue('1710259200');
  expect(await seconds.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  const picker = page.getByLabel(/^Creation time, date and time in .+, UTC[+-]\d\d:\d\d$/);
  // To the second: Chromium shows the seconds field with step 1 (and drops ":00" from the value).
  await expect(picker).toHaveAttribute('step', '1');
  // Wide enough for a date, a time to the second and the picker's button.
  expect((await picker.boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(200);
});
