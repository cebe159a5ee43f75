// `npx tsx bench/fleet.ts [--bundles 200] [--runs 5]`: `check --json` over a fleet/ folder of
// collect.sh bundles (issue 23's goal: 200 bundles in under 3 s), as a whole process. Not part of
// `npm run bench`: it makes its own inputs under bench/out/fleet-N and prints its figure.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OUT, PROJECT } from './build.ts';
import { summarize } from './stats.ts';

const { values } = parseArgs({
  options: {
    bundles: { type: 'string', default: '200' },
    runs: { type: 'string', default: '5' },
    hosts: { type: 'string', default: '10' },
    checkpoints: { type: 'string', default: '10' },
  },
});
const BUNDLES = Number(values.bundles);
const RUNS = Number(values.runs);
const HOSTS = Number(values.hosts);
const CHECKPOINTS = Number(values.checkpoints);
const DISKS = ['vda', 'vdb'];
/** GNU time (Debian's `time`): the child's CPU time. */
const TIME = '/usr/bin/time';

function domainXml(vm: string, uuid: string): string {
  const disks = DISKS.map(
    (d) => `    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/${vm}-${d}.qcow2'/>
      <target dev='${d}' bus='virtio'/>
    </disk>`,
  ).join('\n');
  return `<domain type='kvm'>
  <name>${vm}</name>
  <uuid>${uuid}</uuid>
  <memory unit='KiB'>4194304</memory>
  <vcpu placement='static'>2</vcpu>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
${disks}
    <interface type='network'><mac address='52:54:00:12:34:56'/><source network='default'/><model type='virtio'/></interface>
  </devices>
</domain>
`;
}

function checkpointXml(vm: string, uuid: string, i: number): string {
  const name = `bk.${i}`;
  const parent = i > 1 ? `  <parent>\n    <name>bk.${i - 1}</name>\n  </parent>\n` : '';
  const disks = DISKS.map(
    (d) => `    <disk name='${d}' checkpoint='bitmap' bitmap='${name}'/>`,
  ).join('\n');
  return `<domaincheckpoint>
  <name>${name}</name>
${parent}  <creationTime>${1700000000 + i * 86400}</creationTime>
  <disks>
${disks}
  </disks>
${domainXml(vm, uuid)}</domaincheckpoint>
`;
}

/** `qemu-img info --output=json --backing-chain` of a qcow2 holding every checkpoint's bitmap. */
function imageJson(vm: string, disk: string): string {
  const bitmaps = Array.from({ length: CHECKPOINTS }, (_, i) => ({
    flags: ['auto'],
    name: `bk.${i + 1}`,
    granularity: 65536,
  }));
  const image = {
    'virtual-size': 21474836480,
    filename: `/var/lib/libvirt/images/${vm}-${disk}.qcow2`,
    format: 'qcow2',
    'actual-size': 1073741824,
    'format-specific': {
      type: 'qcow2',
      data: {
        compat: '1.1',
        'compression-type': 'zlib',
        'lazy-refcounts': false,
        bitmaps,
        'refcount-bits': 16,
        corrupt: false,
        'extended-l2': false,
      },
    },
    'dirty-flag': false,
  };
  return `${JSON.stringify([image], null, 4)}\n`;
}

/** fleet/hostH/vmN-checkpoints.tar.gz, each as collect.sh packs it. */
function makeFleet(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  const work = join(dir, '..', `${dir.split('/').pop() ?? 'fleet'}-work`);
  rmSync(work, { recursive: true, force: true });
  for (let n = 0; n < BUNDLES; n++) {
    const host = `host${n % HOSTS}`;
    const vm = `vm${n}`;
    const uuid = `6d1c0b8e-2f3a-4c5d-9e7f-${n.toString(16).padStart(12, '0')}`;
    const folder = join(work, host, `${vm}-checkpoints`);
    mkdirSync(join(folder, 'checkpoints'), { recursive: true });
    mkdirSync(join(folder, 'images'));
    writeFileSync(join(folder, 'domain.xml'), domainXml(vm, uuid));
    for (let i = 1; i <= CHECKPOINTS; i++)
      writeFileSync(join(folder, 'checkpoints', `bk.${i}.xml`), checkpointXml(vm, uuid, i));
    for (const d of DISKS) writeFileSync(join(folder, 'images', `${d}.json`), imageJson(vm, d));
    mkdirSync(join(dir, host), { recursive: true });
    execFileSync(
      'tar',
      ['-czf', join(dir, host, `${vm}-checkpoints.tar.gz`), `${vm}-checkpoints`],
      {
        cwd: join(work, host),
      },
    );
  }
  rmSync(work, { recursive: true, force: true });
}

const fleet = join(OUT, `fleet-${BUNDLES}`);
process.stderr.write(
  `bench: ${BUNDLES} bundles (${CHECKPOINTS} checkpoints, ${DISKS.length} disks each) into ${fleet}\n`,
);
makeFleet(fleet);
// The bundle as `npm install` makes it: bin/ runs the sources through tsx where it is older.
execFileSync(process.execPath, [join(PROJECT, 'scripts', 'build-cli.mjs')], { stdio: 'ignore' });
const bin = join(PROJECT, 'bin', 'checkpoint-editor.mjs');

/**
 * One run as a whole process: its wall time, and its CPU time (user + system, by GNU time) — on a
 * shared machine under load the wall time is mostly waiting for a core, the CPU time is not.
 */
function run(): { wall: number; cpu: number } {
  const start = performance.now();
  const r = spawnSync(TIME, ['-f', '%U %S', process.execPath, bin, 'check', '--json', fleet], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wall = performance.now() - start;
  // check exits 0: every VM incremental, nothing in error.
  if (r.status !== 0) throw new Error(`check exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  const [user, system] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wall, cpu: ((user ?? NaN) + (system ?? NaN)) * 1000 };
}

const walls: number[] = [];
const cpus: number[] = [];
for (let i = 0; i < RUNS + 1; i++) {
  const { wall, cpu } = run();
  // The first warms the file cache.
  if (i > 0) {
    walls.push(wall);
    cpus.push(cpu);
  }
}
const wall = summarize(walls);
const cpu = summarize(cpus);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `check --json over ${BUNDLES} bundles (${BUNDLES * CHECKPOINTS} checkpoints), ${wall.n} runs: wall p50 ${secs(wall.p50)} (min ${secs(wall.min)}, max ${secs(wall.max)}); CPU p50 ${secs(cpu.p50)} (goal: under 3 s); load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`,
);
writeFileSync(
  join(OUT, `fleet-${BUNDLES}.json`),
  `${JSON.stringify({ bundles: BUNDLES, checkpoints: CHECKPOINTS, wall, cpu, load: loadavg()[0] }, null, 2)}\n`,
);
