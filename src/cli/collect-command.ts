import { execFile } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { gzipSync } from 'fflate';
import { packTar } from 'modern-tar';
import { compareNatural, readTargetDomain, seconds } from '../core/index.ts';
import { CreatedPaths } from './created-paths.ts';
import { firstLine, InputError, systemReason } from './errors.ts';

/** QMP's answer for a VM with many disks is large; nothing here is near it. */
const MAX_OUTPUT = 64 * 1024 * 1024;
/** How long one virsh or qemu-img run may take, as collect.sh's COLLECT_TIMEOUT. */
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface CollectOptions {
  /** libvirt's URI (`virsh -c`); libvirt's default (LIBVIRT_DEFAULT_URI…) without it. */
  connect?: string;
  domain: string;
  /** The folder to write, as scripts/collect.sh writes DOMAIN-checkpoints/; it must not exist. */
  dir: string;
  /** How long each virsh or qemu-img run may take. */
  timeoutMs?: number;
  /** Ends the run: the command running is killed, and what was written removed. */
  signal?: AbortSignal;
}

export interface Collected {
  /** `virsh domstate`: `running`, `shut off`, `paused`… */
  state: string;
  /** The images were read by qemu-img while the VM runs (QEMU did not answer): data of its last shutdown. */
  stale: boolean;
  /** What was written, as `PATH (how)`, in order; the folder's .tar.gz last. */
  wrote: string[];
  /** What could not be collected, and why (a checkpoint virsh would not dump, an image qemu-img would not read). */
  skipped: string[];
  /** What there is nothing to collect of: a disk with no local image (network, empty). */
  passedOver: string[];
  /** What the run did otherwise than asked, and why: QEMU did not answer, so qemu-img read the images. */
  notes: string[];
}

const QMP = '{"execute":"query-named-block-nodes","arguments":{"flat":true}}';

export interface ToolOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** One tool run with its arguments as an array (never a shell), bounded in time; its failure in its own words. */
function tool(command: string, args: string[], options: ToolOptions): Promise<string> {
  const what = `${command} ${args.join(' ')}`;
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        encoding: 'utf8',
        maxBuffer: MAX_OUTPUT,
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        env: { ...process.env, LC_ALL: 'C.UTF-8' },
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const err = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        if (err.code === 'ENOENT')
          return reject(new InputError(`${command} is not installed here`));
        if (err.name === 'AbortError') return reject(new InputError(`${what}: interrupted`));
        if (err.killed && err.signal === 'SIGKILL') {
          return reject(new InputError(`${what}: no answer in ${seconds(options.timeoutMs)}`));
        }
        const said = (stderr ?? '')
          .split('\n')
          .map((l) => l.replace(/^error: /, '').trim())
          .filter(Boolean)
          .join(' / ');
        reject(new InputError(`${what}: ${said || firstLine(error)}`));
      },
    );
  });
}

/**
 * The host part of a libvirt URI (`qemu+ssh://root@kvm1:2222/system` gives `kvm1`), undefined for
 * a local one (`qemu:///system`, `test:///default`).
 */
export function uriHost(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  return url.hostname.replace(/^\[(.*)\]$/, '$1') || undefined;
}

/**
 * The host a connection reaches, as `check --connect` names it: the URI's host part, else
 * libvirt's own answer, `virsh hostname` (virConnectGetHostname: this machine's, for a local URI).
 * Undefined, with why, when libvirt does not say.
 */
export async function connectionHost(
  uri: string,
  options: ToolOptions,
): Promise<{ host?: string; why?: string }> {
  const named = uriHost(uri);
  if (named !== undefined) return { host: named };
  try {
    const host = (await tool('virsh', ['-q', '-c', uri, 'hostname'], options)).trim();
    return host ? { host } : { why: 'virsh hostname said nothing' };
  } catch (e) {
    return { why: (e as Error).message };
  }
}

/** Each disk's format as libvirt passes it to QEMU, by target: its `<driver type>`. */
function diskFormats(definition: string): Map<string, string> {
  const read = readTargetDomain(definition);
  const formats = new Map<string, string>();
  if (!read.ok) return formats;
  for (const disk of read.value.disks)
    if (disk.driverType) formats.set(disk.target, disk.driverType);
  return formats;
}

/**
 * Does on this host what scripts/collect.sh does: the VM's definition, every checkpoint, and each
 * disk's `qemu-img info --output=json --backing-chain -U -f FORMAT` (shut off, or QEMU silent) or
 * QEMU's `query-named-block-nodes` (running), in `dir` and `dir.tar.gz`. It only reads the host,
 * and creates each folder and file anew: nothing already there, a link above all, is written to.
 * A run that does not finish removes what it created.
 */
export async function collect(options: CollectOptions): Promise<Collected> {
  const { domain, dir } = options;
  const run: ToolOptions = {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const virsh = (...args: string[]) =>
    tool('virsh', ['-q', ...(options.connect ? ['-c', options.connect] : []), ...args], run);
  const archive = `${dir.replace(/\/+$/, '')}.tar.gz`;
  for (const path of [dir, archive]) if (exists(path)) throw alreadyThere(path);
  refuseSharedParent(dirname(resolve(dir)));

  const state = (await virsh('domstate', '--domain', domain)).trim();
  const definition = await virsh('dumpxml', '--domain', domain);
  const names = (await virsh('checkpoint-list', '--domain', domain, '--name', '--topological'))
    .split('\n')
    .filter(Boolean);

  const created = new CreatedPaths();
  try {
    const folder = created.folder(dir);
    created.folder(join(dir, 'checkpoints'));
    created.folder(join(dir, 'images'));
    const wrote: string[] = [];
    const skipped: string[] = [];
    const passedOver: string[] = [];
    const notes: string[] = [];
    const write = (path: string, text: string, how: string) => {
      created.file(join(dir, path), text, folder);
      wrote.push(`${join(dir, path)} (${how})`);
    };

    write('domain.xml', definition, `virsh dumpxml, the VM ${state}`);
    for (const name of names) {
      // libvirt's schema allows no '/' and no leading '.'; what it holds still names no other file.
      if (name.includes('/') || name.startsWith('.')) {
        skipped.push(`checkpoint '${name}': not a file name`);
        continue;
      }
      if (Buffer.byteLength(`${name}.xml`) > 255) {
        skipped.push(`checkpoint '${name}': NAME.xml is over 255 bytes, too long for a file name`);
        continue;
      }
      let text: string;
      try {
        text = await virsh('checkpoint-dumpxml', '--domain', domain, '--checkpointname', name);
      } catch (e) {
        if (options.signal?.aborted) throw e;
        skipped.push(`checkpoint '${name}': ${firstLine(e)}`);
        continue;
      }
      write(join('checkpoints', `${name}.xml`), text, 'virsh checkpoint-dumpxml');
    }

    const images = async () => {
      const formats = diskFormats(definition);
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
        // qemu-img never guesses a format from what a guest wrote into its disk.
        const format = formats.get(target);
        if (format === undefined || format.startsWith('-')) {
          skipped.push(
            `disk ${target}: its <driver type> names no format, and qemu-img must not guess one`,
          );
          continue;
        }
        let info: string;
        try {
          info = await tool(
            'qemu-img',
            ['info', '--output=json', '--backing-chain', '-U', '-f', format, '--', source],
            run,
          );
        } catch (e) {
          if (options.signal?.aborted) throw e;
          skipped.push(`disk ${target}: ${firstLine(e)}`);
          continue;
        }
        write(join('images', `${target}.json`), info, `qemu-img info -f ${format} of ${source}`);
      }
    };

    let stale = false;
    if (state === 'shut off' || state === 'crashed') await images();
    else {
      // While QEMU runs, the bitmaps live in QEMU: its answer covers every disk.
      let answer: string | undefined;
      try {
        answer = await virsh('qemu-monitor-command', '--domain', domain, '--cmd', QMP);
      } catch (e) {
        if (options.signal?.aborted) throw e;
        notes.push(
          `QEMU did not answer (${firstLine(e)}): reading each disk with qemu-img info -U instead (bitmaps as of the last shutdown)`,
        );
      }
      if (answer !== undefined) {
        write(join('images', 'qmp.json'), answer, `QMP query-named-block-nodes, the VM ${state}`);
      } else {
        stale = true;
        await images();
      }
    }

    created.file(archive, gzipSync(await packTar(tarEntries(dir))));
    wrote.push(`${archive} (the folder, to open in the checkpoint editor)`);
    created.keep();
    return { state, stale, wrote, skipped, passedOver, notes };
  } catch (e) {
    const said = created.removeUnlessKept();
    if (said.length === 0) throw e;
    const message = e instanceof InputError ? e.message : firstLine(e);
    throw new InputError(`${message} (${said.join('; ')})`, { cause: e });
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * DIR's folder must not be one other users may write to without the sticky bit (as /tmp has):
 * any of them could rename DIR while this run writes into it and put a link in its place, so a
 * file created below it would go where the link points. Refused before anything is asked or
 * written, as scripts/collect.sh refuses it. ACLs aside.
 */
function refuseSharedParent(parent: string): void {
  let mode: number;
  try {
    mode = statSync(parent).mode;
  } catch (e) {
    throw new InputError(`${parent}: ${systemReason(e)}`);
  }
  if ((mode & 0o022) !== 0 && (mode & 0o1000) === 0) {
    throw new InputError(
      `${parent} may be written by other users and has no sticky bit: one of them could swap DIR for a link; collect into a folder only you can write to`,
    );
  }
}

const alreadyThere = (path: string) => new InputError(`${path} already exists: move it away first`);

/** The folder's files under its own name, as `tar -czf DIR.tar.gz DIR` stores them, in path order. */
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
  // In the order the editor reads them (their paths' natural order: bk.2 before bk.10), so that
  // it opens them while it unpacks the rest (src/state/bundle-early.ts).
  return entries.sort((a, b) => compareNatural(a.header.name, b.header.name));
}
