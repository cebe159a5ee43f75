import type { Checkpoint, Comparison, Difference, Problem, XmlElement } from '../core/index.ts';
import {
  compareCheckpoints,
  compareDomains,
  libvirtText,
  parseXml,
  readCheckpoint,
  withFile,
} from '../core/index.ts';
import type { InputFile } from './io.ts';
import type { Output } from './output.ts';
import { reportFailure } from './output.ts';

/** What a file given to `diff` holds: a checkpoint, or a VM definition (`virsh dumpxml`). */
type Read =
  | { kind: 'checkpoint'; checkpoint: Checkpoint; label: string; name: string }
  | { kind: 'domain'; root: XmlElement; label: string; name: string }
  | { kind: 'refused'; problems: Problem[] };

/** The file as libvirt reads it (a C string in UTF-8, entities not expanded): its root element. */
function readFile(file: InputFile): Read {
  const refused = (problems: Problem[]): Read => ({
    kind: 'refused',
    problems: withFile(problems, file.fileName),
  });
  if (!file.bytes && file.problems?.length) return { kind: 'refused', problems: file.problems };
  const xml = parseXml(file.bytes ? libvirtText(file.bytes) : file.contents);
  if (!xml.ok) return refused(xml.problems);
  const root = xml.value;
  if (root.name === 'domain' && root.uri === undefined) {
    return { kind: 'domain', root, label: file.fileName, name: file.fileName };
  }
  const checkpoint = readCheckpoint(root);
  if (!checkpoint.ok) return refused(checkpoint.problems);
  const name = checkpoint.value.name;
  return {
    kind: 'checkpoint',
    checkpoint: checkpoint.value,
    label: name === undefined ? file.fileName : `${file.fileName} (${name})`,
    name: name ?? file.fileName,
  };
}

/** A value on one line: as it is, or quoted with escapes when it holds a line break or a control. */
function shown(value: string | undefined): string {
  if (value === undefined) return '(none)';
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(value) ? JSON.stringify(value) : value;
}

function line(d: Difference): string {
  const field = d.aspect === undefined ? d.field : `${d.field} ${d.aspect}`;
  return `  ${field}: ${shown(d.before)} → ${shown(d.after)}`;
}

/** The comparison as text: the checkpoint's fields, then its <domain>'s, then what it means for backups. */
export function comparisonLines(
  comparison: Comparison,
  a: { label: string; name: string },
  b: { label: string; name: string },
): string[] {
  const { differences, gap, newBitmaps, lostBitmaps } = comparison;
  if (differences.length === 0)
    return [`${a.label} and ${b.label} are equivalent after libvirt's formatting`];
  const out = [
    `${a.label} and ${b.label} differ: ${differences.length} ${differences.length === 1 ? 'difference' : 'differences'}`,
  ];
  for (const scope of ['checkpoint', 'domain'] as const) {
    const mine = differences.filter((d) => d.scope === scope);
    if (mine.length === 0) continue;
    out.push(scope === 'checkpoint' ? 'checkpoint:' : '<domain>:');
    for (const d of mine) {
      out.push(line(d));
      if (d.field === 'creationTime' && gap !== undefined) {
        out.push(`    ${d.summary.slice('creationTime '.length)}`);
      }
    }
  }
  const note = (disk: string, has: string, since: string) =>
    `note: ${disk} has a bitmap in ${has} and none in ${since}: an incremental backup of ${disk} since ${since} is impossible`;
  for (const disk of newBitmaps) out.push(note(disk, b.name, a.name));
  for (const disk of lostBitmaps) out.push(note(disk, a.name, b.name));
  return out;
}

/**
 * `diff A B`: two checkpoints compared as libvirt reads them, or a checkpoint's <domain> with a VM
 * definition, or two definitions. Exit 0 when the same after libvirt's formatting, 1 when they
 * differ, 2 when a file cannot be read as either (as diff(1) and cmp(1) do).
 */
export function diffCommand(first: InputFile, second: InputFile, output: Output): number {
  const a = readFile(first);
  const b = readFile(second);
  if (a.kind === 'refused' || b.kind === 'refused') {
    for (const r of [a, b]) if (r.kind === 'refused') reportFailure(output, r.problems);
    return 2;
  }
  let comparison: Comparison;
  if (a.kind === 'checkpoint' && b.kind === 'checkpoint') {
    comparison = compareCheckpoints(a.checkpoint, b.checkpoint);
  } else {
    const domainOf = (r: typeof a, file: InputFile): XmlElement | undefined => {
      const domain = r.kind === 'domain' ? r.root : r.checkpoint.domain;
      if (!domain) {
        output.err(
          `error: ${file.fileName}: the checkpoint has no <domain> to compare with a VM definition\n`,
        );
      }
      return domain;
    };
    const da = domainOf(a, first);
    const db = domainOf(b, second);
    if (!da || !db) return 2;
    comparison = { differences: compareDomains(da, db), newBitmaps: [], lostBitmaps: [] };
  }
  output.out(comparisonLines(comparison, a, b).join('\n') + '\n');
  return comparison.differences.length === 0 ? 0 : 1;
}
