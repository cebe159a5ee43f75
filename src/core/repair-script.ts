import type { BitmapCell, BitmapReport, BitmapRow } from './bitmap-verdicts.ts';
import type { ImageLayer } from './image-info.ts';
import { bitmapIncapacity } from './image-info.ts';
import { shellAssignment, shellWord } from './redefine-script.ts';

export interface RepairScriptOptions {
  /** The VM to repair; by default the VM the report names. */
  domain?: string;
}

type Broken = Exclude<BitmapCell['verdict'], 'ok' | 'no' | 'no image' | 'unknown'>;

/** Why a checkpoint goes, by what is wrong with its bitmap: never a word taken from a file. */
const WHY: Record<Broken | 'not in top' | 'cannot hold', string> = {
  missing:
    'it keeps a bitmap that no image of a disk holds (metadata without bitmap): libvirt refuses an incremental backup from it, and checkpoint-delete without --metadata fails (bitmap not found in backing chain)',
  'cannot hold':
    "a disk's image cannot hold bitmaps (it is not qcow2, or qcow2 compat 0.10, or marked corrupt), so libvirt refuses an incremental backup from it",
  'not in top':
    "its bitmap is missing from a disk's top image, though an image below has it: libvirt's bitmap chain starts at the top image, so it refuses an incremental backup from it",
  gap: 'its bitmap has a gap on a disk: an image in the middle of the backing chain lacks it, so writes made while that image was on top were not tracked, and libvirt refuses it',
  disabled:
    'its bitmap is disabled on a disk: it has not recorded writes since, and libvirt refuses it',
  'in-use':
    'its bitmap is in-use (inconsistent) on a disk: QEMU did not close the image (a crash or a kill), so the bitmap may have missed writes, and libvirt refuses it',
  'not persistent':
    'its bitmap is not persistent on a disk: QEMU drops it when the VM stops, and libvirt refuses it',
};

const ORDER: (keyof typeof WHY)[] = [
  'missing',
  'cannot hold',
  'not in top',
  'gap',
  'in-use',
  'disabled',
  'not persistent',
];

/** A finding the evidence cannot prove (`unproven`) is never repaired. */
function isBroken(cell: BitmapCell): boolean {
  if (cell.unproven !== undefined || cell.verdict === 'unknown') return false;
  return cell.verdict !== 'ok' && cell.verdict !== 'no' && cell.verdict !== 'no image';
}

function kindOf(cell: BitmapCell): keyof typeof WHY {
  if (cell.chain?.verdict === 'missing' && cell.chain.below) return 'not in top';
  if (cell.chain?.verdict === 'missing' && bitmapIncapacity(cell.chain.image)) return 'cannot hold';
  return cell.verdict as Broken;
}

/** Whether qemu-img can write the bitmap out of this image. */
const writable = (layer: ImageLayer) =>
  layer.format === 'qcow2' && layer.compat !== '0.10' && !layer.corrupt;

/**
 * The shell script an operator runs to make incremental backups possible again — never run by the
 * editor. A checkpoint whose bitmap libvirt refuses on some disk is deleted from libvirt's
 * metadata (`virsh checkpoint-delete --metadata`, as libvirt cannot delete it otherwise), and its
 * bitmaps are removed from every image that holds them; bitmaps no checkpoint keeps are removed
 * too (`qemu-img bitmap --remove`, the VM shut off). Each step says why and what it costs.
 *
 * Names come from the files: always quoted, given after `--` or as an option's value, never
 * written into a comment; one with characters that do not print is written as printf escapes.
 */
export function repairScript(report: BitmapReport, options: RepairScriptOptions = {}): string {
  const domain = options.domain ?? report.vm;
  const lines = [
    '#!/bin/sh',
    ...comment(
      'Makes incremental backups of the VM named by DOMAIN possible again, as the checkpoint editor found its checkpoints and disk images. Read it before you run it: the editor never runs it. Names from the files are quoted; characters that do not print are written as printf escapes.',
    ),
    'set -e',
    domain ? shellAssignment('DOMAIN', domain) : ': "${DOMAIN:?set DOMAIN to the VM name}"',
  ];
  const broken = report.rows.filter((r) => r.cells.some(isBroken));
  const goes = new Set<BitmapRow>(broken);
  /** Each step: why it is taken, in our words (wrapped once numbered), then its lines. */
  const steps: { why: string; body: string[] }[] = [];
  let writesImages = false;

  // What stays valid per disk once the broken checkpoints are gone: whether a full backup follows.
  const stillValid = report.disks.map((_, i) =>
    report.rows.some((r) => !goes.has(r) && r.cells[i]?.verdict === 'ok'),
  );
  const cost = (diskIndex: number) =>
    stillValid[diskIndex]
      ? 'Cost: none for backups, an incremental backup of this disk from a checkpoint that stays still works.'
      : 'Cost: no checkpoint stays valid on this disk, so its next backup must be full.';
  /** Commands that take one bitmap out of the images of one disk that hold it, after `why`. */
  const removals = (
    step: string[],
    layers: readonly ImageLayer[],
    bitmap: string,
    why: string[],
  ) => {
    const [canWrite, cannot] = [layers.filter(writable), layers.filter((l) => !writable(l))];
    if (canWrite.length) step.push(...why);
    for (const layer of canWrite) {
      const image = shellWord(step, 'image', layer.filename);
      const name = shellWord(step, 'bitmap', bitmap);
      step.push(`qemu-img bitmap --remove -f qcow2 -- ${image} ${name}`);
      writesImages = true;
    }
    if (cannot.length) {
      step.push(
        ...comment(
          'On one disk the bitmap is in an image that qemu-img cannot write (marked corrupt): repair that image with qemu-img check -r all, then run the editor again.',
        ),
      );
    }
  };
  const holding = (layers: readonly ImageLayer[], bitmap: string) =>
    layers.filter((l) => l.bitmaps.some((b) => b.name === bitmap));

  for (const row of broken) {
    const kinds = ORDER.filter((k) => row.cells.some((c) => isBroken(c) && kindOf(c) === k));
    const why = `Why this checkpoint goes: ${kinds.map((k) => WHY[k]).join('; and ')}. Cost: libvirt forgets the checkpoint (its children, if any, move under its parent) and no incremental backup can start from it again; this command leaves the images as they are.`;
    const body: string[] = [];
    const name = shellWord(body, 'checkpoint', row.checkpoint);
    body.push(`virsh checkpoint-delete --domain "$DOMAIN" --checkpointname ${name} --metadata`);
    row.cells.forEach((cell, i) => {
      if (cell.bitmap === undefined || cell.verdict === 'no') return;
      const layers = holding(report.disks[i]?.layers ?? [], cell.bitmap);
      if (!layers.length) return;
      removals(
        body,
        layers,
        cell.bitmap,
        comment(
          `Its bitmap on one disk, which no checkpoint keeps any more, out of every image that holds it. ${cost(i)}`,
        ),
      );
    });
    steps.push({ why, body });
  }
  for (const orphan of report.orphans) {
    if (orphan.unproven !== undefined) continue;
    const diskIndex = report.disks.findIndex((d) => d.disk.target === orphan.disk);
    const body: string[] = [];
    removals(body, [orphan.image], orphan.bitmap.name, []);
    steps.push({
      why: `Why: no loaded checkpoint keeps this bitmap (bitmap without checkpoint): a checkpoint of its name cannot be made ('Bitmap already exists'), and while it records QEMU updates it on every write. Check first that no checkpoint (virsh checkpoint-list) and no other tool uses it. ${cost(diskIndex)}`,
      body,
    });
  }

  if (steps.length === 0) {
    lines.push(
      ...comment(
        'Nothing to repair: every checkpoint has a valid bitmap where it keeps one, and every bitmap is kept by a checkpoint.',
      ),
    );
  }
  if (writesImages) {
    lines.push(
      '',
      '# qemu-img must not write an image that QEMU has open: the VM must be shut off.',
      'if [ "$(LC_ALL=C virsh domstate --domain "$DOMAIN")" != \'shut off\' ]; then',
      "  echo 'shut the VM off first (virsh shutdown), then run this script again' >&2",
      '  exit 1',
      'fi',
    );
  }
  steps.forEach((step, i) => lines.push('', ...comment(`${i + 1}. ${step.why}`), ...step.body));
  if (report.disks.some((d) => d.layers.length === 0)) {
    lines.push('', '# Disks whose image is not loaded were not judged, and are not touched.');
  }
  if (steps.length) {
    lines.push(
      '',
      ...comment(
        'Then take a full backup of every disk that needs one, with a new checkpoint (virsh backup-begin with --checkpointxml): incremental backups start from there.',
      ),
    );
  }
  return lines.join('\n') + '\n';
}

/** Words of ours as comment lines of at most 100 characters. */
function comment(text: string): string[] {
  const out: string[] = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > 100 && line !== '#') {
      out.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  out.push(line);
  return out;
}
