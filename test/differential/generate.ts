import {
  comment,
  creationTime,
  description,
  disks,
  INVALID_NAMES,
  PARENTS,
  uniqueName,
} from './pieces.ts';
import type { Random } from '../../src/samples/index.ts';
import { seededRandom } from '../../src/samples/index.ts';
import type { TestHostVm as Vm } from '../../src/samples/index.ts';
import { TRUST_KINDS, transform } from './trust-kinds.ts';
import { escapeText } from './xml-text.ts';

/** The share of cases made into a file an operator brings when something broke. */
const TRUST_SHARE = 0.35;

/** One generated checkpoint file and how it is redefined and dumped. */
export interface DiffCase {
  id: string;
  /** The VM it is redefined on. */
  vm: Vm;
  /** The checkpoint to dump afterwards; undefined when the file has no usable name. */
  name: string | undefined;
  hasDomain: boolean;
  /** checkpoint-dumpxml flags, the same for the CLI. */
  dumpFlags: string[];
  xml: string;
  /** The file's bytes when they are not the UTF-8 of `xml` (another encoding, a NUL). */
  bytes?: Uint8Array;
  /** What the case exercises, to group mismatches by. */
  tags: string[];
}

/** Lines of XML, each with its depth below the element that holds them. */
type Lines = [number, string][];

interface Layout {
  tag: string;
  indent: string;
  newline: string;
}

const LAYOUTS: readonly (readonly [number, Layout])[] = [
  [6, { tag: 'pretty', indent: '  ', newline: '\n' }],
  [2, { tag: 'flat', indent: '', newline: '' }],
  [1, { tag: 'tabs', indent: '\t', newline: '\n' }],
  [1, { tag: 'crlf', indent: ' ', newline: '\r\n' }],
];

const VM_WEIGHTS: Record<string, number> = {
  multi: 35,
  guest1: 25,
  'odd-paths': 20,
  web01: 15,
  nodisks: 5,
};

type Extra =
  'none' | 'active' | 'two-names' | 'unknown-disk-attribute' | 'wrong-root' | 'malformed';

const nest = (open: string, close: string, inner: Lines): Lines => [
  [0, open],
  ...inner.map(([d, t]): [number, string] => [d + 1, t]),
  [0, close],
];

const render = (lines: Lines, layout: Layout): string =>
  lines.map(([d, t]) => layout.indent.repeat(d) + t).join(layout.newline);

/** A canonical domain (2-space indent from depth 1) as lines relative to its <domain>. */
function domainLines(rng: Random, canonical: string, tags: string[]): Lines {
  const lines: Lines = canonical.split('\n').map((line) => {
    const text = line.trimStart();
    return [(line.length - text.length) / 2 - 1, text];
  });
  if (rng.chance(0.05)) {
    lines.splice(2, 0, [1, comment(rng)]);
    tags.push('domain:comment');
  }
  return lines;
}

export function generateCases(
  seed: number,
  count: number,
  vms: readonly Vm[],
  domains: ReadonlyMap<string, string>,
): DiffCase[] {
  const rng = seededRandom(seed);
  const used = new Set<string>(PARENTS);
  return Array.from({ length: count }, (_, i) =>
    generateCase(rng, `c${String(i).padStart(4, '0')}`, vms, domains, used),
  );
}

function generateCase(
  rng: Random,
  id: string,
  vms: readonly Vm[],
  domains: ReadonlyMap<string, string>,
  used: Set<string>,
): DiffCase {
  const tags: string[] = [];
  const vm = rng.weighted(vms.map((v) => [VM_WEIGHTS[v.name] ?? 10, v] as const));
  const layout = rng.weighted(LAYOUTS);
  if (layout.tag !== 'pretty') tags.push(`layout:${layout.tag}`);
  const extra = rng.weighted<Extra>([
    [94, 'none'],
    [2, 'active'],
    [1, 'two-names'],
    [1, 'unknown-disk-attribute'],
    [1, 'wrong-root'],
    [1, 'malformed'],
  ]);
  if (extra !== 'none') tags.push(`extra:${extra}`);
  const children: { key: string; lines: Lines }[] = [];
  const leaf = (key: string, xml: string): void => {
    children.push({ key, lines: [[0, xml]] });
  };

  const nameKind = rng.weighted<string>([
    [94, 'valid'],
    [2, 'missing'],
    [4, 'invalid'],
  ]);
  let name: string | undefined;
  if (nameKind === 'valid') name = uniqueName(rng, used);
  else tags.push(`name:${nameKind}`);
  const nameText = nameKind === 'invalid' ? rng.pick(INVALID_NAMES) : name;
  if (nameText !== undefined) leaf('name', `<name>${escapeText(rng, nameText)}</name>`);
  if (extra === 'two-names' && name !== undefined) leaf('name2', `<name>second</name>`);

  const desc = description(rng, tags);
  if (extra === 'malformed') leaf('description', '<description>a & b</description>');
  else if (desc !== undefined) leaf('description', desc);

  const parentKind = rng.weighted<string>([
    [55, 'none'],
    [43, 'existing'],
    [2, 'self'],
  ]);
  if (parentKind !== 'none') {
    const parent = parentKind === 'self' && name !== undefined ? name : rng.pick(PARENTS);
    tags.push(parent === name ? 'parent:self' : 'parent');
    const inner = `<name>${escapeText(rng, parent)}</name>`;
    children.push({
      key: 'parent',
      lines: rng.chance(0.3)
        ? [[0, `<parent>${inner}</parent>`]]
        : nest('<parent>', '</parent>', [[0, inner]]),
    });
  }

  const time = creationTime(rng, tags);
  if (time !== undefined) leaf('creationTime', `<creationTime>${time}</creationTime>`);

  const diskElements = disks(rng, vm, extra === 'unknown-disk-attribute', tags);
  if (diskElements) {
    const inner: Lines = diskElements.map((d) => [0, d]);
    if (rng.chance(0.08)) inner.splice(rng.int(0, inner.length), 0, [0, comment(rng)]);
    children.push({ key: 'disks', lines: nest('<disks>', '</disks>', inner) });
  }
  if (extra === 'active') leaf('active', '<active>1</active>');

  const hasDomain = extra !== 'wrong-root' && extra !== 'malformed' && rng.chance(0.6);
  if (hasDomain) {
    let domainVm = vm;
    if (rng.chance(0.04)) {
      domainVm = rng.pick(vms.filter((v) => v !== vm && v.disks.length > 0));
      tags.push('domain:other-uuid');
    }
    tags.push(`domain:${domainVm.name}`);
    const canonical = domains.get(domainVm.name);
    if (canonical === undefined) throw new Error(`no canonical domain for ${domainVm.name}`);
    children.push({ key: 'domain', lines: domainLines(rng, canonical, tags) });
  }

  // libvirt's schema interleaves the children: any order is valid.
  const ordered = rng.chance(0.5) ? rng.shuffle(children) : children;
  if (ordered !== children) tags.push('order:shuffled');
  const withComments = rng.chance(0.15);
  const body: Lines = ordered.flatMap(({ lines }) =>
    withComments && rng.chance(0.3) ? [[0, comment(rng)] as [number, string], ...lines] : lines,
  );
  if (withComments) tags.push('comments');
  const root = extra === 'wrong-root' ? 'domainsnapshot' : 'domaincheckpoint';
  let xml = render(nest(`<${root}>`, `</${root}>`, body), layout);

  const prolog: string[] = [];
  if (rng.chance(0.3)) {
    prolog.push(
      rng.pick([
        '<?xml version="1.0"?>',
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>',
      ]),
    );
    tags.push('declaration');
  }
  if (rng.chance(0.05)) prolog.push(comment(rng));
  xml = prolog.map((p) => p + (layout.newline || '\n')).join('') + xml;
  if (rng.chance(0.01)) {
    xml = `\uFEFF${xml}`;
    tags.push('bom');
  }
  if (rng.chance(0.9)) xml += '\n';

  // Files as operators bring them when something broke (trust-kinds.ts).
  let bytes: Uint8Array | undefined;
  if (rng.chance(TRUST_SHARE)) {
    const kind = rng.weighted(TRUST_KINDS);
    tags.push(`trust:${kind}`);
    const t = transform(rng, kind, xml, name, tags.includes('parent:self'));
    xml = t.xml;
    bytes = t.bytes;
    if (t.name !== undefined) name = t.name;
  }

  const dumpFlags = rng.shuffle(
    [
      rng.chance(0.25) ? '--no-domain' : '',
      rng.chance(0.5) ? '--security-info' : '',
      rng.chance(0.2) ? '--size' : '',
    ].filter(Boolean),
  );
  return { id, vm, name, hasDomain, dumpFlags, xml, ...(bytes ? { bytes } : {}), tags };
}
