import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { checkpointXml, runCli, runMain, STACK_TRACE } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'no-stack-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'a.xml');
writeFileSync(file, checkpointXml('a'));

/** Exit 2 and exactly one line, `error: …`, with no stack frame and no usage text. */
function expectOneLine(r: { code: number | null; err: string }, fact: RegExp) {
  expect(r.err).not.toMatch(STACK_TRACE);
  expect(r.err).toMatch(/^error: [^\n]+\n$/);
  expect(r.err).toMatch(fact);
  expect(r.code).toBe(2);
}

describe('no stack trace ever reaches a user', () => {
  it('a schema folder that holds no schema: one line, exit 2', async () => {
    const r = await runCli(['validate', '--schemas', join(dir, 'nowhere'), file]);
    expectOneLine(r, /nowhere holds no domaincheckpoint\.rng/);
    expect(r.out).toBe('');
  });

  it('a schema manifest that is a folder (EISDIR deep in the validation layer)', async () => {
    const schemas = join(dir, 'schemas');
    mkdirSync(join(schemas, 'manifest.json'), { recursive: true });
    const v = await runCli(['validate', '--schemas', schemas, file]);
    expectOneLine(v, /^error: \S+\/manifest\.json: cannot read: EISDIR/);
  });

  it('a file name too long for the system', async () => {
    const r = await runMain('format', join(dir, 'a'.repeat(5000)));
    expectOneLine(r, /: cannot read: name too long \(ENAMETOOLONG\)\n$/);
  });

  it('a folder where a file is expected', async () => {
    // format, create and diff read folders now (issue 23); --target-vm is one file.
    const r = await runMain('check', '--target-vm', dir, file);
    expect(r).toMatchObject({ code: 2, err: `error: ${dir}: not a regular file (directory)\n` });
  });

  it('whatever throws inside a command becomes one line and exit 2', async () => {
    let err = '';
    const code = await main(['tree', file], {
      out: () => {
        throw new TypeError('the output broke');
      },
      err: (t) => void (err += t),
    });
    expectOneLine({ code, err }, /^error: the output broke\n$/);
  });
});
