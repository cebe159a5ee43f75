import type { CheckpointDisk } from './checkpoint.ts';
import type { ForestEntry } from './forest-entry.ts';
import type { ImageLayer } from './image-info.ts';
import { bitmapIncapacity } from './image-info.ts';
import type { ImageMatch } from './image-match.ts';
import type { Position, Problem, Severity } from './problem.ts';
import { problem } from './problem.ts';
import type { ChainVerdict } from './bitmap-chain.ts';
import type { BitmapCell, BitmapRow, DiskReport } from './bitmap-verdicts.ts';
import { STALE } from './bitmap-verdicts.ts';

/** Where a problem of an image stands: the JSON file it was read from, at the layer's line. */
export const at = (layer: ImageLayer, line = layer.line) => ({ file: layer.file, line });

/** Checkpoints at hand whose bitmaps are in the images but that libvirt does not know. */
export function redefineProblems(rows: readonly BitmapRow[], vm: string | undefined): Problem[] {
  return rows.map((row) => {
    const cp = row.entry.checkpoint;
    const on = row.cells.filter((c) => c.verdict === 'ok').map((c) => c.disk);
    return {
      ...problem(
        'checkpoint-not-defined',
        `checkpoint ${row.checkpoint} is not in libvirt's list of ${vm ?? 'the VM'}'s checkpoints, but its bitmap is in the images of ${on.join(', ')}: redefine it (the redefine script, virsh checkpoint-create --redefine) rather than removing its bitmaps`,
        cp.positions.root,
        'warning',
      ),
      file: row.entry.file,
    };
  });
}

export function cellProblems(
  entry: ForestEntry,
  disk: CheckpointDisk,
  cell: BitmapCell,
  chain: ChainVerdict,
  running: boolean,
): Problem[] {
  const cp = entry.checkpoint;
  const { checkpoint: name, disk: target, bitmap } = cell;
  const inFile = (code: string, message: string, position?: Position): Problem => ({
    ...problem(code, message, position ?? cp.disksPosition ?? cp.positions.root),
    file: entry.file,
  });
  const inImage = (code: string, message: string, layer: ImageLayer, line?: number): Problem => ({
    ...problem(code, message),
    ...at(layer, line),
  });
  switch (chain.verdict) {
    case 'ok':
      return [];
    case 'missing':
      if (chain.below) {
        return [
          inImage(
            'bitmap-not-in-top',
            `bitmap ${bitmap} of checkpoint ${name} is missing from ${target}'s top image ${chain.image.filename}, though ${chain.below.filename} below has it: libvirt's bitmap chain starts at the top image`,
            chain.image,
          ),
        ];
      }
      // An image that cannot hold bitmaps is said once, of the disk (diskProblems).
      if (bitmapIncapacity(chain.image)) return [];
      return [
        inFile(
          'bitmap-metadata-only',
          `checkpoint ${name} keeps bitmap ${bitmap} on disk ${target}, but no image of ${target} holds it (metadata without bitmap): libvirt refuses an incremental backup from ${name}, and deleting the checkpoint needs --metadata`,
          disk.position,
        ),
      ];
    case 'gap':
      return [
        inImage(
          'bitmap-gap',
          `bitmap ${bitmap} of checkpoint ${name} has a gap on ${target}: it is missing from ${chain.image.filename}, between ${chain.above.filename} and ${chain.below.filename}`,
          chain.image,
        ),
      ];
    case 'in-use': {
      const layer = chain.image;
      const message =
        layer.source === 'qmp'
          ? `bitmap ${bitmap} is inconsistent in the running VM's ${layer.filename}: QEMU found it in-use when it opened the image`
          : running
            ? `bitmap ${bitmap} is in-use in ${layer.filename}, a backing image the running VM opens read-only: it was left inconsistent before`
            : `bitmap ${bitmap} is in-use in ${layer.filename} while the VM is shut off: QEMU did not close the image (a crash or a kill), so libvirt takes it as inconsistent`;
      return [inImage('bitmap-in-use', message, layer, chain.bitmap.line)];
    }
    case 'disabled':
      return [
        inImage(
          'bitmap-disabled',
          `bitmap ${bitmap} is disabled in ${chain.image.filename}: it has not recorded writes since, so libvirt refuses it`,
          chain.image,
          chain.bitmap.line,
        ),
      ];
    case 'not persistent':
      return [
        inImage(
          'bitmap-not-persistent',
          `bitmap ${bitmap} is not persistent in ${chain.image.filename}: QEMU drops it when the VM stops, so libvirt refuses it`,
          chain.image,
          chain.bitmap.line,
        ),
      ];
  }
}

export function diskProblems(
  disks: DiskReport[],
  rows: BitmapRow[],
  match: ImageMatch,
  unproven: readonly (string | undefined)[],
): Problem[] {
  const problems: Problem[] = [];
  const inImage = (
    code: string,
    message: string,
    layer: ImageLayer,
    severity: Severity = 'error',
  ): Problem => ({ ...problem(code, message, undefined, severity), ...at(layer) });
  disks.forEach((d, i) => {
    const target = d.disk.target;
    const expected = rows.some((r) => r.cells[i]?.verdict !== 'no');
    const top = d.layers[0];
    const why = unproven[i];
    if (top && why !== undefined) {
      problems.push(
        inImage(
          why === STALE ? 'image-data-stale' : 'image-not-top',
          why === STALE
            ? `disk ${target}: ${top.filename} was read with qemu-img info -U while the VM runs: its bitmaps are as of the last shutdown (a checkpoint made since start is not in the file yet, and every bitmap QEMU holds shows in-use), so what libvirt finds there now is unknown: collect with QMP`
            : `disk ${target}: ${why}`,
          top,
          'warning',
        ),
      );
    }
    const [first] = d.candidates ?? [];
    if (d.candidates && first) {
      problems.push(
        inImage(
          'image-ambiguous',
          `disk ${target}: ${d.candidates.length} images have the base name of its source (${d.candidates.map((c) => c.filename).join(', ')}): none is taken, choose one`,
          first,
          'warning',
        ),
      );
    }
    if (top) {
      const cannot = bitmapIncapacity(top);
      if (cannot && !top.corrupt) {
        problems.push(
          inImage(
            'image-without-bitmaps',
            `disk ${target}: image ${top.filename} ${cannot}: it cannot hold bitmaps, so every backup of ${target} is full`,
            top,
            expected ? 'error' : 'warning',
          ),
        );
      }
    }
    for (const layer of d.layers) {
      if (!layer.corrupt) continue;
      problems.push(
        inImage(
          'image-corrupt',
          `disk ${target}: image ${layer.filename} is marked corrupt: QEMU opens it read-only at most, and its bitmaps cannot be trusted; qemu-img check -r all repairs it (VM shut off)`,
          layer,
        ),
      );
    }
    const last = d.layers[d.layers.length - 1];
    if (last && d.backingNotLoaded !== undefined) {
      problems.push(
        inImage(
          'backing-not-loaded',
          `disk ${target}: the backing file ${d.backingNotLoaded} of ${last.filename} is in no loaded output, so bitmaps below it are not judged (run qemu-img info with --backing-chain)`,
          last,
          'warning',
        ),
      );
    }
  });
  for (const layer of match.unmatched) {
    problems.push(
      inImage(
        'image-unmatched',
        `image ${layer.filename} matches no disk of the VM, by path or by base name`,
        layer,
        'warning',
      ),
    );
  }
  return problems;
}
