// A stand-in for our CLI that answers through virsh itself, to check the harness:
//   DIFF_CLI="npx tsx test/differential/virsh-as-cli.ts" npx vitest run test/differential
// must report 0 mismatches. It takes the CLI's `format` arguments.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PARENTS } from './pieces.ts';
import { VIRSH, virshQuote } from './virsh.ts';
import { TEST_HOST_VMS } from '../../src/samples/index.ts';

const args = process.argv.slice(2);
const file = args.at(-1) ?? '';
const dir = dirname(file);
const vm = TEST_HOST_VMS.find((v) => v.uuid === args[args.indexOf('--vm-uuid') + 1]);
if (!vm) throw new Error('--vm-uuid names no VM of the fake host');
const flags = args.filter((a) => ['--no-domain', '--security-info', '--size'].includes(a));
const dom = `--domain ${virshQuote(vm.name)}`;
const setup = readdirSync(dir)
  .filter((f) => f.startsWith('parent-'))
  .map((f) => `checkpoint-create ${dom} --xmlfile ${virshQuote(join(dir, f))} --redefine`);
const create = `checkpoint-create ${dom} --xmlfile ${virshQuote(file)} --redefine`;

function virsh(commands: string[]): string {
  const script = commands.join('; ');
  const r = spawnSync(VIRSH, ['-c', `test://${join(dir, 'node.xml')}`, script], {
    encoding: 'utf8',
  });
  const at = r.stderr.indexOf('error: ');
  if (at >= 0) {
    process.stderr.write(r.stderr.slice(at));
    process.exit(1);
  }
  return r.stdout.split('@@@\n')[1] ?? '';
}

// The name as libvirt read it: the one checkpoint that is not a parent set up beforehand.
const name = virsh([...setup, create, 'echo @@@', `checkpoint-list ${dom} --name`])
  .split('\n')
  .find((n) => n !== '' && !PARENTS.includes(n));
const xml = virsh([
  ...setup,
  create,
  'echo @@@',
  `checkpoint-dumpxml ${dom} --checkpointname=${name} ${flags.join(' ')}`,
]);
// virsh prints a newline of its own after the XML.
process.stdout.write(xml.slice(0, -1));
