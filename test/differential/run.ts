import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalDomains } from './canonical-domain.ts';
import { cliArgs, runCli } from './cli.ts';
import { compareAnswers } from './compare.ts';
import { generateCases } from './generate.ts';
import { askLibvirt, caseFile } from './libvirt.ts';
import { mapLimit } from './limit.ts';
import type { Outcome } from './report.ts';
import { TEST_HOST_VMS, testHostXml } from '../../src/samples/index.ts';

export interface DifferentialRun {
  outcomes: Outcome[];
  /** The temporary folder holding node.xml, every case file and virsh's outputs. */
  workDir: string;
  virshSeconds: number;
  cliSeconds: number;
}

/** Generates the cases, asks libvirt, then asks our CLI, and compares each pair of answers. */
export async function runDifferential(
  projectRoot: string,
  seed: number,
  count: number,
): Promise<DifferentialRun> {
  const workDir = mkdtempSync(join(tmpdir(), 'checkpoint-differential-'));
  const nodeXmlPath = join(workDir, 'node.xml');
  writeFileSync(nodeXmlPath, testHostXml(TEST_HOST_VMS));

  const started = performance.now();
  const domains = await canonicalDomains(workDir, nodeXmlPath, TEST_HOST_VMS);
  const cases = generateCases(seed, count, TEST_HOST_VMS, domains);
  const answers = await askLibvirt(workDir, nodeXmlPath, cases);
  const asked = performance.now();

  const outcomes = await mapLimit(cases, availableParallelism(), async (c): Promise<Outcome> => {
    const args = cliArgs(c, caseFile(workDir, c));
    const ours = await runCli(projectRoot, args);
    const libvirt = answers.get(c.id) ?? { ok: false, message: 'harness: virsh gave no answer' };
    return { case: c, args, libvirt, ours, comparison: compareAnswers(libvirt, ours) };
  });
  return {
    outcomes,
    workDir,
    virshSeconds: (asked - started) / 1000,
    cliSeconds: (performance.now() - asked) / 1000,
  };
}
