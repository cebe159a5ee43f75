import type { Problem } from '../core/index.ts';
import { libvirtMessage } from '../core/index.ts';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

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
