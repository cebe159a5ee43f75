import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/core/index.ts';
import { imageDir } from '../images/qemu-img.ts';
import { checkpointXml, domainXml } from '../images/scenario.ts';
import type { CheckJson } from '../../src/cli/check-json.ts';
import { runMain, startCli } from './run-cli.ts';

/**
 * A stand-in virsh and qemu-img on PATH: each logs its arguments one a line (so a test sees
 * exactly the argument vector, as no shell would split or expand it) and answers as libvirt would
 * for a VM named by the test, shut off or running.
 */
const FAKE_VIRSH = `#!/bin/sh
for a in "$@"; do printf '%s\\n' "$a"; done >>"$FAKE_LOG"
echo --- >>"$FAKE_LOG"
cd "$FAKE_DIR"
while [ "$#" -gt 0 ]; do
  case $1 in
    -q) shift ;;
    -c) shift 2 ;;
    *) break ;;
  esac
done
cmd=$1
shift
dom=$2
# What a test asks of this call: a link planted meanwhile, no answer, a refusal.
if [ "$cmd" = "\${FAKE_PLANT_ON:-}" ]; then ln -s "$FAKE_PLANT_TO" "$FAKE_PLANT_AT"; fi
if [ "$cmd" = "\${FAKE_SLEEP_ON:-}" ]; then exec sleep 30; fi
if [ "$cmd" = "\${FAKE_FAIL_ON:-}" ]; then echo "error: $cmd refused" >&2; exit 1; fi
# virConnectGetHostname: the host check --connect names the VM's.
if [ "$cmd" = hostname ]; then echo kvm-fake; exit 0; fi
[ "$dom" = "$FAKE_DOMAIN" ] || { echo "error: failed to get domain '$dom'" >&2; exit 1; }
case $cmd in
  domstate) cat state ;;
  dumpxml) cat domain.xml ;;
  checkpoint-list) cat names ;;
  checkpoint-dumpxml) cat "checkpoint-$4.xml" ;;
  domblklist) cat blklist ;;
  qemu-monitor-command) echo '{"return":[]}' ;;
  *) exit 3 ;;
esac
`;
const FAKE_QEMU_IMG = `#!/bin/sh
for a in "$@"; do printf '%s\\n' "$a"; done >>"$FAKE_LOG"
echo --- >>"$FAKE_LOG"
if [ "\${FAKE_PLANT_ON:-}" = qemu-img ]; then ln -s "$FAKE_PLANT_TO" "$FAKE_PLANT_AT"; fi
if [ "\${FAKE_SLEEP_ON:-}" = qemu-img ]; then exec sleep 30; fi
for last; do :; done
printf '[{"filename":"%s","format":"qcow2","virtual-size":1048576,"format-specific":{"type":"qcow2","data":{"compat":"1.1","corrupt":false,"bitmaps":[{"name":"bk.1","granularity":65536,"flags":["auto"]}]}}}]\\n' "$last"
`;

const SCRIPT = resolve(import.meta.dirname, '..', '..', 'scripts', 'collect.sh');

// A name a shell would split and expand: it must reach virsh as one argument, as it is.
const DOMAIN = `web 01 $(touch pwned) 'q'`;
const SOURCE = '/var/lib/libvirt/images/web 01 $(id).qcow2';

describe('collect and check --connect, against a stand-in virsh and qemu-img', () => {
  const work = imageDir('collect-cli');
  const bin = join(work.dir, 'bin');
  const fake = join(work.dir, 'fake');
  const log = join(work.dir, 'log');
  const saved = { ...process.env };
  beforeAll(() => {
    mkdirSync(bin);
    mkdirSync(fake);
    writeFileSync(join(bin, 'virsh'), FAKE_VIRSH);
    writeFileSync(join(bin, 'qemu-img'), FAKE_QEMU_IMG);
    chmodSync(join(bin, 'virsh'), 0o755);
    chmodSync(join(bin, 'qemu-img'), 0o755);
    const disks = [{ target: 'vda', source: SOURCE }];
    writeFileSync(join(fake, 'domain.xml'), domainXml(DOMAIN, disks).trim() + '\n');
    writeFileSync(join(fake, 'names'), 'bk.1\n../../escape\n');
    writeFileSync(
      join(fake, 'checkpoint-bk.1.xml'),
      checkpointXml(DOMAIN, disks, 'bk.1', 1, undefined, ['vda']),
    );
    writeFileSync(
      join(fake, 'blklist'),
      ` file   disk    vda   ${SOURCE}\n file   cdrom   hdc   -\n network disk vdc pool/vol\n`,
    );
    Object.assign(process.env, {
      PATH: `${bin}:${process.env['PATH']}`,
      FAKE_LOG: log,
      FAKE_DIR: fake,
      FAKE_DOMAIN: DOMAIN,
    });
  });
  afterAll(() => {
    process.env = saved;
    work.remove();
  });
  const calls = () =>
    readFileSync(log, 'utf8')
      .split('---\n')
      .filter(Boolean)
      .map((c) => c.trimEnd().split('\n'));

  it('writes the folder and its .tar.gz as scripts/collect.sh does, every name one argument', async () => {
    writeFileSync(join(fake, 'state'), 'shut off\n');
    writeFileSync(log, '');
    const dir = join(work.dir, 'out');
    const r = await runMain('collect', '--connect', 'qemu:///system', DOMAIN, dir);
    expect(r.err).toBe(
      "skipped checkpoint '../../escape': not a file name\nskipped disk vdc: no local file or block device (network pool/vol)\n",
    );
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      `wrote ${dir}/domain.xml (virsh dumpxml, the VM shut off)`,
      `wrote ${dir}/checkpoints/bk.1.xml (virsh checkpoint-dumpxml)`,
      `wrote ${dir}/images/vda.json (qemu-img info -f qcow2 of ${SOURCE})`,
      `wrote ${dir}.tar.gz (the folder, to open in the checkpoint editor)`,
      '',
    ]);
    expect(calls()).toEqual([
      ['-q', '-c', 'qemu:///system', 'domstate', '--domain', DOMAIN],
      ['-q', '-c', 'qemu:///system', 'dumpxml', '--domain', DOMAIN],
      [
        '-q',
        '-c',
        'qemu:///system',
        'checkpoint-list',
        '--domain',
        DOMAIN,
        '--name',
        '--topological',
      ],
      [
        '-q',
        '-c',
        'qemu:///system',
        'checkpoint-dumpxml',
        '--domain',
        DOMAIN,
        '--checkpointname',
        'bk.1',
      ],
      ['-q', '-c', 'qemu:///system', 'domblklist', '--domain', DOMAIN, '--details'],
      ['info', '--output=json', '--backing-chain', '-U', '-f', 'qcow2', '--', SOURCE],
    ]);
    expect(existsSync(join(fake, 'pwned'))).toBe(false);
    expect(existsSync(join(work.dir, 'escape.xml'))).toBe(false);
    const bundle = await readBundle(new Uint8Array(readFileSync(`${dir}.tar.gz`)), 'tar.gz');
    expect(bundle.ok && bundle.value.entries.map((e) => e.path).sort()).toEqual([
      'out/checkpoints/bk.1.xml',
      'out/domain.xml',
      'out/images/vda.json',
    ]);
    expect(bundle.ok && bundle.value.skipped).toEqual([]);

    const again = await runMain('collect', DOMAIN, dir);
    expect(again.code).toBe(2);
    expect(again.err).toBe(`error: ${dir} already exists: move it away first\n`);
  });

  it('asks QEMU while the VM runs; check --connect prints check’s lines for the collected folder', async () => {
    writeFileSync(join(fake, 'state'), 'running\n');
    writeFileSync(log, '');
    const r = await runMain('check', '--connect', 'qemu:///system', DOMAIN);
    expect(calls().map((c) => c[3])).toEqual([
      'domstate',
      'dumpxml',
      'checkpoint-list',
      'checkpoint-dumpxml',
      'qemu-monitor-command',
      'hostname',
    ]);
    expect(calls()[4]?.slice(-2)).toEqual([
      '--cmd',
      '{"execute":"query-named-block-nodes","arguments":{"flat":true}}',
    ]);
    // QMP answered with no node: the disk has no image, and the VM's readiness is not known.
    expect(r.out).toContain(`${DOMAIN}-checkpoints/checkpoints/bk.1.xml:1: bk.1: vda no image`);
    expect(r.code).toBe(1);
    expect(r.err).toBe("skipped checkpoint '../../escape': not a file name\n");
    // The temporary folder is gone.
    expect(readdirSync(work.dir).sort()).toEqual(['bin', 'fake', 'log', 'out', 'out.tar.gz']);

    // --json names the host: a local URI's is libvirt's answer to virsh hostname.
    writeFileSync(log, '');
    const json = await runMain('check', '--connect', 'qemu:///system', '--json', DOMAIN);
    expect(calls().map((c) => c[3])).toContain('hostname');
    expect((JSON.parse(json.out) as CheckJson).vms.map((v) => v.host)).toEqual(['kvm-fake']);
    const ssh = await runMain('check', '--connect', 'qemu+ssh://kvm7/system', '--json', DOMAIN);
    expect((JSON.parse(ssh.out) as CheckJson).vms.map((v) => v.host)).toEqual(['kvm7']);

    writeFileSync(join(fake, 'state'), 'shut off\n');
    writeFileSync(join(fake, 'names'), 'bk.1\n');
    const off = await runMain('check', '--connect', 'qemu:///system', DOMAIN);
    expect(off.out.split('\n').slice(-3)).toEqual([
      'vda: incremental since bk.1',
      // The VM's line names the host, as check names a VM of fleet/ (`web01 on kvm1`).
      `${DOMAIN} on kvm-fake: incremental since bk.1`,
      '',
    ]);
    expect(off.code).toBe(0);
    const onSsh = await runMain('check', '--connect', 'qemu+ssh://kvm7/system', DOMAIN);
    expect(onSsh.out.split('\n').slice(-2)).toEqual([
      `${DOMAIN} on kvm7: incremental since bk.1`,
      '',
    ]);
  });

  it('says what it cannot do: an unknown domain, a usage error', async () => {
    const none = await runMain('check', '--connect', 'qemu:///system', 'nosuch');
    expect(none.code).toBe(2);
    expect(none.err).toBe(
      "error: virsh -q -c qemu:///system domstate --domain nosuch: failed to get domain 'nosuch'\n",
    );
    const extra = await runMain('check', '--connect', 'qemu:///system', 'a', 'b');
    expect(extra.code).toBe(2);
    expect(extra.err.split('\n')[0]).toBe(
      'error: check --connect URI takes one DOMAIN and nothing else',
    );
    const usage = await runMain('collect', 'a');
    expect(usage.code).toBe(2);
    expect(usage.err.split('\n')[0]).toBe('error: collect takes DOMAIN DIR');
  });
  /** Runs with FAKE_* set for this call only: links planted, commands silent or refusing. */
  async function withFake<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
    Object.assign(process.env, env);
    try {
      return await run();
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
    }
  }
  const present = (path: string) => {
    try {
      lstatSync(path);
      return true;
    } catch {
      return false;
    }
  };
  const shutOff = () => {
    writeFileSync(join(fake, 'state'), 'shut off\n');
    writeFileSync(join(fake, 'names'), 'bk.1\n');
    writeFileSync(log, '');
  };

  it('a folder others may write to without the sticky bit: refused before virsh is asked, by the CLI and by collect.sh', async () => {
    shutOff();
    const shared = join(work.dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const dir = join(shared, 'out');
    const r = await runMain('collect', DOMAIN, dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: ${shared} may be written by other users and has no sticky bit: one of them could swap DIR for a link; collect into a folder only you can write to\n`,
    );
    const sh = spawnSync('sh', [SCRIPT, 'web01'], { cwd: shared, encoding: 'utf8' });
    expect([sh.status, sh.stderr]).toEqual([
      1,
      `collect.sh: ${shared} may be written by other users and has no sticky bit: one of them could swap this run's folder for a link; run collect.sh in a folder only you can write to\n`,
    ]);
    expect(readFileSync(log, 'utf8')).toBe('');
    expect(readdirSync(shared)).toEqual([]);

    // Group-writable likewise; with the sticky bit (as /tmp) the run goes on.
    chmodSync(shared, 0o770);
    expect((await runMain('collect', DOMAIN, dir)).code).toBe(2);
    chmodSync(shared, 0o1777);
    const sticky = await runMain('collect', DOMAIN, dir);
    expect([sticky.code, sticky.err]).toEqual([
      0,
      'skipped disk vdc: no local file or block device (network pool/vol)\n',
    ]);
    expect(readdirSync(shared).sort()).toEqual(['out', 'out.tar.gz']);
  });

  it('a link at DIR or at DIR.tar.gz before the run: refused, nothing written through it', async () => {
    shutOff();
    const victim = join(work.dir, 'victim-before');
    mkdirSync(victim);
    const dir = join(work.dir, 'linked-dir');
    symlinkSync(victim, dir);
    const r = await runMain('collect', DOMAIN, dir);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`error: ${dir} already exists: move it away first\n`);
    expect(readdirSync(victim)).toEqual([]);

    // A dangling link where the archive goes: no file may appear at its target.
    const dangling = join(work.dir, 'nowhere-before');
    const other = join(work.dir, 'dangling');
    symlinkSync(dangling, `${other}.tar.gz`);
    const d = await runMain('collect', DOMAIN, other);
    expect(d.code).toBe(2);
    expect(d.err).toBe(`error: ${other}.tar.gz already exists: move it away first\n`);
    expect(present(dangling)).toBe(false);
    expect(present(other)).toBe(false);
  });

  it('links planted during the run: nothing written through them; the run fails, saying so, and removes what it made', async () => {
    shutOff();
    // A link at DIR itself, planted once collect has looked (mkdir must not take it).
    const victim = join(work.dir, 'victim-during');
    mkdirSync(victim);
    const atDir = join(work.dir, 'during-dir');
    const r1 = await withFake(
      { FAKE_PLANT_ON: 'checkpoint-list', FAKE_PLANT_AT: atDir, FAKE_PLANT_TO: victim },
      () => runMain('collect', DOMAIN, atDir),
    );
    expect(r1.code).toBe(2);
    expect(r1.err).toBe(
      `error: ${atDir}: a symbolic link is there already: nothing written to it (move it away first)\n`,
    );
    expect(readdirSync(victim)).toEqual([]);

    // A dangling link where a checkpoint's file goes, planted while virsh dumps it.
    const atFile = join(work.dir, 'during-file');
    const nowhere = join(work.dir, 'nowhere-during');
    const planted = join(atFile, 'checkpoints', 'bk.1.xml');
    const r2 = await withFake(
      { FAKE_PLANT_ON: 'checkpoint-dumpxml', FAKE_PLANT_AT: planted, FAKE_PLANT_TO: nowhere },
      () => runMain('collect', DOMAIN, atFile),
    );
    expect(r2.code).toBe(2);
    expect(r2.err).toBe(
      `error: ${planted}: a symbolic link is there already: nothing written to it (move it away first)` +
        ` (left ${join(atFile, 'checkpoints')}: directory not empty (ENOTEMPTY); left ${atFile}: directory not empty (ENOTEMPTY))\n`,
    );
    expect(present(nowhere)).toBe(false);
    // What it wrote itself is gone; the planted link is not its to remove.
    expect(readdirSync(atFile)).toEqual(['checkpoints']);
    expect(readdirSync(join(atFile, 'checkpoints'))).toEqual(['bk.1.xml']);

    // A link to an existing file where the archive goes, planted while qemu-img runs.
    const precious = join(work.dir, 'precious');
    writeFileSync(precious, 'precious\n');
    const atArchive = join(work.dir, 'during-archive');
    const r3 = await withFake(
      { FAKE_PLANT_ON: 'qemu-img', FAKE_PLANT_AT: `${atArchive}.tar.gz`, FAKE_PLANT_TO: precious },
      () => runMain('collect', DOMAIN, atArchive),
    );
    expect(r3.code).toBe(2);
    expect(r3.err).toBe(
      `error: ${atArchive}.tar.gz: a symbolic link is there already: nothing written to it (move it away first)` +
        ` (removed ${atArchive}, which this run made)\n`,
    );
    expect(readFileSync(precious, 'utf8')).toBe('precious\n');
    expect(present(atArchive)).toBe(false);
    // Once the link is moved away, a rerun finishes the job.
    rmSync(`${atArchive}.tar.gz`);
    const again = await runMain('collect', DOMAIN, atArchive);
    expect(again.code).toBe(0);
    expect(existsSync(`${atArchive}.tar.gz`)).toBe(true);
  });

  it('fails half-way: removes its DIR, says so; a rerun then works', async () => {
    shutOff();
    const dir = join(work.dir, 'half-way');
    const r = await withFake({ FAKE_FAIL_ON: 'domblklist' }, () => runMain('collect', DOMAIN, dir));
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: virsh -q domblklist --domain ${DOMAIN} --details: domblklist refused (removed ${dir}, which this run made)\n`,
    );
    expect(present(dir)).toBe(false);
    expect(present(`${dir}.tar.gz`)).toBe(false);
    const again = await runMain('collect', DOMAIN, dir);
    expect(again.code).toBe(0);
  });

  it('a command that does not answer: stopped after --timeout, said in whole seconds', async () => {
    shutOff();
    // virsh silent: the run fails and removes its DIR.
    const dir = join(work.dir, 'silent');
    const start = Date.now();
    const r = await withFake({ FAKE_SLEEP_ON: 'domblklist' }, () =>
      runMain('collect', '--timeout', '1', DOMAIN, dir),
    );
    expect(Date.now() - start).toBeLessThan(20_000);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `error: virsh -q domblklist --domain ${DOMAIN} --details: no answer in 1 s (removed ${dir}, which this run made)\n`,
    );
    expect(present(dir)).toBe(false);
    // qemu-img silent on a disk: that disk is skipped, saying so, and the rest collected.
    const disk = join(work.dir, 'silent-disk');
    const q = await withFake({ FAKE_SLEEP_ON: 'qemu-img' }, () =>
      runMain('collect', '--timeout', '2', DOMAIN, disk),
    );
    expect(q.err.split('\n')[0]).toBe(
      `skipped disk vda: qemu-img info --output=json --backing-chain -U -f qcow2 -- ${SOURCE}: no answer in 2 s`,
    );
    expect(q.code).toBe(1);
    expect(existsSync(`${disk}.tar.gz`)).toBe(true);
    const usage = await runMain('collect', '--timeout', '1.5', DOMAIN, dir);
    expect(usage.err.split('\n')[0]).toBe('error: --timeout takes whole seconds, 1 to 999999');
  });

  it('killed (SIGTERM, SIGINT): check --connect removes its temporary folder, collect its DIR', async () => {
    shutOff();
    const tmp = join(work.dir, 'tmp');
    mkdirSync(tmp);
    for (const [args, signal, status] of [
      [['check', '--connect', 'qemu:///system', DOMAIN], 'SIGTERM', 143],
      [['collect', DOMAIN, join(work.dir, 'killed')], 'SIGINT', 130],
    ] as const) {
      // The real command line, signalled once virsh is asked for the disks.
      const r = await withFake({ FAKE_SLEEP_ON: 'domblklist', TMPDIR: tmp }, async () => {
        writeFileSync(log, '');
        const run = startCli(args, 60_000);
        const deadline = Date.now() + 40_000;
        while (!readFileSync(log, 'utf8').includes('domblklist') && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 50));
        run.child.kill(signal);
        return run.done;
      });
      expect(r.timedOut).toBe(false);
      expect(r.err).toContain(`error: interrupted by ${signal}`);
      expect(r.code).toBe(status);
      // (tsx, running the sources, keeps its cache there too)
      expect(readdirSync(tmp).filter((n) => n.startsWith('checkpoint-editor'))).toEqual([]);
    }
    expect(present(join(work.dir, 'killed'))).toBe(false);
  });

  it('QEMU refuses the QMP query: each disk read with qemu-img info -U instead, said so; the run finishes', async () => {
    writeFileSync(join(fake, 'state'), 'running\n');
    writeFileSync(join(fake, 'names'), 'bk.1\n');
    writeFileSync(log, '');
    const dir = join(work.dir, 'no-qmp');
    const r = await withFake({ FAKE_FAIL_ON: 'qemu-monitor-command' }, () =>
      runMain('collect', DOMAIN, dir),
    );
    expect(r.err.split('\n')[0]).toBe(
      `QEMU did not answer (virsh -q qemu-monitor-command --domain ${DOMAIN} --cmd {"execute":"query-named-block-nodes","arguments":{"flat":true}}: qemu-monitor-command refused): reading each disk with qemu-img info -U instead (bitmaps as of the last shutdown)`,
    );
    expect(r.out).toContain(`wrote ${dir}/images/vda.json (qemu-img info -f qcow2 of ${SOURCE})`);
    expect(r.code).toBe(0);
    expect(existsSync(`${dir}.tar.gz`)).toBe(true);
    expect(present(join(dir, 'images', 'qmp.json'))).toBe(false);
  });

  it('a disk whose <driver type> names no format, a checkpoint name too long for a file: skipped, said so', async () => {
    shutOff();
    const saved = readFileSync(join(fake, 'domain.xml'), 'utf8');
    const long = 'a'.repeat(252);
    writeFileSync(join(fake, 'domain.xml'), saved.replace(/ type='qcow2'/, ''));
    writeFileSync(join(fake, 'names'), `bk.1\n${long}\n`);
    try {
      const dir = join(work.dir, 'no-format');
      const r = await runMain('collect', DOMAIN, dir);
      expect(r.err).toBe(
        `skipped checkpoint '${long}': NAME.xml is over 255 bytes, too long for a file name\n` +
          'skipped disk vda: its <driver type> names no format, and qemu-img must not guess one\n' +
          'skipped disk vdc: no local file or block device (network pool/vol)\n',
      );
      expect(r.code).toBe(1);
      expect(calls().some((c) => c[0] === 'info')).toBe(false);
      expect(existsSync(`${dir}.tar.gz`)).toBe(true);
    } finally {
      writeFileSync(join(fake, 'domain.xml'), saved);
    }
  });

  it('packs the folder in its paths’ natural order (bk.2 before bk.10), as the editor reads them while it unpacks; collect.sh too', async () => {
    shutOff();
    const disks = [{ target: 'vda', source: SOURCE }];
    // virsh lists them parents first: not the order of their names.
    const names = ['bk.1', 'bk.2', 'bk.10', 'bk.11', 'bk.3'];
    for (const [i, name] of names.entries())
      writeFileSync(
        join(fake, `checkpoint-${name}.xml`),
        checkpointXml(DOMAIN, disks, name, i + 1, names[i - 1], ['vda']),
      );
    writeFileSync(join(fake, 'names'), `${names.join('\n')}\n`);
    try {
      const inOrder = (top: string) =>
        [
          'checkpoints/bk.1.xml',
          'checkpoints/bk.2.xml',
          'checkpoints/bk.3.xml',
          'checkpoints/bk.10.xml',
          'checkpoints/bk.11.xml',
          'domain.xml',
          'images/vda.json',
        ].map((p) => `${top}/${p}`);
      const dir = join(work.dir, 'ordered');
      await runMain('collect', DOMAIN, dir);
      const bundle = await readBundle(new Uint8Array(readFileSync(`${dir}.tar.gz`)), 'tar.gz');
      expect(bundle.ok && bundle.value.entries.map((e) => e.path)).toEqual(inOrder('ordered'));
      // collect.sh alike, every file of the folder it wrote in the archive, as it wrote it.
      const own = join(work.dir, 'own');
      mkdirSync(own, { mode: 0o700 });
      const sh = spawnSync('sh', [SCRIPT, DOMAIN], { cwd: own, encoding: 'utf8' });
      expect(sh.stdout).toContain('.tar.gz: open it in the checkpoint editor');
      const top = `${DOMAIN}-checkpoints`;
      const packed = await readBundle(
        new Uint8Array(readFileSync(join(own, `${top}.tar.gz`))),
        'tar.gz',
      );
      // (The stand-in's domain.xml is not indented as libvirt's: collect.sh finds no format for vda.)
      expect(packed.ok && packed.value.entries.map((e) => e.path)).toEqual(
        inOrder(top).filter((p) => !p.endsWith('vda.json')),
      );
      for (const e of packed.ok ? packed.value.entries : [])
        expect(new TextDecoder().decode(e.bytes)).toBe(readFileSync(join(own, e.path), 'utf8'));
      // A host whose sort cannot (busybox): the same files, in the order the folder gave.
      const plain = join(work.dir, 'plain');
      const noSort = join(work.dir, 'no-sort');
      mkdirSync(plain, { mode: 0o700 });
      mkdirSync(noSort);
      writeFileSync(
        join(noSort, 'sort'),
        '#!/bin/sh\necho "sort: invalid option -- z" >&2\nexit 1\n',
      );
      chmodSync(join(noSort, 'sort'), 0o755);
      const busybox = spawnSync('sh', [SCRIPT, DOMAIN], {
        cwd: plain,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${noSort}:${process.env['PATH']}` },
      });
      expect([busybox.status, busybox.stdout]).toEqual([sh.status, sh.stdout]);
      const asLies = await readBundle(
        new Uint8Array(readFileSync(join(plain, `${top}.tar.gz`))),
        'tar.gz',
      );
      expect(asLies.ok && asLies.value.entries.map((e) => e.path).sort()).toEqual(
        packed.ok && packed.value.entries.map((e) => e.path).sort(),
      );
    } finally {
      writeFileSync(join(fake, 'names'), 'bk.1\n../../escape\n');
    }
  });
});
