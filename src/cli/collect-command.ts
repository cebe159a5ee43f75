import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'fflate';
import { packTar } from 'modern-tar';
import { firstLine, InputError } from './errors.ts';

const run = promisify(execFile);
/** QMP's answer for a VM with many disks is large; nothing here is near it. */
const MAX_OUTPUT = 64 * 1024 * 1024;

export interface CollectOptions {
  /** libvirt's URI (`virsh -c`); libvirt's default (LIBVIRT_DEFAULT_URI…) without it. */
  connect?: string;
  domain: string;
  /** The folder to write, as scripts/collect.sh writes DOMAIN-checkpoints/; it must not exist. */
  dir: string;
}

export interface Collected {
  /** `virsh domstate`: `running`, `shut off`, `paused`… */
  state: string;
  /** What was written, as `PATH (how)`, in order; the folder's .tar.gz last. */
  wrote: string[];
  /** What could not be collected, and why (a checkpoint virsh would not dump, an image qemu-img would not read). */
  skipped: string[];
  /** What there is nothing to collect of: a disk with no local image (network, empty). */
  passedOver: string[];
}

const QMP = '{"execute":"query-named-block-nodes","arguments":{"flat":true}}';

/** One tool run with its arguments as an array (never a shell); its failure in its own words. */
async function tool(command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      encoding: 'utf8',
      maxBuffer: MAX_OUTPUT,
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; code?: string | number };
    if (err.code === 'ENOENT') throw new InputError(`${command} is not installed here`);
    const said = (err.stderr ?? '')
      .split('\n')
      .map((l) => l.replace(/^error: /, '').trim())
      .filter(Boolean)
      .join(' / ');
    throw new InputError(`${command} ${args.join(' ')}: ${said || firstLine(e)}`);
  }
}

/**
 * Does on this host what scripts/collect.sh does: the VM's definition, every checkpoint, and each
 * disk's `qemu-img info --output=json --backing-chain -U` (shut off) or QEMU's
 * `query-named-block-nodes` (running), in `dir` and `dir.tar.gz`. It only reads the host.
 */
export async function collect(options: CollectOptions): Promise<Collected> {
  const { domain, dir } = options;
  const virsh = (...args: string[]) =>
    tool('virsh', ['-q', ...(options.connect ? ['-c', options.connect] : []), ...args]);
  const archive = `${dir.replace(/\/+$/, '')}.tar.gz`;
  for (const path of [dir, archive])
    if (existsSync(path)) throw new InputError(`${path} already exists: move it away first`);

  const state = (await virsh('domstate', '--domain', domain)).trim();
  const definition = await virsh('dumpxml', '--domain', domain);
  const names = (await virsh('checkpoint-list', '--domain', domain, '--name', '--topological'))
    .split('\n')
    .filter(Boolean);
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  mkdirSync(join(dir, 'images'));
  const wrote: string[] = [];
  const skipped: string[] = [];
  const passedOver: string[] = [];
  const write = (path: string, text: string, how: string) => {
    writeFileSync(join(dir, path), text);
    wrote.push(`${join(dir, path)} (${how})`);
  };

  write('domain.xml', definition, `virsh dumpxml, the VM ${state}`);
  for (const name of names) {
    // libvirt's schema allows no '/' and no leading '.'; what it holds still names no other file.
    if (name.includes('/') || name.startsWith('.')) {
      skipped.push(`checkpoint '${name}': not a file name`);
      continue;
    }
    try {
      const text = await virsh('checkpoint-dumpxml', '--domain', domain, '--checkpointname', name);
      write(join('checkpoints', `${name}.xml`), text, 'virsh checkpoint-dumpxml');
    } catch (e) {
      skipped.push(`checkpoint '${name}': ${firstLine(e)}`);
    }
  }

  if (state === 'shut off' || state === 'crashed') {
    const disks = await virsh('domblklist', '--domain', domain, '--details');
    for (const line of disks.split('\n')) {
      const m = /^\s*(\S+)\s+(\S+)\s+(\S+)\s+(.*?)\s*$/.exec(line);
      if (!m) continue;
      const [, type, device, target, source] = m as unknown as [
        string,
        string,
        string,
        string,
        string,
      ];
      if (device !== 'disk' || target.includes('/') || target.startsWith('.')) continue;
      if ((type !== 'file' && type !== 'block') || !source.startsWith('/')) {
        passedOver.push(`disk ${target}: no local file or block device (${type} ${source})`);
        continue;
      }
      try {
        const info = await tool('qemu-img', [
          'info',
          '--output=json',
          '--backing-chain',
          '-U',
          source,
        ]);
        write(join('images', `${target}.json`), info, `qemu-img info of ${source}`);
      } catch (e) {
        skipped.push(`disk ${target}: ${firstLine(e)}`);
      }
    }
  } else {
    // While QEMU runs, the bitmaps live in QEMU: its answer covers every disk.
    const answer = await virsh('qemu-monitor-command', '--domain', domain, '--cmd', QMP);
    write(join('images', 'qmp.json'), answer, `QMP query-named-block-nodes, the VM ${state}`);
  }

  writeFileSync(archive, gzipSync(await packTar(tarEntries(dir))));
  wrote.push(`${archive} (the folder, to open in the checkpoint editor)`);
  return { state, wrote, skipped, passedOver };
}

/** The folder's files under its own name, as `tar -czf DIR.tar.gz DIR` stores them. */
function tarEntries(dir: string) {
  const top = basename(dir.replace(/\/+$/, ''));
  const entries = [];
  for (const sub of ['', 'checkpoints', 'images']) {
    for (const name of readdirSync(join(dir, sub), { withFileTypes: true })) {
      if (!name.isFile()) continue;
      const body = readFileSync(join(dir, sub, name.name));
      entries.push({
        header: { name: [top, sub, name.name].filter(Boolean).join('/'), size: body.length },
        body: new Uint8Array(body),
      });
    }
  }
  return entries;
}
