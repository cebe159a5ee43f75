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

/** Quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
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
 */
export function redefineScript(forest: Forest, options: RedefineScriptOptions = {}): string {
  const domain = options.domain ?? forestDomainName(forest);
  const target = domain ? shellQuote(domain) : '"$DOMAIN"';
  const lines = [
    '#!/bin/sh',
    `# Redefine ${forest.topological.length} checkpoint${forest.topological.length === 1 ? '' : 's'} of ${domain ?? 'the VM named by $DOMAIN'}, parents first.`,
    'set -e',
  ];
  if (!domain) lines.push(': "${DOMAIN:?set DOMAIN to the VM name}"');
  for (const key of forest.topological) {
    const file = options.fileOf?.(key) ?? forest.entries.get(key)?.file ?? `${key}.xml`;
    const flags = options.validate ? ' --redefine --redefine-validate' : ' --redefine';
    lines.push(`virsh checkpoint-create ${target} --xmlfile ${shellQuote(file)}${flags}`);
  }
  return lines.join('\n') + '\n';
}
