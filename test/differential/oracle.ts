import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorKey } from './compare.ts';
import { readAnswer, runVirsh, virshQuote } from './virsh.ts';

const DUMP_FLAGS = new Set(['--no-domain', '--security-info', '--size']);

/**
 * Replays the shared oracle cases (answered by libvirt 9.0.0 when they were recorded) on the virsh
 * installed here, and returns each case whose answer differs: the harness trusts this virsh only
 * if it still answers as recorded.
 */
export async function replayOracle(workDir: string, oracleDir: string): Promise<string[]> {
  const nodeXmlPath = join(oracleDir, 'node.xml');
  const cases = readdirSync(oracleDir)
    .filter((name) => existsSync(join(oracleDir, name, 'input.xml')))
    .sort();
  const disagreements: string[] = [];
  // One session per case: the recorded answers were each taken from a fresh host.
  for (const name of cases) {
    const dir = join(oracleDir, name);
    const args = readFileSync(join(dir, 'args'), 'utf8').trim().split(/\s+/);
    const input = readFileSync(join(dir, 'input.xml'), 'utf8');
    const checkpoint = /<name>([a-zA-Z0-9_.-]+)<\/name>/.exec(input)?.[1] ?? 'none';
    const flags = args.filter((a) => DUMP_FLAGS.has(a)).join(' ');
    const sections = await runVirsh(workDir, nodeXmlPath, `oracle-${name}`, [
      {
        key: 'create',
        command: `checkpoint-create QEMUGuest1 --xmlfile ${virshQuote(join(dir, 'input.xml'))} --redefine`,
      },
      {
        key: 'dump',
        command: `checkpoint-dumpxml QEMUGuest1 --checkpointname=${checkpoint} ${flags}`,
      },
    ]);
    const created = readAnswer(sections.get('create'));
    const dump = readAnswer(sections.get('dump'));
    // An error is compared by what the CLI is held to: its key (schema errors word their detail freely).
    const got = !created.ok
      ? JSON.stringify(errorKey(created.message))
      : dump.ok
        ? dump.text.slice(0, -1)
        : dump.message;
    const expected = existsSync(join(dir, 'expected.xml'))
      ? readFileSync(join(dir, 'expected.xml'), 'utf8')
      : JSON.stringify(errorKey(readFileSync(join(dir, 'expected.err'), 'utf8').trim()));
    if (got !== expected)
      disagreements.push(`${name}: virsh here says\n${got}\nrecorded:\n${expected}`);
  }
  return disagreements;
}
