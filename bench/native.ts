// Native xmllint as an operator runs it: one whole process per command line.
import { spawnSync } from 'node:child_process';

export const XMLLINT = '/usr/bin/xmllint';

/** Wall time of one process, from spawn to exit, in ms; throws unless it exits with `status`. */
export function timeProcess(command: string, args: readonly string[], status = 0): number {
  const start = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = performance.now() - start;
  if (result.status !== status) {
    const said = result.stderr?.toString().slice(0, 500) ?? '';
    throw new Error(`${command} ${args.slice(0, 4).join(' ')} … exited ${result.status}: ${said}`);
  }
  return elapsed;
}

/** libxml2's version as xmllint reports it (20914 → 2.9.14). */
export function libxml2Version(): string {
  const said = spawnSync(XMLLINT, ['--version'], { encoding: 'utf8' }).stderr;
  const m = /libxml version (\d+)/.exec(said);
  if (!m?.[1]) return 'unknown';
  const n = Number(m[1]);
  return `${Math.floor(n / 10000)}.${Math.floor(n / 100) % 100}.${n % 100}`;
}
