import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { expect, openApp, projectRoot, test, tree, validated } from './fixtures.ts';

// web01 (dumped with its <domain>) and db01 (dumped --no-domain), as libvirt's test driver made
// them (test/fixtures/vms/generate.sh); vms-both/: both with <domain>.
const FIXTURES = join(projectRoot, 'test', 'fixtures', 'vms');

const item = (page: Page, name: string) => tree(page).getByRole('treeitem', { name, exact: true });

async function saved(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A host for the fixtures: their VMs' disk images made real (qcow2, with the bitmaps each
 * checkpoint keeps, by qemu-img) in a folder of the test's, the fixtures copied with their image
 * paths there.
 */
function makeHost(): { dir: string; copy: (folder: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vms-host-'));
  mkdirSync(join(dir, 'images'));
  for (const vm of ['web01', 'db01']) {
    const image = join(dir, 'images', `${vm}.qcow2`);
    execFileSync('qemu-img', ['create', '-f', 'qcow2', image, '1M']);
    for (const n of [0, 1, 2]) execFileSync('qemu-img', ['bitmap', '--add', image, `${vm}.${n}`]);
  }
  const here = (text: string) => text.replaceAll('/var/lib/libvirt/images/', `${dir}/images/`);
  const copy = (folder: string) => {
    const to = join(dir, 'fixtures', folder);
    for (const vm of readdirSync(join(FIXTURES, folder))) {
      mkdirSync(join(to, vm), { recursive: true });
      for (const f of readdirSync(join(FIXTURES, folder, vm)))
        writeFileSync(join(to, vm, f), here(readFileSync(join(FIXTURES, folder, vm, f), 'utf8')));
    }
    return to;
  };
  // The VMs as the host has them, shut off (the test driver's runstate 5), for the scripts' checks.
  const domains = ['web01', 'db01'].map((vm) =>
    here(readFileSync(join(FIXTURES, 'domains', `${vm}.xml`), 'utf8'))
      .replace('</domain>', '  <test:runstate>5</test:runstate>\n</domain>')
      .replace(
        "<domain type='test'>",
        "<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>",
      ),
  );
  writeFileSync(join(dir, 'node.xml'), `<node>\n${domains.join('')}</node>\n`);
  for (const vm of ['web01', 'db01'])
    writeFileSync(
      join(dir, `${vm}.xml`),
      here(readFileSync(join(FIXTURES, 'domains', `${vm}.xml`), 'utf8')),
    );
  return { dir, copy, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function openVms(page: Page, folder: string) {
  await openApp(page);
  await page.getByLabel('Open folder').setInputFiles(folder);
  await expect(item(page, 'web01.2')).toBeVisible();
  await validated(page);
}

/** Export all, confirmed: the zip's entries by path. */
async function exportAll(page: Page): Promise<{ name: string; files: Record<string, Uint8Array> }> {
  await page.getByRole('tab', { name: /^Chain/ }).click();
  await page.getByRole('button', { name: 'Export all' }).click();
  const review = page.getByRole('dialog', { name: 'Export all: what the zip will hold' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    review.getByRole('button', { name: 'Download zip' }).click(),
  ]);
  return {
    name: download.suggestedFilename(),
    files: unzipSync(new Uint8Array(await saved(download))),
  };
}

/**
 * Runs each VM's script of the zip as an operator would (`--apply`), against ONE libvirt test
 * driver session (its state lives as long as its connection): `virsh` on the PATH answers the
 * scripts' checks from the host as it stands (the VMs shut off, their images real: a
 * `test:///NODE.xml` connection, qemu-img) and writes down each `checkpoint-create`; then one
 * `virsh -c test:///default` defines both VMs, runs them all, and lists each VM's checkpoints.
 */
function redefineAll(
  host: string,
  zip: Record<string, Uint8Array>,
  scripts: { path: string; env?: Record<string, string> }[],
): { web01: string; db01: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vms-zip-'));
  try {
    for (const [path, bytes] of Object.entries(zip)) {
      mkdirSync(dirname(join(dir, 'zip', path)), { recursive: true });
      writeFileSync(join(dir, 'zip', path), bytes);
    }
    const log = join(dir, 'commands');
    writeFileSync(log, '');
    mkdirSync(join(dir, 'bin'));
    // Each argument double-quoted for virsh's own parser; a file named relative to where it runs.
    writeFileSync(
      join(dir, 'bin', 'virsh'),
      [
        '#!/bin/sh',
        'case " $* " in',
        `  *' checkpoint-create '*) ;;`,
        `  *) exec /usr/bin/virsh -c 'test://${host}/node.xml' "$@" ;;`,
        'esac',
        'line=',
        'file=',
        'for a in "$@"; do',
        '  if [ -n "$file" ]; then a="$PWD/$a"; file=; fi',
        '  [ "$a" = --xmlfile ] && file=1',
        '  line="$line \\"$a\\""',
        'done',
        `echo "$line ;" >> '${log}'`,
      ].join('\n'),
    );
    chmodSync(join(dir, 'bin', 'virsh'), 0o755);
    for (const s of scripts) {
      const run = spawnSync('sh', [join(dir, 'zip', s.path), '--apply'], {
        env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? ''}`, ...s.env },
      });
      expect(run.stderr.toString(), s.path).toBe('');
      expect(run.status, s.path).toBe(0);
    }
    const run = spawnSync('virsh', [
      '-q',
      '-c',
      'test:///default',
      [
        `define ${join(host, 'web01.xml')} ;`,
        `define ${join(host, 'db01.xml')} ;`,
        // The test driver takes checkpoints of a running VM only.
        'start web01 ; start db01 ;',
        readFileSync(log, 'utf8').replace(/\n/g, ' '),
        'echo ==web01 ; checkpoint-list web01 --name --topological ;',
        'echo ==db01 ; checkpoint-list db01 --name --topological',
      ].join(' '),
    ]);
    // virsh goes on after a command fails: what it said on stderr is the verdict.
    expect(run.stderr.toString()).toBe('');
    const out = run.stdout.toString();
    const [, web01 = '', db01 = ''] = out.split(/==(?:web01|db01)/);
    return { web01: web01.trim(), db01: db01.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('two VMs in one folder stay two: web01 with <domain>, db01 dumped --no-domain', async ({
  page,
}) => {
  const host = makeHost();
  try {
    await openVms(page, host.copy('vms'));
    // Each VM a top-level row, its checkpoints below it.
    const vmRows = tree(page).locator('[role="treeitem"][aria-level="1"]');
    await expect(vmRows).toHaveText([/^db01\s*3 checkpoints/, /^web01\s*3 checkpoints/]);
    await expect(item(page, 'db01.0')).toHaveAttribute('aria-level', '2');
    // db01's checkpoints are not "another VM's": no problem anywhere.
    await expect(page.getByText('belongs to another VM')).toHaveCount(0);

    // The Chain of each VM: its checkpoints only, its script its own DOMAIN.
    await item(page, 'db01.1').click();
    await page.getByRole('tab', { name: /^Chain/ }).click();
    await expect(
      page.getByRole('definition').filter({ hasText: /not named by the files/ }),
    ).toContainText('vms/db01');
    await page.getByRole('button', { name: 'Redefine script' }).click();
    const script = page.getByLabel('Redefine script text');
    await expect(script).toContainText('redefine db01.2 db01.2.xml');
    await expect(script).not.toContainText('web01');
    // From the Chain, a click opens the checkpoint: back to the Chain, web01's this time.
    await item(page, 'web01.1').click();
    await page.getByRole('tab', { name: /^Chain/ }).click();
    await page.getByRole('button', { name: 'Redefine script' }).click();
    await expect(script).toContainText('DOMAIN=web01');
    await expect(script).not.toContainText('db01');

    // Export all: one folder per VM, each with its script; run, each VM's checkpoints under it only.
    const zip = await exportAll(page);
    expect(zip.name).toBe('2-vms-checkpoints.zip');
    expect(Object.keys(zip.files).sort()).toEqual([
      'db01/db01.0.xml',
      'db01/db01.1.xml',
      'db01/db01.2.xml',
      'db01/redefine-checkpoints.sh',
      'web01/redefine-web01.sh',
      'web01/web01.0.xml',
      'web01/web01.1.xml',
      'web01/web01.2.xml',
    ]);
    const listed = redefineAll(host.dir, zip.files, [
      { path: 'web01/redefine-web01.sh' },
      // No file names db01's VM: the operator says which, as the script asks.
      { path: 'db01/redefine-checkpoints.sh', env: { DOMAIN: 'db01' } },
    ]);
    expect(listed).toEqual({
      web01: 'web01.0\nweb01.1\nweb01.2',
      db01: 'db01.0\ndb01.1\ndb01.2',
    });
  } finally {
    host.remove();
  }
});

test('folders whose names hold a space: each VM row and checkpoint still described', async ({
  page,
}) => {
  const host = makeHost();
  try {
    const copied = host.copy('vms');
    const spaced = join(host.dir, 'my vms');
    mkdirSync(spaced);
    for (const vm of ['web01', 'db01'])
      cpSync(join(copied, vm), join(spaced, `${vm} copy`), { recursive: true });
    await openVms(page, spaced);
    // aria-describedby is a list of ids split at spaces: an id made of the folder's name broke it.
    const db01 = tree(page)
      .locator('[role="treeitem"][aria-level="1"]')
      .filter({ hasText: 'db01' });
    await expect(db01).toHaveAccessibleDescription(/VM, 3 checkpoints/);
    await expect(item(page, 'db01.1')).toHaveAccessibleDescription(/db01\.1\.xml/);
  } finally {
    host.remove();
  }
});

test('two VMs whose files both carry <domain>: the second is a VM, not "another VM"', async ({
  page,
}) => {
  const host = makeHost();
  try {
    await openVms(page, host.copy('vms-both'));
    const vmRows = tree(page).locator('[role="treeitem"][aria-level="1"]');
    await expect(vmRows).toHaveText([/^db01\s*3 checkpoints/, /^web01\s*3 checkpoints/]);
    await expect(page.getByText('belongs to another VM')).toHaveCount(0);
    const zip = await exportAll(page);
    expect(
      Object.keys(zip.files)
        .filter((f) => f.endsWith('.sh'))
        .sort(),
    ).toEqual(['db01/redefine-db01.sh', 'web01/redefine-web01.sh']);
    const listed = redefineAll(host.dir, zip.files, [
      { path: 'db01/redefine-db01.sh' },
      { path: 'web01/redefine-web01.sh' },
    ]);
    expect(listed).toEqual({
      web01: 'web01.0\nweb01.1\nweb01.2',
      db01: 'db01.0\ndb01.1\ndb01.2',
    });
  } finally {
    host.remove();
  }
});

/** The VM definition and checkpoints of web01, as VM `name` with its own uuid. */
function asVm(text: string, name: string, uuid: string): string {
  return text.replace(/web01/g, name).replace(/6d1c0b8e-2f3a-4c5d-9e7f-0a1b2c3d4e01/g, uuid);
}

/** qemu-img info --output=json of a VM's disk, with these bitmaps. */
function imageJson(name: string, bitmaps: readonly string[]): string {
  return JSON.stringify([
    {
      filename: `/var/lib/libvirt/images/${name}.qcow2`,
      format: 'qcow2',
      'virtual-size': 1048576,
      'format-specific': {
        type: 'qcow2',
        data: {
          compat: '1.1',
          corrupt: false,
          bitmaps: bitmaps.map((b) => ({ name: b, granularity: 65536, flags: ['auto'] })),
        },
      },
    },
  ]);
}

/**
 * 200 bundles as scripts/collect.sh writes them (VM-checkpoints.tar.gz: domain.xml, checkpoints/,
 * images/vda.json): every 10th VM's image has lost its bitmaps (a full backup is needed), every
 * 25th VM lacks its first checkpoint (its second one's parent is missing: an error).
 */
async function fleet(dir: string, count: number): Promise<string[]> {
  const { packTar } = await import('modern-tar');
  const { gzipSync, strToU8 } = await import('fflate');
  const definition = readFileSync(
    join(FIXTURES, 'vms', 'web01', 'vmconfig.virtnbdbackup.2.xml'),
    'utf8',
  );
  const checkpoints = [0, 1, 2].map((n) =>
    readFileSync(join(FIXTURES, 'vms-both', 'web01', `web01.${n}.xml`), 'utf8'),
  );
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `vm${String(i).padStart(3, '0')}`;
    const uuid = `6d1c0b8e-2f3a-4c5d-9e7f-${i.toString(16).padStart(12, '0')}`;
    const files: Record<string, string> = {
      [`${name}-checkpoints/domain.xml`]: asVm(definition, name, uuid),
      [`${name}-checkpoints/images/vda.json`]: imageJson(
        name,
        i % 10 === 0 ? [] : [0, 1, 2].map((n) => `${name}.${n}`),
      ),
    };
    checkpoints.forEach((text, n) => {
      if (i % 25 === 1 && n === 0) return;
      files[`${name}-checkpoints/checkpoints/${name}.${n}.xml`] = asVm(text, name, uuid);
    });
    const tar = await packTar(
      Object.entries(files).map(([path, body]) => ({
        header: { name: path, size: strToU8(body).length, type: 'file' as const },
        body,
      })),
    );
    const path = join(dir, `${name}-checkpoints.tar.gz`);
    writeFileSync(path, gzipSync(tar));
    paths.push(path);
  }
  return paths;
}

test('200 VM bundles open into the VMs view: each VM a row, sortable, filtered, a row opens its chain', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'fleet-'));
  try {
    const bundles = await fleet(dir, 200);
    await openApp(page);
    await page.getByLabel('Open checkpoint files').setInputFiles(bundles);
    const view = page.getByRole('tabpanel', { name: 'VMs' });
    // Each bundle is unpacked on the page: under load this takes a while.
    await expect(view).toBeVisible({ timeout: 120_000 });
    const table = view.getByRole('table', { name: 'VMs' });
    const rows = table.getByRole('row').filter({ has: page.getByRole('rowheader') });
    await expect(rows).toHaveCount(200);
    await validated(page);
    // vm000 first: 3 checkpoints, its disk needs a full backup (its image lost every bitmap).
    await expect(rows.first().getByRole('rowheader')).toHaveText('vm000');
    // Its errors are those the Validation panel counts: bitmaps no image holds (metadata only).
    await expect(rows.first().getByRole('cell')).toHaveText([
      '3',
      '3',
      '0',
      /^vda: full backup needed/,
      '2024-03-01 02:00:00',
    ]);
    await expect(rows.nth(5).getByRole('cell').nth(3)).toHaveText('vda: incremental since vm005.2');

    await view.getByRole('radio', { name: 'Needs a full backup' }).check();
    await expect(rows).toHaveCount(20);
    await expect(view.getByRole('status')).toHaveText('20 of 200 VMs');
    await view.getByRole('radio', { name: 'Has errors' }).check();
    // The 20 whose images lost their bitmaps, and the 8 that lack a parent.
    await expect(rows).toHaveCount(28);
    await expect(rows.nth(1).getByRole('rowheader')).toHaveText('vm001');
    await expect(rows.nth(1).getByRole('cell').nth(0)).toHaveText('2');
    await expect(rows.nth(1).getByRole('cell').nth(1)).toHaveText('1');

    // Sorted by errors, most first; then back to all, by name descending.
    await view.getByRole('radio', { name: 'All', exact: true }).check();
    await table.getByRole('button', { name: 'Errors' }).click();
    await expect(table.getByRole('columnheader', { name: 'Errors' })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
    await expect(rows.first().getByRole('cell').nth(1)).not.toHaveText('0');
    await table.getByRole('button', { name: 'VM' }).click();
    await expect(rows.first().getByRole('rowheader')).toHaveText('vm000');
    await table.getByRole('button', { name: 'VM' }).click();
    await expect(rows.first().getByRole('rowheader')).toHaveText('vm199');

    // What the view looks like, at a small and a large window (test-results/, looked at by hand).
    for (const [width, height] of [
      [1024, 700],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: `test-results/vms-view-${width}x${height}.png` });
    }

    // The keyboard, as in the tree: one tab stop, arrows move, Enter opens that VM's chain.
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(rows.nth(1)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('tab', { name: /^Chain/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await expect(
      page
        .getByRole('definition')
        .filter({ hasText: /^vm198$/ })
        .first(),
    ).toBeVisible();
    await expect(tree(page).getByRole('treeitem', { name: 'vm198', exact: true })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reload and a new tab keep what was opened: VM definitions, targets, image JSON, the VMs', async ({
  page,
  context,
}) => {
  const host = makeHost();
  try {
    const folder = host.copy('vms');
    // web01's image as qemu-img saw it after its bitmaps were lost: 3 checkpoints' bitmaps missing.
    mkdirSync(join(folder, 'web01', 'images'));
    writeFileSync(
      join(folder, 'web01', 'images', 'vda.json'),
      JSON.stringify([
        {
          filename: join(host.dir, 'images', 'web01.qcow2'),
          format: 'qcow2',
          'virtual-size': 1048576,
          'format-specific': { type: 'qcow2', data: { compat: '1.1', corrupt: false } },
        },
      ]),
    );
    await openVms(page, folder);
    const what = async (p: Page) => {
      await expect(tree(p).locator('[role="treeitem"][aria-level="1"]')).toHaveText([
        /^db01\s*3 checkpoints\s*readiness not known/,
        // web01's image lost its bitmaps: the row says so, beside its 3 errors.
        /^web01\s*3 checkpoints\s*full backup needed\s*3/,
      ]);
      await tree(p).getByRole('treeitem', { name: 'web01.1', exact: true }).click();
      await expect(
        p.getByRole('region', { name: 'Validation' }).getByText(/^this VM: \d+ errors?$/),
      ).toHaveText('this VM: 3 errors');
      await p.getByRole('tab', { name: /^Bitmaps/ }).click();
      const readiness = p.getByRole('region', { name: 'Backup readiness' });
      await expect(readiness).toContainText('vda: full backup needed');
      await p.getByRole('tab', { name: /^Chain/ }).click();
      await expect(p.getByRole('region', { name: 'Target VM' })).toContainText(
        'vmconfig.virtnbdbackup.2.xml',
      );
      // db01 has none of web01's: its own VM, nothing of web01's.
      await tree(p).getByRole('treeitem', { name: 'db01.1', exact: true }).click();
      // The panel counts the VM it lists, as that VM's row does: db01 has none.
      await expect(
        p.getByRole('region', { name: 'Validation' }).getByText(/^this VM: \d+ errors?$/),
      ).toHaveText('this VM: 0 errors');
      await p.getByRole('tab', { name: /^Chain/ }).click();
      await expect(p.getByRole('region', { name: 'Target VM' })).not.toContainText('vmconfig');
    };
    await what(page);
    await expect(page.getByText('Saved in this browser', { exact: true })).toBeVisible();
    await page.reload();
    await what(page);
    const second = await context.newPage();
    await second.goto('/');
    await what(second);
  } finally {
    host.remove();
  }
});

test('the same folder opened twice opens once: nothing doubled, the second time said', async ({
  page,
}) => {
  const host = makeHost();
  try {
    const folder = host.copy('vms');
    await openVms(page, folder);
    await page.getByLabel('Open folder').setInputFiles(folder);
    await expect(page.getByText('Skipped 6 files')).toBeVisible();
    await expect(tree(page).locator('[role="treeitem"][aria-level="1"]')).toHaveText([
      /^db01\s*3 checkpoints\s*\S.*VM, 3 checkpoints, backup: [^,]+$/,
      /^web01\s*3 checkpoints\s*\S.*VM, 3 checkpoints, backup: [^,]+$/,
    ]);
    await expect(tree(page).getByRole('treeitem', { name: /\(2\)/ })).toHaveCount(0);
    await page.getByRole('button', { name: '6 already open' }).click();
    await expect(
      page.getByText('already open: the same file, byte for byte').first(),
    ).toBeVisible();
    // No 'defined twice' errors: nothing was opened twice.
    await expect(
      page.getByRole('region', { name: 'Validation' }).getByText(/^this VM: \d+ errors?$/),
    ).toHaveText('this VM: 0 errors');
  } finally {
    host.remove();
  }
});
