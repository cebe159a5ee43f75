import type { Checkpoint } from '../../src/core/index.ts';
import { parseCheckpoint } from '../../src/core/index.ts';

/** Parses a fixture the test knows to be well-formed. */
export function checkpointOf(text: string): Checkpoint {
  const parsed = parseCheckpoint(text);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.value;
}

export function simple(
  name: string,
  parent?: string,
  creationTime = 1700000000,
  extra = '',
): string {
  return [
    '<domaincheckpoint>',
    `  <name>${name}</name>`,
    parent ? `  <parent><name>${parent}</name></parent>` : '',
    `  <creationTime>${creationTime}</creationTime>`,
    extra,
    '</domaincheckpoint>',
  ].join('\n');
}
