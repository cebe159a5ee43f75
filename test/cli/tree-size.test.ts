import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ForestEntry } from '../../src/core/index.ts';
import { buildForest, formatTree, parseCheckpoint } from '../../src/core/index.ts';
import { checkpointXml, runCli } from './run-cli.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes checkpoints `c0 … c(n-1)`, each the child of the one `parentOf` names, into a new folder. */
function writeCheckpoints(n: number, parentOf: (i: number) => number | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'tree-size-'));
  dirs.push(dir);
  for (let i = 0; i < n; i++) {
    const parent = parentOf(i);
    writeFileSync(
      join(dir, `c${i}.xml`),
      checkpointXml(`c${i}`, parent === undefined ? undefined : `c${parent}`, i + 1),
    );
  }
  return dir;
}

/**
 * virsh's text for a chain c0 → c1 → …: each level indented 4 further, a `|` line under each parent,
 * a blank line (its indent) after the leaf. Lines as [length without newline, text] of the first
 * and last ones, and the total bytes.
 */
function chainText(n: number) {
  const line = (d: number) => `${' '.repeat(d ? 4 * d - 2 : 0)}${d ? '+- ' : ''}c${d}`;
  const under = (d: number) => (d === n - 1 ? ' '.repeat(4 * d) : `${' '.repeat(4 * d + 2)}|`);
  let bytes = 0;
  for (let d = 0; d < n; d++) bytes += line(d).length + 1 + under(d).length + 1;
  return {
    bytes,
    lines: 2 * n,
    head: `${line(0)}\n${under(0)}\n${line(1)}\n${under(1)}\n`,
    tail: `${line(n - 2)}\n${under(n - 2)}\n${line(n - 1)}\n${under(n - 1)}\n`,
  };
}

const TAIL_BYTES = 1_000_000;

/** Runs the real CLI and counts what it prints, keeping only the head and the tail: gigabytes pass. */
function measureCli(args: string[]) {
  return new Promise<{
    code: number | null;
    bytes: number;
    lines: number;
    head: string;
    tail: string;
    err: string;
  }>((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/checkpoint-editor.mjs', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let bytes = 0;
    let lines = 0;
    let head = Buffer.alloc(0);
    // the last chunks, as long as the last TAIL_BYTES need
    const tail: Buffer[] = [];
    let tailBytes = 0;
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      bytes += b.length;
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
      if (head.length < 4096) head = Buffer.concat([head, b.subarray(0, 4096)]);
      tail.push(b);
      tailBytes += b.length;
      while (tailBytes - (tail[0] as Buffer).length >= TAIL_BYTES)
        tailBytes -= (tail.shift() as Buffer).length;
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => void (err += t));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        bytes,
        lines,
        head: head.toString('latin1'),
        tail: Buffer.concat(tail).toString('latin1'),
        err,
      }),
    );
  });
}

describe('tree prints any size, line by line', () => {
  it('a chain of 20,000 checkpoints: 1.6 GB of virsh text, no RangeError', async () => {
    const n = 20_000;
    const dir = writeCheckpoints(n, (i) => (i ? i - 1 : undefined));
    const expected = chainText(n);
    expect(expected.bytes).toBeGreaterThan(2 ** 30); // more than a V8 string can hold
    const r = await measureCli(['tree', dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.lines).toBe(expected.lines);
    expect(r.bytes).toBe(expected.bytes);
    expect(r.head.startsWith(expected.head)).toBe(true);
    expect(r.tail.endsWith(expected.tail)).toBe(true);
  }, 300_000);

  it('the streamed text is formatTree byte for byte, across chunks', async () => {
    // a chain of 600 with a fork every 50 levels: 1.5 MB, many chunks
    const n = 700;
    const parentOf = (i: number) => (i === 0 ? undefined : i < 600 ? i - 1 : (i - 600) * 6);
    const dir = writeCheckpoints(n, parentOf);
    const entries: ForestEntry[] = Array.from({ length: n }, (_, i) => {
      const parsed = parseCheckpoint(
        checkpointXml(`c${i}`, parentOf(i) === undefined ? undefined : `c${parentOf(i)}`, i + 1),
      );
      if (!parsed.ok) throw new Error('the generated checkpoint is invalid');
      return { file: join(dir, `c${i}.xml`), checkpoint: parsed.value };
    });
    const expected = formatTree(buildForest(entries));
    expect(expected.length).toBeGreaterThan(1_000_000);
    const r = await runCli(['tree', dir], 60_000);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out === expected).toBe(true);
  });
});
