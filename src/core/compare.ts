import type { Checkpoint, CheckpointDisk } from './checkpoint.ts';
import type { Canon, DiskFacts, DomainFacts } from './domain-facts.ts';
import { canonXml, childKeys, formatBytes, readDomainForCompare } from './domain-facts.ts';
import { formatCheckpoint } from './format.ts';
import type { XmlElement, XmlNamespace } from './xml.ts';
import { append } from './append.ts';

export type DifferenceKind = 'added' | 'removed' | 'changed';

/** One way two checkpoints (or two VM definitions) differ, in libvirt's words. */
export interface Difference {
  /** The checkpoint's own fields, or the VM's definition it carries. */
  scope: 'checkpoint' | 'domain';
  /**
   * What differs, as libvirt's XML names it: `name`, `parent`, `creationTime`, `disk vdb`,
   * `memory`, `vcpu`, `machine`, or an element path in <domain> (`devices/interface[…]/source@network`).
   */
  field: string;
  /** Which part of the field, where it has parts: a disk's `source`, `format`, `bus`, `bitmap`… */
  aspect?: string;
  kind: DifferenceKind;
  /** The value in the first; absent when it has none. */
  before?: string;
  /** The value in the second; absent when it has none. */
  after?: string;
  /** In brief, for a mark or a line: `vdb added`, `memory 4→8 GiB`. */
  summary: string;
}

/** What tells two checkpoints apart. */
export interface Comparison {
  /** Empty when libvirt would hold the two as the same checkpoint. */
  differences: Difference[];
  /** The second's creation time minus the first's, in seconds (decimal text), when both have one. */
  gap?: string;
  /**
   * Disks with a bitmap in the second and none in the first: an incremental backup of them since
   * the first is impossible.
   */
  newBitmaps: string[];
}

const SHORT = 40;

function summarize(what: string, kind: DifferenceKind, before?: string, after?: string): string {
  if (kind === 'added') return `${what} added`;
  if (kind === 'removed') return `${what} removed`;
  const b = before ?? '';
  const a = after ?? '';
  return b.length <= SHORT && a.length <= SHORT && !/\n/.test(b + a)
    ? `${what} ${b}→${a}`
    : `${what} changed`;
}

function kindOf(before: string | undefined, after: string | undefined): DifferenceKind {
  return before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
}

function difference(
  scope: Difference['scope'],
  field: string,
  before: string | undefined,
  after: string | undefined,
  summary?: string,
  aspect?: string,
): Difference {
  const kind = kindOf(before, after);
  const d: Difference = {
    scope,
    field,
    kind,
    summary: summary ?? summarize(aspect ? `${field} ${aspect}` : field, kind, before, after),
  };
  if (aspect !== undefined) d.aspect = aspect;
  if (before !== undefined) d.before = before;
  if (after !== undefined) d.after = after;
  return d;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Seconds since the epoch as a UTC date and time: `2024-03-01 00:00:00 UTC`; undefined beyond dates. */
export function utcTime(seconds: string): string | undefined {
  const ms = Number(seconds) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** A gap in seconds in words: `1 day 2 h 5 min later`, `3 h earlier`, `at the same second`. */
export function describeGap(seconds: string): string {
  let s = BigInt(seconds);
  if (s === 0n) return 'at the same second';
  const later = s > 0n;
  if (!later) s = -s;
  const days = s / 86400n;
  const parts: string[] = [];
  if (days) parts.push(`${days} ${days === 1n ? 'day' : 'days'}`);
  const hours = (s % 86400n) / 3600n;
  if (hours) parts.push(`${hours} h`);
  const minutes = (s % 3600n) / 60n;
  if (minutes) parts.push(`${minutes} min`);
  if (s % 60n) parts.push(`${s % 60n} s`);
  return `${parts.join(' ')} ${later ? 'later' : 'earlier'}`;
}

/** A creation time libvirt prints (it prints none for 0), or what the file wrote when unreadable. */
function creationOf(cp: Checkpoint): string | undefined {
  if (cp.creationTime !== undefined) return cp.creationTime === '0' ? undefined : cp.creationTime;
  return cp.creationTimeAsWritten;
}

function timeWithDate(seconds: string | undefined): string | undefined {
  if (seconds === undefined || !/^\d+$/.test(seconds)) return seconds;
  const date = utcTime(seconds);
  return date ? `${seconds} (${date})` : seconds;
}

/** The bitmap a checkpoint keeps on a disk: its own name when the file names none, as libvirt fills it in. */
function bitmapOf(disk: CheckpointDisk, checkpointName: string | undefined): string | undefined {
  if (disk.checkpointAsWritten !== undefined || disk.checkpoint !== 'bitmap') return undefined;
  return disk.bitmap ?? checkpointName;
}

function describeCheckpointDisk(disk: CheckpointDisk, name: string | undefined): string {
  if (disk.checkpointAsWritten !== undefined) return `checkpoint='${disk.checkpointAsWritten}'`;
  if (disk.checkpoint === 'no') return 'no';
  const bitmap = bitmapOf(disk, name);
  return bitmap === undefined ? 'bitmap' : `bitmap ${bitmap}`;
}

function checkpointDisks(a: Checkpoint, b: Checkpoint, out: Difference[]): string[] {
  const before = new Map((a.disks ?? []).map((d) => [d.name, d]));
  const after = new Map((b.disks ?? []).map((d) => [d.name, d]));
  const newBitmaps: string[] = [];
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(name);
    const y = after.get(name);
    const field = `disk ${name}`;
    if (y && bitmapOf(y, b.name) !== undefined && (!x || bitmapOf(x, a.name) === undefined))
      newBitmaps.push(name);
    if (!x || !y) {
      const value = (d: CheckpointDisk | undefined, cp: Checkpoint) =>
        d && describeCheckpointDisk(d, cp.name);
      out.push(difference('checkpoint', field, value(x, a), value(y, b)));
      continue;
    }
    const checkpointX = x.checkpointAsWritten ?? x.checkpoint;
    const checkpointY = y.checkpointAsWritten ?? y.checkpoint;
    if (checkpointX !== checkpointY) {
      out.push(difference('checkpoint', field, checkpointX, checkpointY, undefined, 'checkpoint'));
      continue;
    }
    const bx = bitmapOf(x, a.name);
    const by = bitmapOf(y, b.name);
    // Each bitmap named after its own checkpoint is libvirt's default, not a difference.
    const ownNames = bx === a.name && by === b.name;
    if (bx !== by && !ownNames) {
      out.push(difference('checkpoint', field, bx, by, undefined, 'bitmap'));
    }
  }
  return newBitmaps;
}

/**
 * How two checkpoints differ, as libvirt reads them: name, description, parent, creation time
 * (and the gap between them), their disks' checkpoint and bitmap, and the <domain> each carries
 * (see compareDomains). Layout, comments, quotes and attribute order do not count, nor a bitmap
 * named after its own checkpoint on each side, nor a console password (libvirt does not print it
 * without --security-info).
 */
export function compareCheckpoints(a: Checkpoint, b: Checkpoint): Comparison {
  const out: Difference[] = [];
  for (const field of ['name', 'description', 'parent'] as const) {
    if (a[field] !== b[field]) out.push(difference('checkpoint', field, a[field], b[field]));
  }
  const ta = creationOf(a);
  const tb = creationOf(b);
  let gap: string | undefined;
  if (ta !== tb) {
    const readable = a.creationTime !== undefined && b.creationTime !== undefined;
    if (readable && ta !== undefined && tb !== undefined)
      gap = (BigInt(tb) - BigInt(ta)).toString();
    out.push(
      difference(
        'checkpoint',
        'creationTime',
        timeWithDate(ta),
        timeWithDate(tb),
        gap !== undefined ? `creationTime ${describeGap(gap)}` : undefined,
      ),
    );
  }
  const newBitmaps = checkpointDisks(a, b, out);
  if (a.domain && b.domain) {
    append(out, compareDomains(a.domain, b.domain));
  } else if (a.domain || b.domain) {
    out.push(
      difference(
        'domain',
        'domain',
        a.domain && '<domain>',
        b.domain && '<domain>',
        a.domain ? 'domain removed' : 'domain added',
      ),
    );
  }
  const comparison: Comparison = { differences: out, newBitmaps };
  if (gap !== undefined) comparison.gap = gap;
  return comparison;
}

/** Two sizes in bytes in brief: `memory 4→8 GiB`, `memory 512 MiB→1 GiB`. */
function sizeSummary(field: string, a: string | undefined, b: string | undefined): string {
  if (a === undefined || b === undefined) return summarize(field, kindOf(a, b));
  const [va, ua] = formatBytes(a).split(' ');
  const [vb, ub] = formatBytes(b).split(' ');
  return ua === ub ? `${field} ${va}→${vb} ${ua}` : `${field} ${formatBytes(a)}→${formatBytes(b)}`;
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1) || path;

function describeDisk(d: DiskFacts): string {
  return [d.format, d.source ?? '(no source)', `on ${d.bus}`].filter(Boolean).join(' ');
}

/**
 * What operators ask about by name: memory, vCPUs, machine type, and each disk (by target) added,
 * removed, or with another source, format or bus. `more` adds what else differs in a disk found in both.
 */
function namedDifferences(
  a: DomainFacts,
  b: DomainFacts,
  more: (target: string) => Difference[],
): Difference[] {
  const out: Difference[] = [];
  for (const field of ['memory', 'currentMemory'] as const) {
    const x = a[field];
    const y = b[field];
    if (x !== y)
      out.push(
        difference(
          'domain',
          field,
          x && formatBytes(x),
          y && formatBytes(y),
          sizeSummary(field, x, y),
        ),
      );
  }
  if (a.vcpu !== b.vcpu) out.push(difference('domain', 'vcpu', a.vcpu, b.vcpu));
  if (a.machine !== b.machine) out.push(difference('domain', 'machine', a.machine, b.machine));
  const before = new Map(a.disks.map((d) => [d.target, d]));
  const after = new Map(b.disks.map((d) => [d.target, d]));
  for (const target of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(target);
    const y = after.get(target);
    const field = `disk ${target}`;
    if (!x || !y) {
      out.push(
        difference(
          'domain',
          field,
          x && describeDisk(x),
          y && describeDisk(y),
          `${target} ${x ? 'removed' : 'added'}`,
        ),
      );
      continue;
    }
    if (x.source !== y.source) {
      const [sa, sb] = [x.source ?? '(none)', y.source ?? '(none)'];
      const brief =
        baseName(sa) !== baseName(sb) ? `${baseName(sa)}→${baseName(sb)}` : `${sa}→${sb}`;
      out.push(
        difference('domain', field, x.source, y.source, `${target} source ${brief}`, 'source'),
      );
    }
    if (x.format !== y.format)
      out.push(
        difference(
          'domain',
          field,
          x.format,
          y.format,
          `${target} ${x.format ?? '(no format)'}→${y.format ?? '(no format)'}`,
          'format',
        ),
      );
    if (x.bus !== y.bus)
      out.push(difference('domain', field, x.bus, y.bus, `${target} bus ${x.bus}→${y.bus}`, 'bus'));
    append(out, more(target));
  }
  return out;
}

type Emit = (path: string, before: string | undefined, after: string | undefined) => void;

/** Each path's label: `name`, or `name[2]` where the name repeats, or the key (`interface[mac]`). */
function labels(keys: readonly string[], other: readonly string[]): Map<string, string> {
  const all = new Set([...keys, ...other]);
  const out = new Map<string, string>();
  for (const key of all) {
    const m = /^(.*)#(\d+)$/.exec(key);
    if (!m) out.set(key, key);
    else {
      const [, base, n] = m as unknown as [string, string, string];
      const repeats = all.has(`${base}#2`);
      const name = base.replace(/^\{[^}]*\}/, '');
      out.set(key, repeats ? `${name}[${n}]` : name);
    }
  }
  return out;
}

/** Everything two canonical elements differ in, by element path: attributes, text, children. */
function diffCanon(a: Canon, b: Canon, path: string, root: string, emit: Emit): void {
  const attrPath = (name: string) => `${path || root}@${name}`;
  const av = new Map(a.attributes.map((x) => [x.key, x]));
  const bv = new Map(b.attributes.map((x) => [x.key, x]));
  for (const key of new Set([...av.keys(), ...bv.keys()])) {
    const x = av.get(key);
    const y = bv.get(key);
    if (x?.value !== y?.value) emit(attrPath((x ?? y)?.name ?? key), x?.value, y?.value);
  }
  if (a.text !== b.text) emit(path || root, a.text || undefined, b.text || undefined);
  const ka = childKeys(a.children);
  const kb = childKeys(b.children);
  const label = labels(ka, kb);
  const inB = new Map(kb.map((k, i) => [k, b.children[i] as Canon]));
  const inA = new Set(ka);
  const join = (key: string) => (path ? `${path}/${label.get(key)}` : (label.get(key) as string));
  ka.forEach((key, i) => {
    const x = a.children[i] as Canon;
    const y = inB.get(key);
    if (y) diffCanon(x, y, join(key), root, emit);
    else emit(join(key), canonXml(x), undefined);
  });
  kb.forEach((key, i) => {
    if (!inA.has(key)) emit(join(key), undefined, canonXml(b.children[i] as Canon));
  });
}

/**
 * How two VM definitions differ, as libvirt reads them: memory, vCPUs, machine type, each disk
 * (by target) added, removed or with another source, format or bus, and anything else by element
 * path (`devices/interface[52:54:00:12:34:56]/source@network`). Order among different elements,
 * attribute order, layout and comments do not count; a live domain's id and console passwords
 * are not compared.
 */
export function compareDomains(a: XmlElement, b: XmlElement): Difference[] {
  const ra = readDomainForCompare(a);
  const rb = readDomainForCompare(b);
  const out = namedDifferences(ra.facts, rb.facts, (target) => {
    const found: Difference[] = [];
    const x = ra.diskRests.get(target) as Canon;
    const y = rb.diskRests.get(target) as Canon;
    diffCanon(x, y, '', 'disk', (path, before, after) =>
      found.push(
        difference(
          'domain',
          `disk ${target}`,
          before,
          after,
          summarize(`${target} ${path}`, kindOf(before, after), before, after),
          path,
        ),
      ),
    );
    return found;
  });
  diffCanon(ra.rest, rb.rest, '', 'domain', (path, before, after) =>
    out.push(difference('domain', path, before, after)),
  );
  return out;
}

/**
 * compareDomains on two domains in brief (domainFacts): the same named differences; what else
 * differs is only known to differ.
 */
export function compareDomainFacts(a: DomainFacts, b: DomainFacts): Difference[] {
  const restA = new Map(a.disks.map((d) => [d.target, d.rest]));
  const restB = new Map(b.disks.map((d) => [d.target, d.rest]));
  const out = namedDifferences(a, b, (target) =>
    restA.get(target) === restB.get(target)
      ? []
      : [
          {
            scope: 'domain',
            field: `disk ${target}`,
            aspect: 'settings',
            kind: 'changed',
            summary: `${target} settings changed`,
          },
        ],
  );
  if (a.rest !== b.rest) {
    out.push({
      scope: 'domain',
      field: 'domain',
      kind: 'changed',
      summary: 'other <domain> settings changed',
    });
  }
  return out;
}

/** A <domain> alone as libvirt lays it out (as `virsh dumpxml` prints one): for reading two side by side. */
export function formatDomainText(domain: XmlElement, scope?: readonly XmlNamespace[]): string {
  const text = formatCheckpoint({
    positions: {},
    domain,
    ...(scope ? { domainScope: [...scope] } : {}),
  });
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('  <domain'));
  const end = lines.lastIndexOf('  </domain>');
  const body = start < 0 ? [] : lines.slice(start, end < start ? start + 1 : end + 1);
  return body.map((l) => l.slice(2)).join('\n') + '\n';
}
