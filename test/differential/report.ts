import type { CliResult } from './cli.ts';
import type { Comparison } from './compare.ts';
import type { DiffCase } from './generate.ts';
import type { LibvirtAnswer } from './libvirt.ts';

export interface Outcome {
  case: DiffCase;
  args: string[];
  libvirt: LibvirtAnswer;
  ours: CliResult;
  comparison: Comparison;
}

export function summaryLine(outcomes: readonly Outcome[]): string {
  const count = (v: Comparison['verdict']): number =>
    outcomes.filter((o) => o.comparison.verdict === v).length;
  return (
    `differential: ${outcomes.length} cases, ${count('identical')} identical output, ` +
    `${count('same-error')} same error, ${count('mismatch')} mismatches`
  );
}

/** The <domain> subtree is long and always libvirt's own: show where it is, not what it says. */
const elideDomain = (xml: string): string =>
  xml.replace(
    /<domain [^>]*>[\s\S]*?<\/domain>/g,
    (d) => `<domain …${d.split('\n').length} lines…/>`,
  );

const show = (text: string): string =>
  elideDomain(text)
    .replace(/\r/g, '\\r')
    .trimEnd()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');

function detail(o: Outcome): string {
  const libvirt = o.libvirt.ok ? show(o.libvirt.xml) : show(`error: ${o.libvirt.message}`);
  const ours =
    o.ours.code === 0 ? show(o.ours.stdout) : show(`exit ${o.ours.code}\n${o.ours.stderr}`);
  return [
    `  ${o.case.id} on VM ${o.case.vm.name}: ${o.comparison.why ?? ''}`,
    `    args: ${o.args.join(' ')}`,
    `    tags: ${o.case.tags.join(' ')}`,
    `    input:\n${show(o.case.xml)}`,
    `    libvirt:\n${libvirt}`,
    `    ours:\n${ours}`,
  ].join('\n');
}

/** The first mismatches in full, then one line for each of the rest. */
export function mismatchReport(outcomes: readonly Outcome[], workDir: string, inFull = 8): string {
  const bad = outcomes.filter((o) => o.comparison.verdict === 'mismatch');
  const rest = bad.slice(inFull, inFull + 60);
  return [
    `${bad.length} mismatches (case files in ${workDir}):`,
    ...bad.slice(0, inFull).map(detail),
    ...(rest.length
      ? ['  and:', ...rest.map((o) => `  ${o.case.id}: ${o.comparison.why ?? ''}`)]
      : []),
    ...(bad.length > inFull + 60 ? [`  … ${bad.length - inFull - 60} more`] : []),
  ].join('\n');
}
