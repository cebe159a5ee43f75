import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/core/index.ts';
import { imageDir } from '../images/qemu-img.ts';
import { checkpointXml, domainXml } from '../images/scenario.ts';
import { runMain } from './run-cli.ts';

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
for last; do :; done
printf '[{"filename":"%s","format":"qcow2","virtual-size":1048576,"format-specific":{"type":"qcow2","data":{"compat":"1.1","corrupt":false,"bitmaps":[{"name":"bk.1","granularity":65536,"flags":["auto"]}]}}}]\\n' "$last"
`;

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
      `wrote ${dir}/images/vda.json (qemu-img info of ${SOURCE})`,
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
      ['info', '--output=json', '--backing-chain', '-U', SOURCE],
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

    writeFileSync(join(fake, 'state'), 'shut off\n');
    writeFileSync(join(fake, 'names'), 'bk.1\n');
    const off = await runMain('check', '--connect', 'qemu:///system', DOMAIN);
    expect(off.out.split('\n').slice(-3)).toEqual([
      'vda: incremental since bk.1',
      `${DOMAIN}: incremental since bk.1`,
      '',
    ]);
    expect(off.code).toBe(0);
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
});
