import type { CliResult } from './cli.ts';
import type { LibvirtAnswer } from './libvirt.ts';

export type Verdict = 'identical' | 'same-error' | 'mismatch';

export interface Comparison {
  verdict: Verdict;
  /** For a mismatch: what differs, in one line. */
  why?: string;
}

const CATEGORY = /^(XML error|unsupported configuration|invalid argument|internal error): /;

/**
 * What our stderr must carry of libvirt's error: the fact it states, without its category prefix;
 * for a schema failure only that it is one; for a file that is not well-formed, the line libxml2 named.
 */
export function errorKey(message: string): { text: string } | { line: number } {
  if (message.includes('failed to validate against schema')) {
    return { text: 'failed to validate against schema' };
  }
  const line = /^\(domain_checkpoint\):(\d+):/.exec(message);
  if (line) return { line: Number(line[1]) };
  // An error inside an entity's text: libvirt names the line in the entity; the fact is the key.
  const inEntity = /^at line \d+: (.*)/.exec(message);
  if (inEntity) return { text: inEntity[1] ?? '' };
  return { text: (message.split('\n')[0] ?? '').replace(CATEGORY, '').trim() };
}

const firstLine = (s: string): string => s.trim().split('\n')[0] ?? '';

function firstDifference(ours: string, theirs: string): string {
  const a = ours.split('\n');
  const b = theirs.split('\n');
  const i = b.findIndex((line, k) => a[k] !== line);
  const at = i < 0 ? b.length : i;
  return `line ${at + 1}: libvirt ${JSON.stringify(b[at] ?? '(end)')}, ours ${JSON.stringify(a[at] ?? '(end)')}`;
}

export function compareAnswers(libvirt: LibvirtAnswer, ours: CliResult): Comparison {
  if (libvirt.ok) {
    if (ours.code !== 0) {
      return {
        verdict: 'mismatch',
        why: `libvirt accepts; ours exits ${ours.code}: ${firstLine(ours.stderr)}`,
      };
    }
    if (ours.stdout === libvirt.xml) return { verdict: 'identical' };
    return {
      verdict: 'mismatch',
      why: `output differs at ${firstDifference(ours.stdout, libvirt.xml)}`,
    };
  }
  if (libvirt.message.startsWith('harness:')) return { verdict: 'mismatch', why: libvirt.message };
  if (ours.code !== 1) {
    const said =
      ours.code === 0 ? 'prints a checkpoint' : `exits ${ours.code}: ${firstLine(ours.stderr)}`;
    return {
      verdict: 'mismatch',
      why: `libvirt fails (${firstLine(libvirt.message)}); ours ${said}`,
    };
  }
  const key = errorKey(libvirt.message);
  const found =
    'text' in key
      ? ours.stderr.includes(key.text)
      : new RegExp(`(line ${key.line}\\b|:${key.line}:)`).test(ours.stderr);
  if (found) return { verdict: 'same-error' };
  const wanted = 'text' in key ? JSON.stringify(key.text) : `line ${key.line}`;
  return { verdict: 'mismatch', why: `ours fails without ${wanted}: ${firstLine(ours.stderr)}` };
}
