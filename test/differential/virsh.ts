import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const VIRSH = '/usr/bin/virsh';

/** One virsh command whose output is wanted, under a key unique within the batch. */
export interface VirshStep {
  key: string;
  command: string;
}

const MARK = /^@@DIFFERENTIAL-MARK:(.*)@@\n/m;

/** Quotes one argument for virsh's own command parser; the harness never needs a quote inside. */
export function virshQuote(arg: string): string {
  if (/['\\]/.test(arg)) throw new Error(`cannot quote ${arg} for virsh`);
  return `'${arg}'`;
}

/**
 * Runs the steps in one virsh session on the test driver, so they share its in-memory state, and
 * returns what each step printed (stdout and stderr interleaved). virsh goes on after a failing
 * command; an `echo` marker before each step tells the outputs apart.
 */
export async function runVirsh(
  workDir: string,
  nodeXmlPath: string,
  batch: string,
  steps: readonly VirshStep[],
): Promise<Map<string, string>> {
  const script = steps.map((s) => `echo @@DIFFERENTIAL-MARK:${s.key}@@; ${s.command}`).join('; ');
  // One file for both streams keeps their order (virsh flushes its output after each command).
  const outPath = join(workDir, `virsh-${batch}.out`);
  const fd = openSync(outPath, 'w');
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(VIRSH, ['-c', `test://${nodeXmlPath}`, script], {
        stdio: ['ignore', fd, fd],
        env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
      });
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code === null) throw new Error(`virsh was killed (batch ${batch})`);
  } finally {
    closeSync(fd);
  }
  return splitSections(readFileSync(outPath, 'utf8'));
}

function splitSections(output: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = output.split(MARK);
  // parts: [before the first marker, key1, text1, key2, text2, …]
  for (let i = 1; i + 1 < parts.length; i += 2) {
    sections.set(parts[i] as string, parts[i + 1] as string);
  }
  return sections;
}

/** What virsh said for one command: its error (without `error: `), or what it printed. */
export type VirshAnswer = { ok: true; text: string } | { ok: false; message: string };

export function readAnswer(section: string | undefined): VirshAnswer {
  if (section === undefined) return { ok: false, message: '(virsh printed nothing for this step)' };
  const at = section.search(/^error: /m);
  if (at >= 0) return { ok: false, message: section.slice(at + 'error: '.length).trim() };
  return { ok: true, text: section };
}
