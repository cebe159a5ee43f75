import { spawn } from 'node:child_process';
import type { DiffCase } from './generate.ts';

/** What the project's CLI did with one case. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI under test; DIFF_CLI overrides it (e.g. "npm run --silent cli --"). */
export function cliCommand(): string[] {
  return (process.env['DIFF_CLI'] ?? 'node bin/checkpoint-editor.mjs').split(' ').filter(Boolean);
}

/** The arguments that ask the CLI what virsh was asked: redefine on the case's VM, then dump. */
export function cliArgs(c: DiffCase, file: string): string[] {
  return [
    'format',
    '--redefine',
    ...(c.hasDomain ? [] : ['--allow-no-domain']),
    '--vm-uuid',
    c.vm.uuid,
    ...c.dumpFlags,
    file,
  ];
}

export function runCli(cwd: string, args: readonly string[]): Promise<CliResult> {
  const [command, ...prefix] = cliCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(command ?? 'node', [...prefix, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}
