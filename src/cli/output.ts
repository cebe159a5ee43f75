import type { Problem } from '../core/index.ts';
import { libvirtMessage } from '../core/index.ts';

export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Resolves when the reader has taken what `out` was given; absent when nothing waits on one. */
  drained?(): Promise<void>;
}

/**
 * The process's stdout and stderr. A reader that goes away (`tree DIR | head -1`: EPIPE) destroys
 * stdout: what is left to print is dropped, and the run goes on to the exit status it would have had.
 */
export const processOutput: Output = {
  out: (text) => {
    if (!process.stdout.destroyed) process.stdout.write(text);
  },
  err: (text) => void process.stderr.write(text),
  drained: async () => {
    const stdout = process.stdout;
    if (stdout.destroyed || !stdout.writableNeedDrain) return;
    // 'close' too: a stream destroyed while waiting never drains.
    await new Promise<void>((resolve) => {
      const done = () => {
        stdout.off('drain', done);
        stdout.off('close', done);
        resolve();
      };
      stdout.on('drain', done);
      stdout.on('close', done);
    });
  },
};

const CHUNK_CHARS = 64 * 1024;

/**
 * Prints lines a chunk at a time, waiting for the reader between chunks: a listing of any length
 * never has to be one string, nor pile up in memory ahead of a slow pipe.
 */
export async function writeLines(output: Output, lines: Iterable<string>): Promise<void> {
  let chunk = '';
  for (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length < CHUNK_CHARS) continue;
    output.out(chunk);
    chunk = '';
    await output.drained?.();
  }
  if (chunk) output.out(chunk);
}

/** Schema problems read as libvirt says them; xmllint's own prefix is left out. */
export function schemaMessage(p: Problem): string {
  const fact = p.message.replace(/^.*Relax-NG validity error : /, '');
  return `XML document failed to validate against schema: Unable to validate doc against domaincheckpoint.rng: ${fact}`;
}

/** `FILE:LINE: ` before a message, as far as they are known. */
function where(p: Problem): string {
  const at = [p.file, p.line].filter((x) => x !== undefined && x !== '').join(':');
  return at ? `${at}: ` : '';
}

/** The first problem as virsh's `error: …` line, with where it stands; the others follow, one a line. */
export function reportFailure(output: Output, problems: readonly Problem[]): void {
  problems.forEach((p, i) =>
    output.err(`${i === 0 ? 'error: ' : '  '}${where(p)}${libvirtMessage(p)}\n`),
  );
}
