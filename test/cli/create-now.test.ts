import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'create-now-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const request = join(dir, 'request.xml');
writeFileSync(request, '<domaincheckpoint/>\n');

const create = (now: string) => runMain('create', `--now=${now}`, '--vm-disks', 'vda', request);

describe('create --now takes what libvirt keeps: a creation time is a long long', () => {
  it.each([
    '99999999999999999999999',
    '9223372036854775808',
    '-1',
    '-9223372036854775808',
    '1.5',
    '1e9',
    'now',
    '',
    ' 5',
  ])('refuses %j: exit 2, one line that says why', async (now) => {
    const r = await create(now);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe(
      `error: --now ${now}: a creation time is whole seconds since 1970, at most 9223372036854775807`,
    );
    expect(r.code).toBe(2);
  });

  it('takes the largest, and what it prints its own validate accepts', async () => {
    const r = await create('9223372036854775807');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('<creationTime>9223372036854775807</creationTime>');
    const made = join(dir, '9223372036854775807.xml');
    writeFileSync(made, r.out);
    expect(await runMain('validate', made)).toMatchObject({ code: 0 });
  });

  it('reads leading zeros as libvirt does', async () => {
    const r = await create('0042');
    expect(r.code).toBe(0);
    expect(r.out).toContain('<name>42</name>');
    expect(r.out).toContain('<creationTime>42</creationTime>');
  });
});

describe('create --sizes takes what libvirt keeps: a size is an unsigned long long', () => {
  const withSize = (size: string) =>
    runMain('create', '--now=5', '--vm-disks', 'vda', `--sizes=vda=${size}`, '--size', request);

  it.each(['18446744073709551616', '-1', '1.5', ''])('refuses %j: exit 2', async (size) => {
    const r = await withSize(size);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe(
      `error: --sizes: 'vda=${size}': bytes are whole, at most 18446744073709551615`,
    );
    expect(r.code).toBe(2);
  });

  it('takes the largest', async () => {
    const r = await withSize('18446744073709551615');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toContain("size='18446744073709551615'");
  });
});
