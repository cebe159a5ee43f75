import { alignDisks, assignBitmapNames } from './align-disks.ts';
import type { Checkpoint, CheckpointDisk } from './checkpoint.ts';
import type { DomainDisk } from './domain.ts';
import { domainName, domainUuid, findDomainDisk, readDomainDisks } from './domain.ts';
import type { Forest } from './forest.ts';
import type { ForestEntry } from './forest-entry.ts';
import {
  HOST_FUNCTIONS,
  qemuJsonString,
  scriptOptions,
  scriptParts,
  virshTableCell,
} from './host-checks.ts';
import type { LeftOutReason, RedefinePlan } from './redefine-plan.ts';
import { leftOutSummary, planRedefine } from './redefine-plan.ts';
import { shellAssignment, shellQuote, shellWords } from './shell.ts';

export interface RedefineScriptOptions {
  /** The VM to redefine on; by default the name the checkpoints' <domain> carries. */
  domain?: string;
  /** Add --redefine-validate, so libvirt checks each bitmap against the disks. */
  validate?: boolean;
  /** The name each file is written under (by the checkpoint's key and the file it came from); by default the file's own. */
  fileOf?: (key: string, file: string) => string;
  /** What to redefine and what to leave out; by default planRedefine(forest). */
  plan?: RedefinePlan;
  /**
   * The VM's current definition, when loaded (`virsh dumpxml`): its uuid, else the checkpoints',
   * is checked, and each disk's top image must be its <source>.
   */
  vm?: { uuid?: string; disks?: readonly DomainDisk[] };
}

/** The VM name most checkpoints' <domain> gives, if any does. */
export function forestDomainName(forest: Forest): string | undefined {
  return mostNamed(countDomainNames(forest.entries.values()));
}

/** How many of the entries' `<domain>` give each name, added to `counts` (a forest's next entries). */
export function countDomainNames(
  entries: Iterable<ForestEntry>,
  counts = new Map<string, number>(),
): Map<string, number> {
  for (const entry of entries) {
    const name = entry.checkpoint.domain && domainName(entry.checkpoint.domain);
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** The name given most, the first given of those given as often. */
export function mostNamed(counts: ReadonlyMap<string, number>): string | undefined {
  let most: string | undefined;
  let times = 0;
  for (const [name, n] of counts) {
    if (n > times) {
      most = name;
      times = n;
    }
  }
  return most;
}

/** The uuid the checkpoints' <domain> gives, when they all give the same one. */
function forestDomainUuid(forest: Forest): string | undefined {
  const uuids = new Set<string>();
  for (const entry of forest.entries.values()) {
    const uuid = entry.checkpoint.domain && domainUuid(entry.checkpoint.domain);
    if (uuid) uuids.add(uuid.toLowerCase());
  }
  return uuids.size === 1 ? [...uuids][0] : undefined;
}

/** The bitmaps a checkpoint keeps, by disk target, as libvirt aligns them when it redefines it. */
function keptBitmaps(cp: Checkpoint, vmDisks: readonly DomainDisk[]): CheckpointDisk[] {
  const own = cp.domain ? readDomainDisks(cp.domain) : vmDisks;
  const aligned = alignDisks(cp, own);
  const disks = aligned.ok ? aligned.value : assignBitmapNames(cp.disks ?? [], cp.name);
  return disks
    .filter((d) => d.checkpoint === 'bitmap' && d.bitmap !== undefined)
    .map((d) => ({ ...d, name: findDomainDisk(own, d.name)?.target ?? d.name }));
}

/** What the script says at run time of a checkpoint it leaves out: fixed words, no name from a file. */
const LEFT_OUT_WORDS: Record<LeftOutReason['kind'], string> = {
  'parent-missing': 'its parent is not among the files',
  cycle: 'its parents go round in a cycle',
  refused: 'libvirt refuses this file (see the editor)',
  below: 'a checkpoint above it is left out',
  duplicate: 'another file defines the same checkpoint',
};

/**
 * A shell script that redefines the checkpoints libvirt will take, each root's subtree together,
 * parents first (libvirt links a checkpoint to its parent only if the parent is defined already),
 * and says what it leaves out and why: counted in its comments, named at run time.
 *
 * It runs from anywhere (it reads the files beside it) and takes `-c URI` (else virsh connects to
 * `$LIBVIRT_DEFAULT_URI` or its default). It first checks on the host what the redefine relies
 * on, and changes nothing if any check fails, saying which: the VM (by uuid where known), its
 * state (running for --redefine-validate, which libvirt refuses on an inactive VM; else shut off,
 * so that qemu-img can read each image), each disk's top image (the definition's <source> when
 * loaded), each bitmap the checkpoints keep there, present and recording (a redefine without it
 * makes metadata without bitmap). It then prints the plan, and acts only with `--apply`, skipping
 * a checkpoint libvirt has already, so a rerun finishes; it stops at the first checkpoint libvirt
 * refuses, naming it. Names come from the files, so they are never written into a comment, always
 * quoted, and given to virsh as option values (`--domain NAME`, `--xmlfile FILE`): virsh takes
 * the word after an option as its value even when it starts with `-`.
 */
export function redefineScript(forest: Forest, options: RedefineScriptOptions = {}): string {
  const domain = options.domain ?? forestDomainName(forest);
  const plan = options.plan ?? planRedefine(forest);
  const count = plan.order.length;
  const fileOf = (key: string, file: string) => options.fileOf?.(key, file) ?? file;
  const uuid = options.vm?.uuid?.toLowerCase() ?? forestDomainUuid(forest);
  const vmDisks = options.vm?.disks ?? [];
  const words = shellWords();
  const lines = [
    '#!/bin/sh',
    `# Redefines ${count} checkpoint${count === 1 ? '' : 's'} on the VM named by DOMAIN with virsh checkpoint-create --redefine:`,
    '# each root with all below it, parents first, as libvirt links a checkpoint only to a parent it has.',
  ];
  if (plan.leftOut.length) {
    const n = plan.leftOut.length;
    lines.push(
      `# Left out: ${n} checkpoint${n === 1 ? '' : 's'} libvirt would refuse, or that would replace another (${leftOutSummary(plan.leftOut).join(', ')}).`,
      '# Each is named by a left_out line below and said when the script runs.',
    );
  }
  const files = plan.order.map((key) => {
    const file = forest.entries.get(key)?.file ?? `${key}.xml`;
    return fileOf(key, file);
  });
  if (
    plan.order.some((key, i) => files[i] !== forest.entries.get(key)?.file) ||
    plan.leftOut.some((l) => fileOf(l.key, l.file) !== l.file)
  ) {
    lines.push('# Files are named as they were written out, not all as they were opened.');
  }
  lines.push(
    '# Names from the files are quoted; characters that do not print are written as printf escapes.',
    '# Run it from anywhere: it reads the files beside it. Usage: sh SCRIPT [-c URI] [--apply]',
    '# Without -c, virsh connects to $LIBVIRT_DEFAULT_URI, or to its default.',
    `# It first checks on the host the VM${uuid ? ' (by uuid)' : ''}, its state (${options.validate ? 'running: --redefine-validate needs it' : 'shut off, so that qemu-img can read its images'}),`,
    `# each disk's top image${options.validate ? '' : ' and that each bitmap the checkpoints keep is in it, recording'}; if any`,
    '# check fails it says which and changes nothing. Then it prints the plan; only with --apply does it',
    '# redefine, skipping what libvirt has already, so after a failure run it again to finish.',
    ...scriptOptions(),
    'cd "$(dirname "$0")" || exit 1',
    domain ? shellAssignment('DOMAIN', domain) : ': "${DOMAIN:?set DOMAIN to the VM name}"',
  );
  const body: string[] = [];
  const checks: string[] = ['read_checkpoints'];
  // Each disk's top image once; each bitmap once: the checks the redefine relies on.
  const tops = new Set<string>();
  const bitmaps = new Set<string>();
  plan.order.forEach((key, i) => {
    const n = i + 1;
    const name = words.word('name', key);
    const file = words.word('file', files[i] as string);
    checks.push(`check_new_checkpoint ${n} ${name}`, `check_file ${file}`);
    body.push(`act ${n} redefine ${name} ${file}`);
    const cp = forest.entries.get(key)?.checkpoint;
    for (const disk of cp ? keptBitmaps(cp, vmDisks) : []) {
      const target = words.word('target', disk.name);
      const source = vmDisks.find((d) => d.target === disk.name)?.source;
      if (!tops.has(disk.name)) {
        tops.add(disk.name);
        if (source !== undefined)
          checks.push(`check_top ${target} ${words.word('shown', virshTableCell(source))}`);
      }
      if (options.validate || bitmaps.has(`${disk.name}\0${disk.bitmap}`)) continue;
      bitmaps.add(`${disk.name}\0${disk.bitmap}`);
      const bitmap = disk.bitmap as string;
      const names = `${words.word('bitmap', bitmap)} ${words.word('json', qemuJsonString(bitmap))}`;
      checks.push(
        source !== undefined
          ? `check_flags ${words.word('image', source)} ${names} auto`
          : `check_top_bitmap ${target} ${names}`,
      );
    }
  });
  // The VM's state: running for --redefine-validate; shut off when qemu-img reads its images.
  const readsImages = checks.some((c) => /^check_(flags|top_bitmap) /.test(c));
  checks.unshift(
    options.validate
      ? `check_domain ${shellQuote(uuid ?? '')} 'libvirt checks the bitmaps of --redefine-validate in the running VM (it refuses: domain is not running); start it, or redefine without --redefine-validate' running paused`
      : `check_domain ${shellQuote(uuid ?? '')} 'qemu-img reads its images to check the bitmaps, which it must not while QEMU has them open; shut it off, or use --redefine-validate (libvirt then checks them in the running VM)'${readsImages ? " 'shut off'" : ''}`,
  );
  if (count > 1) checks.push(`in_order 1 ${plan.order.map((_, i) => i + 1).join(' ')}`);
  const planLines = [
    `printf 'Plan for VM %s: redefine ${count} checkpoint${count === 1 ? '' : 's'}${options.validate ? ' (--redefine-validate)' : ''}\\n' "$DOMAIN"`,
  ];
  if (plan.leftOut.length) {
    planLines.push(
      '# left_out FILE WHY: a checkpoint this script does not redefine.',
      'left_out() {',
      '  printf \'Left out: %s: %s\\n\' "$1" "$2" >&2',
      '}',
    );
    for (const l of plan.leftOut) {
      const file = words.word('file', fileOf(l.key, l.file));
      planLines.push(`left_out ${file} ${shellQuote(LEFT_OUT_WORDS[l.reason.kind])}`);
    }
  }
  plan.order.forEach((key, i) => {
    planLines.push(
      `say ${i + 1} 'redefine checkpoint %s from %s' ${words.word('name', key)} ${words.word('file', files[i] as string)}`,
    );
  });
  lines.push(
    ...words.assignments,
    ...HOST_FUNCTIONS,
    '# check_file FILE: the checkpoint file is beside the script.',
    'check_file() {',
    `  [ -f "$1" ] || refuse 'file %s is not beside the script' "$1"`,
    '}',
    "# check_top_bitmap TARGET NAME JSON_NAME: the bitmap is in the disk's top image now, recording.",
    'check_top_bitmap() {',
    '  top=$(top_image "$1")',
    '  case $top in',
    `    ''|-|*'\\x'*) refuse 'disk %s: its top image %s is not a path qemu-img can read' "$1" "\${top:-none}" ;;`,
    '    *) check_flags "$top" "$2" "$3" auto ;;',
    '  esac',
    '}',
    '# redefine CHECKPOINT FILE: stops the script, naming the checkpoint, if libvirt refuses it.',
    'redefine() {',
    `  if ! run_virsh checkpoint-create --domain "$DOMAIN" --xmlfile "$2" ${options.validate ? '--redefine --redefine-validate' : '--redefine'}; then`,
    '    printf \'Stopped at checkpoint %s (file %s): libvirt refused it; the checkpoints after it were not redefined.\\n\' "$1" "$2" >&2',
    '    return 1',
    '  fi',
    '}',
    ...scriptParts({
      checks,
      plan: planLines,
      acting: 'Acting (--apply only), parents first.',
      actions: body,
    }),
    `echo 'Redefined ${count} checkpoint${count === 1 ? '' : 's'}.'`,
  );
  return lines.join('\n') + '\n';
}
