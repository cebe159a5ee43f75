import type { ChildProcessByStdio } from 'node:child_process';
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
  /** Killed after the time allowed: the command blocked. */
  timedOut: boolean;
}

/** The real command line, `node bin/checkpoint-editor.mjs ARGS`, killed if it runs past `timeoutMs`. */
export function runCli(args: readonly string[], timeoutMs = 20_000): Promise<CliRun> {
  return startCli(args, timeoutMs).done;
}

/** The real command line started: its process (to signal it), and its end. */
export function startCli(
  args: readonly string[],
  timeoutMs = 20_000,
): { child: ChildProcessByStdio<null, Readable, Readable>; done: Promise<CliRun> } {
  const child = spawn(process.execPath, ['bin/checkpoint-editor.mjs', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const done = new Promise<CliRun>((resolve, reject) => {
    let out = '';
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (t: string) => void (out += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => void (err += t));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, timedOut });
    });
  });
  return { child, done };
}

/** The CLI's entry in this process: quicker, for what cannot block or flood. */
export async function runMain(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

/** A small valid checkpoint: what the CLI reads when a file is fine. */
export function checkpointXml(name: string, parent?: string, creationTime = 1): string {
  const parentXml =
    parent === undefined ? '' : `  <parent>\n    <name>${parent}</name>\n  </parent>\n`;
  return `<domaincheckpoint>\n  <name>${name}</name>\n${parentXml}  <creationTime>${creationTime}</creationTime>\n</domaincheckpoint>\n`;
}

/** No Node or V8 stack frame, no `Node.js v…` banner: what a user must never see. */
export const STACK_TRACE = /^\s+at |Node\.js v\d|^\S*Error: |node:internal/m;
