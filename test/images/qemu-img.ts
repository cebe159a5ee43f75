import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const QEMU_IMG = '/usr/bin/qemu-img';
export const QEMU_IO = '/usr/bin/qemu-io';

/** Debian's qemu-utils: qemu-img and qemu-io. */
export const haveQemuUtils = existsSync(QEMU_IMG) && existsSync(QEMU_IO);

/** Runs qemu-img and gives its standard output; a failure throws with qemu-img's own words. */
export function qemuImg(...args: string[]): string {
  return execFileSync(QEMU_IMG, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A temporary folder for one test's images, removed by `remove`. */
export function imageDir(prefix: string): {
  dir: string;
  path: (name: string) => string;
  remove: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return {
    dir,
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ImageOptions {
  backing?: string;
  format?: 'qcow2' | 'raw';
  compat?: '0.10' | '1.1';
  /** Bytes: QEMU gives a bitmap libvirt adds the image's cluster size as granularity, 64 KiB at least. */
  clusterSize?: number;
}

/** `qemu-img create`: 1 MiB, or an overlay on `backing` (a qcow2, its format given as libvirt wants). */
export function createImage(path: string, options: ImageOptions = {}): string {
  const format = options.format ?? 'qcow2';
  const args = ['create', '-q', '-f', format];
  if (options.compat) args.push('-o', `compat=${options.compat}`);
  if (options.clusterSize) args.push('-o', `cluster_size=${options.clusterSize}`);
  if (options.backing) args.push('-b', options.backing, '-F', 'qcow2', path);
  else args.push(path, '1M');
  qemuImg(...args);
  return path;
}

export interface BitmapOptions {
  disable?: boolean;
  granularity?: string;
}

/** `qemu-img bitmap --add [--disable] [-g G]`. */
export function addBitmap(image: string, name: string, options: BitmapOptions = {}): void {
  const args = ['bitmap', '--add', '-f', 'qcow2'];
  if (options.disable) args.push('--disable');
  if (options.granularity) args.push('-g', options.granularity);
  qemuImg(...args, image, name);
}

/** `qemu-img info --output=json --backing-chain [-U] IMAGE`, as an operator saves it. */
export function imageInfo(
  image: string,
  options: { force?: boolean; chain?: boolean } = {},
): string {
  const args = ['info', '--output=json'];
  if (options.chain ?? true) args.push('--backing-chain');
  if (options.force) args.push('-U');
  return qemuImg(...args, image);
}

/** The names of the bitmaps an image holds now, as qemu-img reads them. */
export function bitmapNames(image: string): string[] {
  const info = JSON.parse(qemuImg('info', '--output=json', '-f', 'qcow2', image)) as {
    'format-specific'?: { data?: { bitmaps?: { name: string }[] } };
  };
  return (info['format-specific']?.data?.bitmaps ?? []).map((b) => b.name);
}

/**
 * A real in-use bitmap: qemu-io opens the image for writing (QEMU marks its bitmaps in-use), writes
 * 64 KiB and sleeps; once `qemu-img map -U` shows the data written, `kill -9` ends it before it can
 * close the image and clear the flags. (qemu-io's own output is buffered in a pipe: no use to wait on.)
 */
export async function crashWhileWriting(image: string): Promise<void> {
  const child = spawn(QEMU_IO, ['-f', 'qcow2', '-c', 'write 0 64k', '-c', 'sleep 5000', image], {
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const map = JSON.parse(qemuImg('map', '-U', '--output=json', '-f', 'qcow2', image)) as {
        start: number;
        data: boolean;
      }[];
      if (map.some((m) => m.start === 0 && m.data)) break;
      if (child.exitCode !== null)
        throw new Error(`qemu-io ended (${child.exitCode}) before the kill`);
      if (Date.now() > deadline) throw new Error('qemu-io did not write within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Sets the qcow2 header's corrupt bit (incompatible feature bit 1 at byte 72), as QEMU does on finding damage. */
export function markCorrupt(image: string): void {
  const bytes = readFileSync(image);
  bytes.writeBigUInt64BE(bytes.readBigUInt64BE(72) | 2n, 72);
  writeFileSync(image, bytes);
}

/**
 * The line on which an image's object opens in qemu-img's JSON, found in the text itself (by its
 * `"filename"` and indentation), not by the reader under test.
 */
export function imageLine(json: string, image: string, nth = 0): number {
  const lines = json.split('\n');
  const at =
    lines
      .map((l, i) => (l.includes(`"filename": ${JSON.stringify(image)}`) ? i : -1))
      .filter((i) => i >= 0)[nth] ?? -1;
  if (at < 0) throw new Error(`no image ${image} in the JSON`);
  const indent = (lines[at] as string).search(/\S/) - 4;
  for (let i = at; i >= 0; i--) if (lines[i] === `${' '.repeat(indent)}{`) return i + 1;
  throw new Error(`no object opens above ${image}`);
}

/** The line on which a bitmap's object of an image opens in qemu-img's JSON, found in the text. */
export function bitmapLine(json: string, image: string, bitmap: string): number {
  const lines = json.split('\n');
  const from = lines.findIndex((l) => l.includes(`"filename": ${JSON.stringify(image)}`));
  const name = lines.findIndex(
    (l, i) => i > from && l.includes(`"name": ${JSON.stringify(bitmap)}`),
  );
  if (from < 0 || name < 0) throw new Error(`no bitmap ${bitmap} of ${image} in the JSON`);
  for (let i = name; i >= 0; i--) if (/^\s*\{$/.test(lines[i] as string)) return i + 1;
  throw new Error(`no object opens above bitmap ${bitmap}`);
}

/**
 * Runs a repair script with --apply as an operator would, with `qemu-img` for real and a stand-in
 * `virsh` (test/scripts/fake-virsh.mjs) for a shut-off VM `vm` with these disks, whose checkpoints
 * are the NAME.xml files of `checkpointDir`: `checkpoint-delete --metadata` deletes the file, as
 * libvirt forgets the checkpoint. Gives the virsh calls that change something, as command lines.
 */
export function runRepairScript(
  script: string,
  workDir: string,
  checkpointDir: string,
  disks: readonly { target: string; source: string }[],
  vm = 'web01',
): string[] {
  const bin = join(workDir, 'fake-bin');
  execFileSync('mkdir', ['-p', bin]);
  const fake = join(import.meta.dirname, '..', 'scripts', 'fake-virsh.mjs');
  writeFileSync(join(bin, 'virsh'), `#!/bin/sh\nexec '${process.execPath}' '${fake}' "$@"\n`, {
    mode: 0o755,
  });
  const state = join(workDir, 'vm.json');
  const checkpoints = readdirSync(checkpointDir)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => f.slice(0, -'.xml'.length));
  writeFileSync(
    state,
    JSON.stringify({
      name: vm,
      uuid: '9e1c7d0a-3b2f-4c5d-8e6f-7a8b9c0d1e2f',
      state: 'shut off',
      checkpoints,
      checkpointDir,
      disks,
      calls: [],
    }),
  );
  const path = join(workDir, 'repair.sh');
  writeFileSync(path, script);
  execFileSync('sh', [path, '--apply'], {
    env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, FAKE_VIRSH_STATE: state },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const calls = (JSON.parse(readFileSync(state, 'utf8')) as { calls: string[][] }).calls;
  return calls.filter((c) => c[0] === 'checkpoint-delete').map((c) => c.join(' '));
}
