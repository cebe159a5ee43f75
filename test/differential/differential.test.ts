import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliCommand } from './cli.ts';
import { replayOracle } from './oracle.ts';
import { mismatchReport, summaryLine } from './report.ts';
import { runDifferential } from './run.ts';
import { VIRSH } from './virsh.ts';
import { createNodeValidator, loadSchemaSet } from '../../src/validation/node.ts';
import { skipWithout } from '../require.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const ORACLE = fileURLToPath(new URL('../../../shared/conformance/oracle', import.meta.url));
const SEED = Number(process.env['DIFF_SEED'] ?? 20240105);
const CASES = Number(process.env['DIFF_CASES'] ?? 200);

const noVirsh = skipWithout(existsSync(VIRSH), `${VIRSH} (apt-get install libvirt-clients)`);
const noOracle = skipWithout(existsSync(ORACLE), `the shared oracle cases in ${ORACLE}`);

describe.skipIf(noVirsh)('differential test against libvirt 9.0 (virsh, test driver)', () => {
  it.skipIf(noOracle)('virsh here answers the shared oracle cases as recorded', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'checkpoint-oracle-'));
    const disagreements = await replayOracle(workDir, ORACLE);
    rmSync(workDir, { recursive: true, force: true });
    expect(disagreements).toEqual([]);
  });

  it(
    'prints each generated checkpoint as virsh checkpoint-dumpxml does, or fails as libvirt does',
    async () => {
      if (!process.env['DIFF_CLI']) {
        const bin = join(projectRoot, 'bin/checkpoint-editor.mjs');
        expect(existsSync(bin), `the CLI ${bin} is missing`).toBe(true);
      }
      const run = await runDifferential(projectRoot, SEED, CASES);
      const accepted = run.outcomes.filter((o) => o.libvirt.ok).length;
      console.log(
        `${summaryLine(run.outcomes)} (seed ${SEED}; libvirt accepted ${accepted}, refused ` +
          `${run.outcomes.length - accepted}; virsh ${run.virshSeconds.toFixed(1)} s, ` +
          `CLI ${run.cliSeconds.toFixed(1)} s: ${cliCommand().join(' ')})`,
      );
      const mismatches = run.outcomes.filter((o) => o.comparison.verdict === 'mismatch');
      // Whatever libvirt accepts, what we print is accepted by libvirt's schema (real xmllint-wasm).
      const printed = run.outcomes.filter((o) => o.libvirt.ok && o.ours.code === 0);
      const validator = await createNodeValidator(await loadSchemaSet());
      try {
        const verdicts = await validator.validate(
          printed.map((o) => ({ fileName: `${o.case.id}.xml`, contents: o.ours.stdout })),
        );
        const refused = verdicts.filter((v) => !v.valid).map((v) => v.fileName);
        console.log(
          `differential: ${printed.length} outputs validated with xmllint-wasm, ${refused.length} refused`,
        );
        expect(refused).toEqual([]);
      } finally {
        validator.close();
      }
      if (mismatches.length === 0) rmSync(run.workDir, { recursive: true, force: true });
      expect(mismatches.length, mismatchReport(run.outcomes, run.workDir)).toBe(0);
    },
    // One CLI process per case, about half a second of CPU each (more on a busy machine).
    60_000 + CASES * 3_000,
  );
});
