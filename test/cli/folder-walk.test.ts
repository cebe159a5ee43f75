import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointXml, runCli } from './run-cli.ts';

const root = mkdtempSync(join(tmpdir(), 'folder-walk-'));
const dir = join(root, 'checkpoints');
const elsewhere = join(root, 'elsewhere.xml');
let server: Server;

beforeAll(async () => {
  mkdirSync(dir);
  // name order: the FIFO comes first, so a walk that opens it blocks before anything else
  execFileSync('mkfifo', [join(dir, '0-pipe.xml')]);
  writeFileSync(join(dir, 'a.xml'), checkpointXml('a', undefined, 1));
  writeFileSync(join(dir, 'b.xml'), checkpointXml('b', 'a', 2));
  symlinkSync(elsewhere, join(dir, 'c.xml'));
  writeFileSync(elsewhere, checkpointXml('c', 'b', 3));
  symlinkSync('nowhere.xml', join(dir, 'dangling.xml'));
  symlinkSync('/dev/null', join(dir, 'null.xml'));
  writeFileSync(join(dir, 'notes.txt'), 'not a checkpoint, not named .xml: counted, not read\n');
  // A folder is walked through, whatever its name: an empty one adds nothing.
  mkdirSync(join(dir, 'x.xml'));
  server = createServer();
  await new Promise<void>((resolve) => server.listen(join(dir, 'y.xml'), resolve));
});
afterAll(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

const skipped = () =>
  [
    `error: ${join(dir, '0-pipe.xml')}: not a regular file (FIFO), skipped`,
    `error: ${join(dir, 'dangling.xml')}: cannot read: dangling symbolic link, skipped`,
    `error: ${join(dir, 'null.xml')}: not a regular file (character device), skipped`,
    `error: ${join(dir, 'y.xml')}: not a regular file (socket), skipped`,
    'skipped 1 file that is not .xml or .json',
  ]
    .map((l) => `${l}\n`)
    .join('');

describe('a folder walk reports and skips what is not a regular .xml file, and goes on', () => {
  it('tree lists the checkpoints, one line on stderr for each entry skipped, exit 1', async () => {
    const r = await runCli(['tree', dir]);
    expect(r.timedOut).toBe(false);
    expect(r.out).toBe('a\n  |\n  +- b\n      |\n      +- c\n        \n');
    expect(r.err).toBe(skipped());
    expect(r.code).toBe(1);
  });

  it('tree --roots: the same skips, the same exit', async () => {
    const r = await runCli(['tree', '--roots', dir]);
    expect(r).toMatchObject({ timedOut: false, code: 1, out: 'a\n', err: skipped() });
  });

  it('validate walks the folder too: a verdict for each file read, the skipped on stderr', async () => {
    const r = await runCli(['validate', dir]);
    expect(r.timedOut).toBe(false);
    expect(r.out).toBe(['a.xml', 'b.xml', 'c.xml'].map((n) => `${join(dir, n)}: valid\n`).join(''));
    expect(r.err).toBe(skipped());
    expect(r.code).toBe(1);
  });

  it('a folder of regular files only: exit 0, nothing on stderr', async () => {
    const clean = join(root, 'clean');
    mkdirSync(clean);
    writeFileSync(join(clean, 'a.xml'), checkpointXml('a'));
    const r = await runCli(['tree', clean]);
    expect(r).toMatchObject({ code: 0, out: 'a\n\n', err: '' });
  });
});
