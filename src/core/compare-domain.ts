import type { Canon, DiskFacts, DomainFacts } from './domain-facts.ts';
import { canonXml, childKeys, formatBytes, readDomainForCompare } from './domain-facts.ts';
import type { Difference } from './difference.ts';
import { difference, kindOf, summarize } from './difference.ts';
import { formatCheckpoint } from './format.ts';
import type { XmlElement, XmlNamespace } from './xml.ts';
import { append } from './append.ts';

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
