import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ForestEntry, ImageInfo } from '../../src/core/index.ts';
import { parseCheckpoint, readImageInfo } from '../../src/core/index.ts';

/** A disk of the test VM: its target, its image, and its driver type. */
export interface VmDisk {
  target: string;
  source: string;
  type?: 'qcow2' | 'raw';
}

export function domainXml(name: string, disks: readonly VmDisk[]): string {
  const devices = disks
    .map(
      (d) => `      <disk type='file' device='disk'>
        <driver name='qemu' type='${d.type ?? 'qcow2'}'/>
        <source file='${d.source}'/>
        <target dev='${d.target}' bus='virtio'/>
      </disk>`,
    )
    .join('\n');
  return `  <domain type='qemu'>
    <name>${name}</name>
    <uuid>9e1c7d0a-3b2f-4c5d-8e6f-7a8b9c0d1e2f</uuid>
    <memory unit='KiB'>65536</memory>
    <devices>
${devices}
    </devices>
  </domain>`;
}

/**
 * A checkpoint as libvirt writes it: `bitmaps` names the disks that keep a bitmap (of the
 * checkpoint's name); the others are checkpoint='no'.
 */
export function checkpointXml(
  vm: string,
  disks: readonly VmDisk[],
  name: string,
  index: number,
  parent: string | undefined,
  bitmaps: readonly string[],
): string {
  const diskLines = disks
    .map((d) =>
      bitmaps.includes(d.target)
        ? `    <disk name='${d.target}' checkpoint='bitmap' bitmap='${name}'/>`
        : `    <disk name='${d.target}' checkpoint='no'/>`,
    )
    .join('\n');
  return `<domaincheckpoint>
  <name>${name}</name>
${parent ? `  <parent>\n    <name>${parent}</name>\n  </parent>\n` : ''}  <creationTime>${1700000000 + index}</creationTime>
  <disks>
${diskLines}
  </disks>
${domainXml(vm, disks)}
</domaincheckpoint>
`;
}

/**
 * A chain of checkpoints `names` (each the parent of the next), written as NAME.xml into `dir`;
 * `bitmapsOf(name)` lists the disks each keeps a bitmap on (all by default).
 */
export function writeChain(
  dir: string,
  vm: string,
  disks: readonly VmDisk[],
  names: readonly string[],
  bitmapsOf: (name: string) => readonly string[] = () => disks.map((d) => d.target),
): ForestEntry[] {
  return names.map((name, i) => {
    const text = checkpointXml(vm, disks, name, i + 1, names[i - 1], bitmapsOf(name));
    const file = join(dir, `${name}.xml`);
    writeFileSync(file, text);
    const parsed = parseCheckpoint(text);
    if (!parsed.ok) throw new Error(parsed.problems[0]?.message);
    return { file: `${name}.xml`, checkpoint: parsed.value };
  });
}

/** qemu-img's JSON as the core reads it; the test fails on a refusal. */
export function imageInfoOf(text: string, file = 'images.json'): ImageInfo {
  const read = readImageInfo(text, file);
  if (!read.ok) throw new Error(read.problems.map((p) => p.message).join('; '));
  return read.value;
}

/** A persistent bitmap as qemu-img lists it; `flags` ['auto'] (enabled) and 64 KiB unless said. */
export interface Qcow2Bitmap {
  name: string;
  flags?: readonly string[];
  granularity?: number;
}

/**
 * One image as `qemu-img info --output=json` describes a qcow2 file with persistent bitmaps
 * (`--backing-chain` gives an array of these): `bitmaps` by name, or as qemu-img lists them;
 * `more` adds qemu-img's other keys (`backing-filename`, `virtual-size`…). Each bitmap's name
 * comes first: indented, its object opens on the line before its name's.
 */
export function qcow2Info(
  filename: string,
  bitmaps: readonly (string | Qcow2Bitmap)[],
  more: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    filename,
    format: 'qcow2',
    ...more,
    'format-specific': {
      type: 'qcow2',
      data: {
        compat: '1.1',
        corrupt: false,
        bitmaps: bitmaps.map((b) => {
          const {
            name,
            flags = ['auto'],
            granularity = 65536,
          } = typeof b === 'string' ? { name: b } : b;
          return { name, flags, granularity };
        }),
      },
    },
  };
}
