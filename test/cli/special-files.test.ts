import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointXml, runCli, runMain } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'special-files-'));
const fifo = join(dir, 'pipe.xml');
const socket = join(dir, 'socket.xml');
let server: Server;

beforeAll(async () => {
  execFileSync('mkfifo', [fifo]);
  symlinkSync('/dev/zero', join(dir, 'zero.xml'));
  server = createServer();
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The first block device in /dev, if the machine shows one. */
const blockDevice = readdirSync('/dev')
  .map((n) => join('/dev', n))
  .find((p) => {
    try {
      return statSync(p).isBlockDevice();
    } catch {
      return false;
    }
  });

describe('only regular files are read: others are refused by type, never opened for reading', () => {
  it('a FIFO does not block: one line naming it, exit 2', async () => {
    for (const command of ['validate', 'format', 'tree']) {
      const r = await runCli([command, fifo]);
      expect(r.timedOut).toBe(false);
      expect(r).toMatchObject({
        code: 2,
        out: '',
        err: `error: ${fifo}: not a regular file (FIFO)\n`,
      });
    }
  });

  it('/dev/zero is not read until the memory runs out', async () => {
    const r = await runCli(['format', '/dev/zero'], 5_000);
    expect(r.timedOut).toBe(false);
    expect(r).toMatchObject({
      code: 2,
      out: '',
      err: 'error: /dev/zero: not a regular file (character device)\n',
    });
  });

  it('a link to a device is refused under the name given', async () => {
    const r = await runCli(['validate', join(dir, 'zero.xml')], 5_000);
    expect(r).toMatchObject({
      code: 2,
      err: `error: ${join(dir, 'zero.xml')}: not a regular file (character device)\n`,
    });
  });

  it('/dev/null is a character device, not an empty file', async () => {
    const r = await runMain('validate', '/dev/null');
    expect(r).toMatchObject({
      code: 2,
      out: '',
      err: 'error: /dev/null: not a regular file (character device)\n',
    });
  });

  it('a socket', async () => {
    const r = await runMain('format', socket);
    expect(r).toMatchObject({ code: 2, err: `error: ${socket}: not a regular file (socket)\n` });
  });

  it.skipIf(!blockDevice)(`a block device (${blockDevice})`, async () => {
    const r = await runMain('format', blockDevice as string);
    expect(r).toMatchObject({
      code: 2,
      err: `error: ${blockDevice}: not a regular file (block device)\n`,
    });
  });

  it('--domain of create is held to the same', async () => {
    const request = join(dir, 'request.xml');
    writeFileSync(request, '<domaincheckpoint/>\n');
    const r = await runMain('create', '--now', '5', '--domain', '/dev/null', request);
    expect(r).toMatchObject({
      code: 2,
      err: 'error: /dev/null: not a regular file (character device)\n',
    });
  });
});

describe('--max-size is enforced while reading, not from the size a file reports', () => {
  it('a file that says it is empty (/proc) is cut at the limit', async () => {
    // /proc files are regular files whose stat size is 0, whatever they hold
    expect(statSync('/proc/self/maps').size).toBe(0);
    const r = await runMain('format', '--max-size', '100', '/proc/self/maps');
    expect(r).toMatchObject({
      code: 1,
      out: '',
      err: 'error: /proc/self/maps:1: file is over the limit of 100 bytes\n',
    });
    const v = await runMain('validate', '--max-size=100', '/proc/self/maps');
    expect(v.code).toBe(1);
    expect(v.out).toBe(
      '/proc/self/maps:1: file is over the limit of 100 bytes\n/proc/self/maps: invalid\n',
    );
  });

  it('a file of exactly the limit is read, one byte more is refused', async () => {
    const file = join(dir, 'limit.xml');
    const text = checkpointXml('limit');
    writeFileSync(file, text);
    const bytes = Buffer.byteLength(text);
    expect((await runMain('format', '--max-size', String(bytes), file)).code).toBe(0);
    const over = await runMain('format', '--max-size', String(bytes - 1), file);
    expect(over).toMatchObject({
      code: 1,
      err: `error: ${file}:1: file is ${bytes} bytes, over the limit of ${bytes - 1} bytes\n`,
    });
  });
});
