import type { CheckJson, VmJson } from './check-json.ts';

/**
 * `check --prometheus`: the `check --json` document in Prometheus' text exposition format (0.0.4),
 * for node_exporter's textfile collector: per VM and per disk, whether the next backup can be
 * incremental, how many checkpoints, and the errors and warnings found.
 */

interface Metric {
  name: string;
  help: string;
  samples: { labels: Record<string, string>; value: number }[];
}

/** A label value as the format wants it: backslash, double quote and line feed escaped. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and line feed only. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function vmLabels(vm: VmJson): Record<string, string> {
  return { host: vm.host ?? '', vm: vm.name ?? vm.label, uuid: vm.uuid ?? '' };
}

function metric(name: string, help: string): Metric {
  return { name: `checkpoint_editor_${name}`, help, samples: [] };
}

const READINESS_STATES = ['incremental', 'full', 'unknown', 'redefine'] as const;

/** The document's metrics, in the order they are written. */
function metrics(doc: CheckJson): Metric[] {
  const vmIncremental = metric(
    'vm_incremental_possible',
    'Whether the next backup job of the VM can be incremental on every disk that checkpoints keep (1) or not (0).',
  );
  const vmReadiness = metric(
    'vm_readiness',
    'The VM readiness as check says it: 1 for the state it is in (incremental, full, unknown: the evidence cannot prove it, redefine: libvirt knows none of the checkpoints).',
  );
  const vmStatus = metric(
    'vm_check_status',
    'The check exit status of the VM: 0 an incremental backup can run and nothing is in error, 1 otherwise.',
  );
  const vmCheckpoints = metric('vm_checkpoints', 'Checkpoints loaded for the VM.');
  const vmErrors = metric(
    'vm_errors',
    'Errors found for the VM: what libvirt refuses (a broken bitmap chain, metadata without bitmap, a parent missing, a file it cannot read).',
  );
  const vmWarnings = metric(
    'vm_warnings',
    'Warnings found for the VM (a bitmap no checkpoint keeps, an image that matches no disk).',
  );
  const diskIncremental = metric(
    'disk_incremental_possible',
    'Whether the next backup of the disk can be incremental from a checkpoint (1) or not (0).',
  );
  const diskCheckpoints = metric('disk_checkpoints', 'Checkpoints that keep a bitmap on the disk.');
  const diskValid = metric(
    'disk_valid_checkpoints',
    'Checkpoints whose bitmap chain on the disk libvirt would accept (qemuBlockBitmapChainIsValid).',
  );
  const diskBroken = metric(
    'disk_broken_checkpoints',
    'Checkpoints whose bitmap on the disk libvirt refuses: missing, a gap, disabled, in-use, not persistent.',
  );
  const skipped = metric('skipped_files', 'Files met that could not be read (reported on stderr).');
  for (const vm of doc.vms) {
    const labels = vmLabels(vm);
    vmIncremental.samples.push({ labels, value: vm.readiness.state === 'incremental' ? 1 : 0 });
    for (const state of READINESS_STATES)
      vmReadiness.samples.push({
        labels: { ...labels, state },
        value: vm.readiness.state === state ? 1 : 0,
      });
    vmStatus.samples.push({ labels, value: vm.status });
    vmCheckpoints.samples.push({ labels, value: vm.counts.checkpoints });
    vmErrors.samples.push({ labels, value: vm.counts.errors });
    vmWarnings.samples.push({ labels, value: vm.counts.warnings });
    for (const disk of vm.disks) {
      const disked = { ...labels, disk: disk.target };
      const cells = vm.checkpoints
        .filter((c) => c.defined)
        .map((c) => c.verdicts.find((v) => v.disk === disk.target))
        .filter((v) => v !== undefined && v.verdict !== 'no');
      const broken = ['missing', 'gap', 'disabled', 'in-use', 'not persistent'];
      diskIncremental.samples.push({
        labels: disked,
        value: disk.readiness.state === 'incremental' ? 1 : 0,
      });
      diskCheckpoints.samples.push({ labels: disked, value: cells.length });
      diskValid.samples.push({
        labels: disked,
        value: cells.filter((v) => v?.verdict === 'ok').length,
      });
      diskBroken.samples.push({
        labels: disked,
        value: cells.filter((v) => broken.includes(v?.verdict ?? '')).length,
      });
    }
  }
  skipped.samples.push({ labels: {}, value: doc.skipped.length });
  return [
    vmIncremental,
    vmReadiness,
    vmStatus,
    vmCheckpoints,
    vmErrors,
    vmWarnings,
    diskIncremental,
    diskCheckpoints,
    diskValid,
    diskBroken,
    skipped,
  ];
}

function sampleLine(name: string, labels: Record<string, string>, value: number): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${value}`;
}

/** The document as Prometheus text: HELP and TYPE (all gauges) before each metric's samples. */
export function prometheusText(doc: CheckJson): string {
  const lines: string[] = [];
  for (const m of metrics(doc)) {
    lines.push(`# HELP ${m.name} ${escapeHelp(m.help)}`, `# TYPE ${m.name} gauge`);
    for (const s of m.samples) lines.push(sampleLine(m.name, s.labels, s.value));
  }
  return `${lines.join('\n')}\n`;
}
