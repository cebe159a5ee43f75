import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, strToU8, zipSync } from 'fflate';
import { packTar } from 'modern-tar';
import type { TarEntry } from 'modern-tar';
import { afterAll, describe, expect, it } from 'vitest';
import type { Bundle } from '../../src/core/index.ts';
import { bundleKind, bundlePath, readBundle } from '../../src/core/index.ts';

const text = (b: Bundle) =>
  Object.fromEntries(b.entries.map((e) => [e.path, new TextDecoder().decode(e.bytes)]));

async function read(bytes: Uint8Array, kind: 'tar' | 'tar.gz' | 'zip', limits = {}) {
  const r = await readBundle(bytes, kind, limits);
  if (!r.ok) throw new Error(r.problems[0]?.message);
  return r.value;
}

const file = (name: string, body: string): TarEntry => ({
  header: { name, size: strToU8(body).length, type: 'file' },
  body,
});

describe('bundle kinds and paths', () => {
  it('knows an archive by its name', () => {
    expect(
      ['web01-checkpoints.tar.gz', 'a.TGZ', 'a.tar', 'a.zip', 'a.xml', 'a.gz'].map(bundleKind),
    ).toEqual(['tar.gz', 'tar.gz', 'tar', 'zip', undefined, undefined]);
  });

  it('never trusts a path inside: absolute, .., backslashes and control characters are refused', () => {
    expect(
      [
        './web01-checkpoints/checkpoints/bk.1.xml',
        'a//b/./c.xml',
        '/etc/passwd',
        'C:/x.xml',
        '../x.xml',
        'a/../../x.xml',
        'a/..',
        'a\\..\\x.xml',
        'a\nb.xml',
        '.',
      ].map(bundlePath),
    ).toEqual([
      { path: 'web01-checkpoints/checkpoints/bk.1.xml' },
      { path: 'a/b/c.xml' },
      { refused: 'absolute path' },
      { refused: 'absolute path' },
      { refused: 'path leaves the bundle (..)' },
      { refused: 'path leaves the bundle (..)' },
      { refused: 'path leaves the bundle (..)' },
      { refused: 'path with a backslash' },
      { refused: 'path with control characters' },
      { path: '' },
    ]);
  });
});

describe('readBundle: tar and tar.gz', () => {
  const hostile: TarEntry[] = [
    { header: { name: 'web01-checkpoints/', size: 0, type: 'directory' } },
    file('web01-checkpoints/domain.xml', '<domain/>'),
    file('web01-checkpoints/checkpoints/bk.1.xml', '<domaincheckpoint/>'),
    file('../evil.xml', 'x'),
    file('/etc/cron.d/evil.xml', 'x'),
    file('web01-checkpoints/../../evil.xml', 'x'),
    {
      header: {
        name: 'web01-checkpoints/checkpoints/bk.2.xml',
        size: 0,
        type: 'symlink',
        linkname: '/etc/shadow',
      },
    },
    {
      header: {
        name: 'web01-checkpoints/hard.xml',
        size: 0,
        type: 'link',
        linkname: 'web01-checkpoints/domain.xml',
      },
    },
    { header: { name: 'web01-checkpoints/fifo.xml', size: 0, type: 'fifo' } },
    file('web01-checkpoints/images/big.json', 'x'.repeat(5000)),
  ];

  it('takes regular files under their cleaned paths and skips every hostile entry, saying why', async () => {
    const tar = await packTar(hostile);
    const bundle = await read(tar, 'tar', { maxEntryBytes: 4096 });
    expect(text(bundle)).toEqual({
      'web01-checkpoints/domain.xml': '<domain/>',
      'web01-checkpoints/checkpoints/bk.1.xml': '<domaincheckpoint/>',
    });
    expect(bundle.skipped).toEqual([
      { path: '../evil.xml', reason: 'path leaves the bundle (..)' },
      { path: '/etc/cron.d/evil.xml', reason: 'absolute path' },
      { path: 'web01-checkpoints/../../evil.xml', reason: 'path leaves the bundle (..)' },
      {
        path: 'web01-checkpoints/checkpoints/bk.2.xml',
        reason: 'a symbolic link (to /etc/shadow), not a file',
      },
      {
        path: 'web01-checkpoints/hard.xml',
        reason: 'a hard link (to web01-checkpoints/domain.xml), not a file',
      },
      { path: 'web01-checkpoints/fifo.xml', reason: 'a FIFO, not a file' },
      {
        path: 'web01-checkpoints/images/big.json',
        reason: 'file is 4.9 KiB, over the limit of 4.0 KiB',
      },
    ]);
  });

  it('reads the same through gzip', async () => {
    const tgz = gzipSync(await packTar(hostile));
    const bundle = await read(tgz, 'tar.gz', { maxEntryBytes: 4096 });
    expect(Object.keys(text(bundle))).toEqual([
      'web01-checkpoints/domain.xml',
      'web01-checkpoints/checkpoints/bk.1.xml',
    ]);
    expect(bundle.skipped).toHaveLength(7);
  });

  it('stops a gzip bomb at the limit, and names what is not gzip or tar', async () => {
    const bomb = gzipSync(
      await packTar([
        {
          header: { name: 'zeros.xml', size: 4 << 20, type: 'file' },
          body: new Uint8Array(4 << 20),
        },
      ]),
    );
    expect(bomb.length).toBeLessThan(64 * 1024);
    const r = await readBundle(bomb, 'tar.gz', { maxTotalBytes: 1 << 20 });
    expect(r).toMatchObject({
      ok: true,
      value: { entries: [] },
      problems: [
        {
          code: 'bundle-too-large',
          message: 'unpacks to more than 1.0 MiB, the limit: stopped there, the rest is not read',
        },
      ],
    });
    expect(await readBundle(strToU8('<domaincheckpoint/>'), 'tar.gz')).toMatchObject({
      ok: false,
      problems: [{ code: 'bundle-unreadable', message: 'not a gzip file: no gzip header' }],
    });
    expect(await readBundle(new Uint8Array(1024).fill(7), 'tar')).toMatchObject({
      ok: false,
      problems: [
        { code: 'bundle-unreadable', message: expect.stringMatching(/^not a tar archive: /) },
      ],
    });
  });

  it('stops past the whole bundle’s limit as the bytes come, keeping what came before', async () => {
    const tar = await packTar([
      file('a.xml', 'a'.repeat(600)),
      file('b.xml', 'b'.repeat(600)),
      file('c.xml', 'c'),
    ]);
    const bundle = await readBundle(tar, 'tar', { maxTotalBytes: 1536 });
    expect(bundle.ok && Object.keys(text(bundle.value))).toEqual(['a.xml']);
    expect(bundle.problems.map((p) => p.code)).toEqual(['bundle-too-large']);
  });
});

describe('readBundle: archives GNU tar and zip write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what `tar -czf NAME.tar.gz ./NAME` writes (scripts/collect.sh), a link in it skipped', async () => {
    const top = join(dir, 'web 01-checkpoints');
    mkdirSync(join(top, 'checkpoints'), { recursive: true });
    writeFileSync(join(top, 'domain.xml'), '<domain/>');
    writeFileSync(join(top, 'checkpoints', 'bk.1.xml'), '<domaincheckpoint/>');
    symlinkSync('/etc/passwd', join(top, 'checkpoints', 'bk.2.xml'));
    const r = spawnSync('tar', ['-czf', './b.tar.gz', './web 01-checkpoints'], { cwd: dir });
    expect(r.status).toBe(0);
    const bundle = await read(new Uint8Array(readFileSync(join(dir, 'b.tar.gz'))), 'tar.gz');
    expect(text(bundle)).toEqual({
      'web 01-checkpoints/domain.xml': '<domain/>',
      'web 01-checkpoints/checkpoints/bk.1.xml': '<domaincheckpoint/>',
    });
    expect(bundle.skipped).toEqual([
      {
        path: './web 01-checkpoints/checkpoints/bk.2.xml',
        reason: 'a symbolic link (to /etc/passwd), not a file',
      },
    ]);
  });

  it('reads a zip, skipping hostile paths, a Unix symlink and what it says is too large', async () => {
    const zip = zipSync({
      'web01-checkpoints/': new Uint8Array(0),
      'web01-checkpoints/checkpoints/bk.1.xml': strToU8('<domaincheckpoint/>'),
      '../evil.xml': strToU8('x'),
      '/abs.xml': strToU8('x'),
      'web01-checkpoints/link.xml': [
        strToU8('/etc/passwd'),
        { os: 3, attrs: (0o120777 << 16) >>> 0 },
      ],
      'web01-checkpoints/images/big.json': strToU8('x'.repeat(5000)),
    });
    const bundle = await read(zip, 'zip', { maxEntryBytes: 4096 });
    expect(text(bundle)).toEqual({
      'web01-checkpoints/checkpoints/bk.1.xml': '<domaincheckpoint/>',
    });
    expect(bundle.skipped).toEqual([
      { path: '../evil.xml', reason: 'path leaves the bundle (..)' },
      { path: '/abs.xml', reason: 'absolute path' },
      { path: 'web01-checkpoints/link.xml', reason: 'a symbolic link, not a file' },
      {
        path: 'web01-checkpoints/images/big.json',
        reason: 'file is 4.9 KiB, over the limit of 4.0 KiB',
      },
    ]);
    expect(await readBundle(strToU8('PK not a zip'), 'zip')).toMatchObject({ ok: false });
  });
});
