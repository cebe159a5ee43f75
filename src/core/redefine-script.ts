import { domainName } from './domain.ts';
import type { Forest } from './forest.ts';
import type { LeftOutReason, RedefinePlan } from './redefine-plan.ts';
import { leftOutSummary, planRedefine } from './redefine-plan.ts';

export interface RedefineScriptOptions {
  /** The VM to redefine on; by default the name the checkpoints' <domain> carries. */
  domain?: string;
  /** Add --redefine-validate, so libvirt checks each bitmap against the disks. */
  validate?: boolean;
  /** The name each file is written under (by the checkpoint's key and the file it came from); by default the file's own. */
  fileOf?: (key: string, file: string) => string;
  /** What to redefine and what to leave out; by default planRedefine(forest). */
  plan?: RedefinePlan;
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

/** What the script says at run time of a checkpoint it leaves out: fixed words, no name from a file. */
const LEFT_OUT_WORDS: Record<LeftOutReason['kind'], string> = {
  'parent-missing': 'its parent is not among the files',
  cycle: 'its parents go round in a cycle',
  refused: 'libvirt refuses this file (see the editor)',
  below: 'a checkpoint above it is left out',
  duplicate: 'another file defines the same checkpoint',
};

/**
 * A shell script that redefines the checkpoints libvirt will take, each root's subtree together,
 * parents first (libvirt links a checkpoint to its parent only if the parent is defined already),
 * and says what it leaves out and why: counted in its comments, named at run time.
 *
 * It runs from anywhere (it reads the files beside it), takes `-c URI` (else virsh connects to
 * `$LIBVIRT_DEFAULT_URI` or its default) and stops at the first checkpoint libvirt refuses, naming
 * it. Names come from the files, so they are never written into a comment, always quoted, and
 * given to virsh as option values (`--domain NAME`, `--xmlfile FILE`): virsh takes the word after
 * an option as its value even when it starts with `-`.
 */
export function redefineScript(forest: Forest, options: RedefineScriptOptions = {}): string {
  const domain = options.domain ?? forestDomainName(forest);
  const plan = options.plan ?? planRedefine(forest);
  const count = plan.order.length;
  const fileOf = (key: string, file: string) => options.fileOf?.(key, file) ?? file;
  const lines = [
    '#!/bin/sh',
    `# Redefines ${count} checkpoint${count === 1 ? '' : 's'} on the VM named by DOMAIN with virsh checkpoint-create --redefine:`,
    '# each root with all below it, parents first, as libvirt links a checkpoint only to a parent it has.',
  ];
  if (plan.leftOut.length) {
    const n = plan.leftOut.length;
    lines.push(
      `# Left out: ${n} checkpoint${n === 1 ? '' : 's'} libvirt would refuse, or that would replace another (${leftOutSummary(plan.leftOut).join(', ')}).`,
      '# Each is named by a left_out line below and said when the script runs.',
    );
  }
  const files = plan.order.map((key) => {
    const file = forest.entries.get(key)?.file ?? `${key}.xml`;
    return fileOf(key, file);
  });
  if (
    plan.order.some((key, i) => files[i] !== forest.entries.get(key)?.file) ||
    plan.leftOut.some((l) => fileOf(l.key, l.file) !== l.file)
  ) {
    lines.push('# Files are named as they were written out, not all as they were opened.');
  }
  lines.push(
    '# Names from the files are quoted; characters that do not print are written as printf escapes.',
    '# Run it from anywhere: it reads the files beside it. Usage: sh SCRIPT [-c URI]',
    '# Without -c, virsh connects to $LIBVIRT_DEFAULT_URI, or to its default.',
    'set -e',
    'uri=',
    'while getopts c: opt; do',
    '  case $opt in',
    '    c) uri=$OPTARG ;;',
    `    *) echo "usage: $0 [-c URI]" >&2; exit 2 ;;`,
    '  esac',
    'done',
    'cd "$(dirname "$0")"',
    domain ? shellAssignment('DOMAIN', domain) : ': "${DOMAIN:?set DOMAIN to the VM name}"',
    'run_virsh() {',
    '  if [ -n "$uri" ]; then virsh -c "$uri" "$@"; else virsh "$@"; fi',
    '}',
    '# redefine CHECKPOINT FILE: stops the script, naming the checkpoint, if libvirt refuses it.',
    'redefine() {',
    `  if ! run_virsh checkpoint-create --domain "$DOMAIN" --xmlfile "$2" ${options.validate ? '--redefine --redefine-validate' : '--redefine'}; then`,
    '    printf \'Stopped at checkpoint %s (file %s): libvirt refused it; the checkpoints after it were not redefined.\\n\' "$1" "$2" >&2',
    '    exit 1',
    '  fi',
    '}',
  );
  if (plan.leftOut.length) {
    lines.push(
      '# left_out FILE WHY: a checkpoint this script does not redefine.',
      'left_out() {',
      '  printf \'Left out: %s: %s\\n\' "$1" "$2" >&2',
      '}',
    );
    for (const l of plan.leftOut) {
      const file = shellWord(lines, 'file', fileOf(l.key, l.file));
      lines.push(`left_out ${file} ${shellQuote(LEFT_OUT_WORDS[l.reason.kind])}`);
    }
  }
  plan.order.forEach((key, i) => {
    const name = shellWord(lines, 'name', key);
    const file = shellWord(lines, 'file', files[i] as string);
    lines.push(`redefine ${name} ${file}`);
  });
  lines.push(`echo 'Redefined ${count} checkpoint${count === 1 ? '' : 's'}.'`);
  return lines.join('\n') + '\n';
}
