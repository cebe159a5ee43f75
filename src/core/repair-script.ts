import { backupReadiness } from './backup-readiness.ts';
import type { BitmapCell, BitmapRow, DiskReport } from './bitmap-verdicts.ts';
import type { ScriptReport } from './report-transfer.ts';
import type { DomainState } from './host-checks.ts';
import {
  HOST_FUNCTIONS,
  qemuJsonString,
  scriptOptions,
  scriptParts,
  virshTableCell,
} from './host-checks.ts';
import type { ImageBitmap, ImageLayer } from './image-info.ts';
import { bitmapIncapacity } from './image-info.ts';
import { shellAssignment, shellComment as comment, shellQuote, shellWords } from './shell.ts';

export interface RepairScriptOptions {
  /** The VM to repair; by default the VM the report names. */
  domain?: string;
  /** The VM's uuid, where known (its definition, or the checkpoints' <domain>): checked first. */
  uuid?: string;
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

/** A bitmap's flags as the script's check prints them (qemu-img's in-use and auto). */
export function bitmapFlags(bitmap: ImageBitmap): string {
  return (
    [bitmap.inconsistent && 'in-use', bitmap.recording && 'auto'].filter(Boolean).join(' ') ||
    'none'
  );
}

/**
 * The path of a disk's layer on the host: the top is the disk's <source>, never qemu-img's
 * `filename` (relative when qemu-img ran on a relative path); a layer below is its absolute
 * filename, or one relative to where qemu-img ran, found from the top's. Else unknown.
 */
export function layerPath(disk: DiskReport, index: number): string | undefined {
  const source = disk.disk.source;
  const layer = disk.layers[index];
  if (index === 0 || !layer) return layer && source;
  if (layer.filename.startsWith('/')) return layer.filename;
  const top = disk.layers[0]?.filename;
  if (source === undefined || top === undefined || top.startsWith('/')) return undefined;
  if (source !== top && !source.endsWith(`/${top}`)) return undefined;
  return source.slice(0, source.length - top.length) + layer.filename;
}

/** One action of a step: what it checks first, how the plan says it, and the command. */
interface Action {
  n: number;
  check: string;
  say: string;
  command: string;
}

interface Step {
  /** Why it is taken and what it costs, in our words. */
  why: string;
  /** Checks the step relies on that are not an action's (the disks' images, a bitmap's absence). */
  checks: string[];
  actions: Action[];
}

/**
 * The shell script an operator runs to make incremental backups possible again — never run by the
 * editor. A checkpoint whose bitmap libvirt refuses on some disk is deleted from libvirt's
 * metadata (`virsh checkpoint-delete --metadata`, as libvirt cannot delete it otherwise), and its
 * bitmaps are removed from every image that holds them; bitmaps no checkpoint keeps are removed
 * too (`qemu-img bitmap --remove`, the VM shut off). Each step says why and what it costs.
 *
 * The script first checks on the host everything the plan relies on — the VM (its uuid where
 * known) and its state, each disk's top image, each bitmap and checkpoint with the flags the plan
 * saw — and changes nothing if any check fails, saying which. It then prints the plan, and acts
 * only with `--apply`; an action already done is skipped, so a rerun after a failure finishes.
 * No step is built from stale evidence (`qemu-img info -U` of a running VM): the plan says so.
 *
 * Names come from the files: always quoted, given after `--` or as an option's value, never
 * written into a comment; one with characters that do not print is written as printf escapes.
 */
export function repairScript(report: ScriptReport, options: RepairScriptOptions = {}): string {
  const domain = options.domain ?? report.vm;
  const words = shellWords();
  const steps: Step[] = [];
  /** Steps not built, and why: fixed words, then printf arguments. */
  const notBuilt: { format: string; args: string[] }[] = [];
  let needs: DomainState | undefined;
  let action = 0;
  // QMP answers only for a running VM: its data are live, and qemu-img must not touch its images.
  const live = report.running || report.disks.some((d) => d.evidence === 'qmp');

  const disksOf = (cells: readonly BitmapCell[]) =>
    report.disks.filter((d) => cells.some((c) => c.disk === d.disk.target));
  const stale = (d: DiskReport) => d.evidence === 'qemu-img -U';
  const topCheck = (d: DiskReport) =>
    `check_top ${words.word('target', d.disk.target)} ${words.word('shown', virshTableCell(d.disk.source ?? ''))}`;
  const bitmapWords = (bitmap: string) =>
    `${words.word('bitmap', bitmap)} ${words.word('json', qemuJsonString(bitmap))}`;
  /** Removes `bitmap` from `layer` of `d`, which the plan saw with these flags. */
  const removal = (d: DiskReport, index: number, bitmap: ImageBitmap): Action | string => {
    const layer = d.layers[index] as ImageLayer;
    const path = layerPath(d, index);
    if (!writable(layer))
      return 'an image that holds its bitmap is one qemu-img cannot write (marked corrupt): repair it with qemu-img check -r all, then run the editor again';
    if (path === undefined)
      return "an image below a disk's top is named by a relative path whose folder is not known: run qemu-img info on the disk's <source> path";
    const n = ++action;
    const image = words.word('image', path);
    return {
      n,
      check: `check_bitmap ${n} ${image} ${bitmapWords(bitmap.name)} ${words.word('flags', bitmapFlags(bitmap))}`,
      say: `say ${n} 'remove bitmap %s from image %s' ${words.word('bitmap', bitmap.name)} ${image}`,
      command: `act ${n} qemu-img bitmap --remove -f qcow2 -- ${image} ${words.word('bitmap', bitmap.name)}`,
    };
  };
  const need = (state: DomainState) => {
    needs = state;
  };
  // Each disk's readiness base (the checkpoint its next incremental backup starts from; libvirt 9.0
  // takes one per disk in a backup job) stays, with all its bitmaps, though another disk refuses it,
  // when no checkpoint that libvirt takes on every disk is valid on the disk: deleting it would
  // leave the disk no incremental at all.
  const bases = new Map<string, string[]>();
  backupReadiness(report).disks.forEach((d, i) => {
    if (d.state !== 'incremental' || d.since === undefined) return;
    if (report.rows.some((r) => !r.cells.some(isBroken) && r.cells[i]?.verdict === 'ok')) return;
    bases.set(d.since, [...(bases.get(d.since) ?? []), d.disk]);
  });
  const stays = (r: BitmapRow) => !r.cells.some(isBroken) || bases.has(r.checkpoint);
  const stillValid = report.disks.map((_, i) =>
    report.rows.some((r) => stays(r) && r.cells[i]?.verdict === 'ok'),
  );
  const cost = (diskIndex: number) =>
    stillValid[diskIndex]
      ? 'an incremental backup of the disk from a checkpoint that stays still works'
      : 'no checkpoint stays valid on the disk, so its next backup must be full';

  // Findings the evidence cannot prove: said in the plan, never acted on.
  for (const row of report.rows.filter((r) => !r.cells.some(isBroken))) {
    for (const cell of row.cells.filter((c) => c.unproven !== undefined && c.verdict !== 'ok')) {
      notBuilt.push({
        format: 'checkpoint %s on disk %s: not judged, so nothing is built for it (%s)',
        args: [row.checkpoint, cell.disk, cell.unproven as string],
      });
    }
  }
  /** Checkpoints refused on a disk but kept, as a disk's readiness base: said in the plan. */
  const keptBases: { checkpoint: string; broken: string[]; disks: string[] }[] = [];
  for (const row of report.rows.filter((r) => r.cells.some(isBroken))) {
    const base = bases.get(row.checkpoint);
    if (base) {
      const broken = row.cells.filter(isBroken).map((c) => c.disk);
      keptBases.push({ checkpoint: row.checkpoint, broken, disks: base });
      continue;
    }
    const kinds = ORDER.filter((k) => row.cells.some((c) => isBroken(c) && kindOf(c) === k));
    const kept = row.cells.filter((c) => c.bitmap !== undefined && c.verdict !== 'no');
    const disks = disksOf(kept);
    const name = row.checkpoint;
    const refuse = (why: string) =>
      notBuilt.push({ format: `deleting checkpoint %s: ${why}`, args: [name] });
    if (disks.some(stale)) {
      refuse(
        "the images of the running VM were read with qemu-img info -U: their bitmaps are as of the VM's last shutdown (stale), so nothing is built from them; collect with QMP (collect.sh does), or shut the VM off and collect again",
      );
      continue;
    }
    const unproven = kept.find((c) => c.unproven !== undefined);
    if (unproven) {
      notBuilt.push({
        format:
          'deleting checkpoint %s: what the evidence shows of one of its disks is not proven (%s)',
        args: [name, unproven.unproven as string],
      });
      continue;
    }
    if (kept.some((c) => c.verdict === 'no image')) {
      refuse(
        "a disk's image is not loaded, so its bitmap could not go with the checkpoint: load it",
      );
      continue;
    }
    const actions: Action[] = [];
    const emptied = new Set<number>();
    let blocked: string | undefined;
    const absent: string[] = [];
    for (const cell of kept) {
      const d = report.disks.find((x) => x.disk.target === cell.disk) as DiskReport;
      d.layers.forEach((layer, index) => {
        const bitmap = layer.bitmaps.find((b) => b.name === cell.bitmap);
        if (!bitmap) {
          const path = layerPath(d, index);
          if (path !== undefined && layer.source === 'qemu-img')
            absent.push(
              `check_flags ${words.word('image', path)} ${bitmapWords(cell.bitmap as string)} gone`,
            );
          // Live data: the running VM's QEMU is asked again that no node holds it.
          if (layer.source === 'qmp')
            absent.push(`check_live_gone ${words.word('bitmap', cell.bitmap as string)}`);
          return;
        }
        const a = removal(d, index, bitmap);
        if (typeof a === 'string') blocked ??= a;
        else {
          actions.push(a);
          emptied.add(report.disks.indexOf(d));
        }
      });
    }
    if (blocked !== undefined) {
      refuse(blocked);
      continue;
    }
    if (actions.length && live) {
      refuse(
        'removing its bitmaps needs the VM shut off (qemu-img must not write an image QEMU has open): shut it off, collect again, and make a new script',
      );
      continue;
    }
    need(live ? 'running' : 'shut off');
    const n = ++action;
    const cp = words.word('checkpoint', name);
    // Bitmaps first, then the metadata: stopped half-way, the checkpoint stays listed by libvirt
    // (refused for backups already, so nothing is lost) and the rerun finishes it; the other
    // order would leave bitmaps no checkpoint keeps, which QEMU updates on every write and which
    // block a new checkpoint of their name.
    actions.push({
      n,
      check: `check_checkpoint ${n} ${cp}`,
      say: `say ${n} 'delete checkpoint %s from libvirt (--metadata: libvirt cannot delete it otherwise)' ${cp}`,
      command: `act ${n} run_virsh checkpoint-delete --domain "$DOMAIN" --checkpointname ${cp} --metadata`,
    });
    const costs = [...emptied].map(cost);
    steps.push({
      why: `Why this checkpoint goes: ${kinds.map((k) => WHY[k]).join('; and ')}. Cost: libvirt forgets the checkpoint (its children, if any, move under its parent) and no incremental backup can start from it again${costs.length ? `; for each disk whose bitmap goes, ${[...new Set(costs)].join(', or ')}` : ''}.`,
      checks: [...disks.map(topCheck), ...absent],
      actions,
    });
  }

  for (const orphan of report.orphans) {
    const d = report.disks.find((x) => x.disk.target === orphan.disk) as DiskReport;
    const args = [orphan.bitmap.name];
    if (orphan.unproven !== undefined) {
      notBuilt.push({
        format: 'removing bitmap %s: that no checkpoint keeps it is not proven (%s)',
        args: [...args, orphan.unproven],
      });
      continue;
    }
    if (stale(d) || live) {
      notBuilt.push({
        format: `removing bitmap %s: ${stale(d) ? 'the images of the running VM were read with qemu-img info -U (stale: as of its last shutdown), so nothing is built from them' : 'qemu-img must not write an image QEMU has open'}; shut the VM off, collect again, and make a new script`,
        args,
      });
      continue;
    }
    const a = removal(d, d.layers.indexOf(orphan.image), orphan.bitmap);
    if (typeof a === 'string') {
      notBuilt.push({ format: `removing bitmap %s: ${a}`, args });
      continue;
    }
    need('shut off');
    steps.push({
      why: `Why: no loaded checkpoint keeps this bitmap (bitmap without checkpoint): a checkpoint of its name cannot be made ('Bitmap already exists'), and while it records QEMU updates it on every write. The script checks that libvirt has no checkpoint of its name. Cost: ${cost(report.disks.indexOf(d))}.`,
      checks: [topCheck(d), `check_no_checkpoint ${bitmapWords(orphan.bitmap.name)}`],
      actions: [a],
    });
  }

  const states: DomainState[] = needs === undefined ? [] : [needs];
  // The state is said once; every step needs the same one (a running VM gets no qemu-img step).
  const stateWhy =
    needs === 'running'
      ? 'the plan was made from the live QMP view of the running VM'
      : 'qemu-img must not write an image QEMU has open, and the plan was made from the images of the shut-off VM';
  const checks = [
    `check_domain ${shellQuote(options.uuid?.toLowerCase() ?? '')} ${shellQuote(stateWhy)}${states.map((s) => ` ${shellQuote(s)}`).join('')}`,
  ];
  if (steps.length) checks.push('read_checkpoints');
  steps.forEach((step, i) => {
    checks.push(...new Set(step.checks), ...step.actions.map((a) => a.check));
    if (step.actions.length > 1)
      checks.push(`in_order ${i + 1} ${step.actions.map((a) => a.n).join(' ')}`);
  });
  const names = (list: readonly string[]) => list.map((x) => words.word('name', x)).join(' ');
  const keptNames = keptBases.map((k) => k.checkpoint);
  const planLines = [
    steps.length || keptNames.length === 0
      ? `printf 'Plan for VM %s: %s\\n' "$DOMAIN" ${shellQuote(steps.length ? `${steps.length} step${steps.length === 1 ? '' : 's'}` : 'nothing to repair')}`
      : `printf ${shellQuote(`Plan for VM %s: no step; it keeps checkpoint${keptNames.length === 1 ? '' : 's'} ${keptNames.map(() => '%s').join(', ')} (why below)\\n`)} "$DOMAIN" ${names(keptNames)}`,
  ];
  for (const n of notBuilt) {
    planLines.push(
      `printf ${shellQuote(`Not planned: ${n.format}.\\n`)} ${n.args.map((a) => words.word('name', a)).join(' ')}`,
    );
  }
  for (const k of keptBases) {
    const disks = k.disks.map(() => "%s's").join(', ');
    planLines.push(
      `printf ${shellQuote(`Kept: checkpoint %s, though libvirt refuses it on ${k.broken.map(() => '%s').join(', ')}: ${disks} incremental since %s rests on it, so neither it nor its bitmaps go.\\n`)} ${names([k.checkpoint, ...k.broken, ...k.disks, k.checkpoint])}`,
    );
  }
  steps.forEach((step, i) => {
    planLines.push('', ...comment(`${i + 1}. ${step.why}`), `echo ${shellQuote(`Step ${i + 1}:`)}`);
    planLines.push(...step.actions.map((a) => a.say));
  });
  if (steps.length === 0 && notBuilt.length === 0 && keptBases.length === 0) {
    planLines.push(
      ...comment(
        'Nothing to repair: every checkpoint has a valid bitmap where it keeps one, and every bitmap is kept by a checkpoint.',
      ),
    );
  }
  if (report.disks.some((d) => d.layers.length === 0)) {
    planLines.push('', '# Disks whose image is not loaded were not judged, and are not touched.');
  }
  const lines = [
    '#!/bin/sh',
    ...comment(
      'Makes incremental backups of the VM named by DOMAIN possible again, as the checkpoint editor found its checkpoints and disk images. Read it before you run it: the editor never runs it. Names from the files are quoted; characters that do not print are written as printf escapes.',
    ),
    ...comment(
      `Usage: sh SCRIPT [-c URI] [--apply]. It first checks on the host what the plan relies on: the VM${options.uuid ? ' (by uuid)' : ''}, its state, each disk's top image (virsh domblklist), each bitmap (qemu-img info, or on a running VM QEMU's answer to query-named-block-nodes) and checkpoint (virsh checkpoint-list) as the editor saw them. If any check fails it says which and changes nothing. Then it prints the plan; only with --apply does it act. What is already done is skipped, so after a failure run it again to finish. Without -c, virsh connects to $LIBVIRT_DEFAULT_URI, or to its default.`,
    ),
    ...scriptOptions(),
    domain ? shellAssignment('DOMAIN', domain) : ': "${DOMAIN:?set DOMAIN to the VM name}"',
    ...words.assignments,
    ...HOST_FUNCTIONS,
    '# check_no_checkpoint NAME JSON_NAME: the bitmap is kept by no checkpoint libvirt has now.',
    'check_no_checkpoint() {',
    `  has_checkpoint "$1" && refuse 'libvirt has a checkpoint %s now: its bitmap is no longer without checkpoint' "$1"`,
    '  return 0',
    '}',
    '# check_live_gone NAME: no block node of the running VM holds a bitmap of this name now, as QEMU',
    "# answers query-named-block-nodes (libvirt's pretty JSON). A name with a character that JSON or",
    '# the pattern might write otherwise cannot be matched safely: refused.',
    'check_live_gone() {',
    '  [ "$state" = running ] || return 0',
    '  case $1 in',
    '    "" | *[!A-Za-z0-9._+:@-]*)',
    `      refuse 'cannot verify on the running VM that bitmap %s is gone: shut it off, collect again' "$1"`,
    '      return ;;',
    '  esac',
    `  if ! nodes=$(run_virsh qemu-monitor-command --domain "$DOMAIN" --pretty '{"execute":"query-named-block-nodes","arguments":{"flat":true}}' 2>&1); then`,
    `    refuse 'cannot verify on the running VM that bitmap %s is gone (virsh qemu-monitor-command failed: %s): shut it off, collect again' "$1" "$nodes"`,
    '    return',
    '  fi',
    '  case $nodes in',
    `    *'"name": "'"$1"'"'*) refuse 'bitmap %s is in the running VM now (query-named-block-nodes), but the plan relies on it being gone' "$1" ;;`,
    '  esac',
    '}',
    ...scriptParts({
      // A check asked by several steps (a disk's image) is made once.
      checks: [...new Set(checks)],
      plan: planLines,
      acting: 'Acting (--apply only): each action checked above, in order.',
      actions: steps.flatMap((step) => step.actions.map((a) => a.command)),
    }),
  ];
  lines.push(`echo 'Done.'`);
  if (steps.length) {
    lines.push(
      ...comment(
        'Then take a full backup of every disk that needs one, with a new checkpoint (virsh backup-begin with --checkpointxml): incremental backups start from there.',
      ),
    );
  }
  return lines.join('\n') + '\n';
}
