import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointXml, runCli, startCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A chain of `n` whose root names a parent that is not there: `tree` exits 1, with megabytes to print. */
function brokenChain(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'broken-pipe-'));
  dirs.push(dir);
  for (let i = 1; i <= n; i++)
    writeFileSync(join(dir, `c${i}.xml`), checkpointXml(`c${i}`, `c${i - 1}`, i));
  return dir;
}

describe('a reader that stops early (`tree DIR | head -1`)', () => {
  it('leaves the exit status as the command alone has it, not 0', async () => {
    const dir = brokenChain(3000);
    const alone = await runCli(['tree', dir], 60_000);
    expect(alone.code).toBe(1);
    expect(alone.err).toContain('parent c0 for moment c1 not found');

    // As `| head -1` does: read the first line, then close the pipe while the tree still prints.
    const { child, done } = startCli(['tree', dir], 60_000);
    let first = '';
    child.stdout.on('data', (t: string) => {
      first ||= t.split('\n', 1)[0] ?? '';
      child.stdout.destroy();
    });
    const piped = await done;
    expect(first).toBe('c1');
    expect(piped.timedOut).toBe(false);
    expect(piped.err).not.toContain('EPIPE');
    expect(piped.code).toBe(alone.code);
  });
});
