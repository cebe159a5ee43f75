// A stand-in for virsh over one VM whose state lives in a JSON file ($FAKE_VIRSH_STATE): it answers
// the questions the generated scripts ask as virsh 9.0 does (the same output, the same errors), and
// records each call (and, when the state has `cwds`, the folder it was called from). qemu-img stays
// the real one.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const file = process.env.FAKE_VIRSH_STATE;
const vm = JSON.parse(readFileSync(file, 'utf8'));
let args = process.argv.slice(2);
vm.calls.push(args);
vm.cwds?.push(process.cwd());
const save = () => writeFileSync(file, JSON.stringify(vm));
const fail = (message) => {
  save();
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
};
if (args[0] === '-c') args = args.slice(2);
const [command, ...rest] = args;
const option = (name) => {
  const i = rest.indexOf(name);
  return i < 0 ? undefined : rest[i + 1];
};
const domain = option('--domain');
if (domain !== vm.name) fail(`failed to get domain '${domain}'`);
if (vm.failNext === command) {
  delete vm.failNext;
  fail(`injected failure of ${command}`);
}
// `failOn`: every call with this argument (a checkpoint's file, say) fails, as a refusal would.
if (vm.failOn !== undefined && rest.includes(vm.failOn)) fail(`injected failure at ${vm.failOn}`);

// vshTableSafeEncode of tools/vsh-table.c under a UTF-8 locale: controls and the \ of \x as \xNN.
const cell = (s) =>
  [...s]
    .map((c, i, all) => {
      const cp = c.codePointAt(0);
      if (cp < 0x20 || cp === 0x7f || (c === '\\' && all[i + 1] === 'x'))
        return `\\x${cp.toString(16).padStart(2, '0')}`;
      if (cp >= 0x80 && cp <= 0x9f) return '\\xff\\xff';
      return c;
    })
    .join('');

let out = '';
switch (command) {
  case 'domstate':
    out = `${vm.state}\n\n`;
    break;
  case 'domuuid':
    out = `${vm.uuid}\n\n`;
    break;
  case 'checkpoint-list':
    out = vm.checkpoints.map((c) => `${c}\n`).join('') + '\n';
    break;
  case 'domblklist': {
    const rows = [
      ['Type', 'Device', 'Target', 'Source'],
      ...vm.disks.map((d) => ['file', 'disk', d.target, cell(d.source)]),
    ];
    const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
    const line = (r) =>
      r
        .map((c, j) => ` ${c}${j < r.length - 1 ? ' '.repeat(widths[j] - c.length + 2) : ''}`)
        .join('') + '\n';
    out =
      line(rows[0]) +
      '-'.repeat(widths.reduce((a, w) => a + w + 3, 0)) +
      '\n' +
      rows.slice(1).map(line).join('') +
      '\n';
    break;
  }
  case 'checkpoint-delete': {
    const name = option('--checkpointname');
    if (!vm.checkpoints.includes(name))
      fail(`Domain checkpoint not found: no domain checkpoint with matching name '${name}'`);
    vm.checkpoints = vm.checkpoints.filter((c) => c !== name);
    if (vm.checkpointDir) rmSync(`${vm.checkpointDir}/${name}.xml`);
    out = `Domain checkpoint ${name} deleted\n\n`;
    break;
  }
  case 'checkpoint-create': {
    const xml = readFileSync(option('--xmlfile'), 'utf8');
    const name = /<name>([^<]*)<\/name>/.exec(xml)[1].replace(/&lt;/g, '<').replace(/&amp;/g, '&');
    if (rest.includes('--redefine-validate') && vm.state !== 'running')
      fail('Requested operation is not valid: domain is not running');
    if (!vm.checkpoints.includes(name)) vm.checkpoints.push(name);
    out = `Domain checkpoint ${name} created\n`;
    break;
  }
  case 'qemu-monitor-command': {
    // Only what the scripts ask: query-named-block-nodes of a running VM, pretty, as libvirt 9.0
    // prints it (two spaces a level, `"key": value`), its bitmaps from `qmpBitmaps`.
    if (vm.state !== 'running') fail('Requested operation is not valid: domain is not running');
    const query = JSON.parse(rest[rest.length - 1]);
    if (query.execute !== 'query-named-block-nodes' || !rest.includes('--pretty'))
      fail(`unexpected QMP command ${rest[rest.length - 1]}`);
    const node = {
      'node-name': 'libvirt-1-format',
      drv: 'qcow2',
      'dirty-bitmaps': (vm.qmpBitmaps ?? []).map((name) => ({
        name,
        recording: true,
        persistent: true,
        busy: false,
        granularity: 65536,
        count: 0,
      })),
    };
    out = `${JSON.stringify({ return: [node], id: 'libvirt-412' }, null, 2)}\n`;
    break;
  }
  default:
    fail(`unknown command '${command}'`);
}
save();
process.stdout.write(out);
