import { getSystemErrorMap } from 'node:util';

/** A command line the CLI cannot take: exit status 2, with the usage text. */
export class UsageError extends Error {}

/** A file named on the command line that cannot be read: exit status 2, one line naming it. */
export class InputError extends Error {}

/** What the system says of a failed call, in its words: `no such file or directory (ENOENT)`. */
export function systemReason(e: unknown): string {
  const { errno, code } = (e ?? {}) as NodeJS.ErrnoException;
  const described = errno === undefined ? undefined : getSystemErrorMap().get(errno)?.[1];
  if (described && code) return `${described} (${code})`;
  return code ?? firstLine(e);
}

/** The first line of what was thrown: one line is all a user is shown. */
export function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n', 1)[0]?.trim() || (e instanceof Error ? e.name : 'unknown error');
}
