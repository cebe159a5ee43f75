import { domainName } from './domain.ts';
import type { Forest } from './forest.ts';

export interface RedefineScriptOptions {
  /** The VM to redefine on; by default the name the checkpoints' <domain> carries. */
  domain?: string;
  /** Add --redefine-validate, so libvirt checks each bitmap against the disks. */
  validate?: boolean;
  /** The file name each checkpoint is written to; by default the file it came from. */
  fileOf?: (key: string) => string;
}

/** Characters a reader of the script would not see, or that turn the text around them. */
const UNSEEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const UNSEEN_ALL = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/**
 * Quotes a word for a POSIX shell: the shell reads it back exactly, whatever it holds (newlines and
 * control characters included; a NUL cannot be in an argument at all). A word starting with `-`
 * stays a word to the shell: the command it goes to must take it as an option's value.
 */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * `name=value` for a POSIX shell. A value with characters that do not print is written as a
 * printf format with each such character as octal escapes of its UTF-8 bytes, so the script reads
 * as what it runs (no line break, terminal escape or bidi override in its text). The `.` printed
 * after the value keeps trailing newlines from being dropped by the command substitution.
 */
export function shellAssignment(name: string, value: string): string {
  if (!UNSEEN.test(value)) return `${name}=${shellQuote(value)}`;
  const encoder = new TextEncoder();
  const format = value
    .replace(/[\\%]/g, (c) => (c === '%' ? '%%' : '\\\\'))
    .replace(UNSEEN_ALL, (c) =>
      [...encoder.encode(c)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join(''),
    )
    // A format starting with `-` would be read as an option of printf.
    .replace(/^-/, '\\055');
  return `${name}=$(printf ${shellQuote(`${format}.`)}); ${name}=\${${name}%.}`;
}

/**
 * A value as one word of a command: quoted in place, or, when it has characters that do not
 * print, assigned to `variable` first (a line pushed onto `lines`) and given as `"$variable"`.
 */
export function shellWord(lines: string[], variable: string, value: string): string {
  if (!UNSEEN.test(value)) return shellQuote(value);
  lines.push(shellAssignment(variable, value));
  return `"$${variable}"`;
}

/** The VM name most checkpoints' <domain> gives, if any does. */
export function forestDomainName(forest: Forest): string | undefined {
  const counts = new Map<string, number>();
  for (const entry of forest.entries.values()) {
    const name = entry.checkpoint.domain && domainName(entry.checkpoint.domain);
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * A shell script that redefines every checkpoint in topological order: libvirt needs a parent
 * redefined before its children for the chain to link up.
 *
 * Names come from the files, so they are never written into a comment, always quoted, and given to
 * virsh as option values (`--domain NAME`, `--xmlfile FILE`): virsh takes the word after an option
 * as its value even when it starts with `-`.
 */
export function redefineScript(forest: Forest, options: RedefineScriptOptions = {}): string {
  const domain = options.domain ?? forestDomainName(forest);
  const count = forest.topological.length;
  const lines = [
    '#!/bin/sh',
    `# Redefines ${count} checkpoint${count === 1 ? '' : 's'}, parents first, on the VM named by DOMAIN.`,
    '# Names from the files are quoted; characters that do not print are written as printf escapes.',
    'set -e',
    domain ? shellAssignment('DOMAIN', domain) : ': "${DOMAIN:?set DOMAIN to the VM name}"',
  ];
  const flags = options.validate ? ' --redefine --redefine-validate' : ' --redefine';
  const files = forest.topological.map(
    (key) => options.fileOf?.(key) ?? forest.entries.get(key)?.file ?? `${key}.xml`,
  );
  if (files.some((f, i) => f !== forest.entries.get(forest.topological[i] ?? '')?.file)) {
    lines.splice(3, 0, '# Files are named as they were written out, not all as they were opened.');
  }
  for (const file of files) {
    const word = shellWord(lines, 'file', file);
    lines.push(`virsh checkpoint-create --domain "$DOMAIN" --xmlfile ${word}${flags}`);
  }
  return lines.join('\n') + '\n';
}
