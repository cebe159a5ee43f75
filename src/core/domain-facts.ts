import type { DomainDisk } from './domain.ts';
import { readDomainDisk } from './domain.ts';
import type { XmlElement } from './xml.ts';
import { attribute, childElements, firstChild, textContent } from './xml.ts';

/**
 * An element as libvirt reads it, for comparing: its attributes in no particular order, its text
 * (none when only blanks, as libvirt's formatter drops it), its child elements; comments and
 * layout gone. Names are as written; `id` and each attribute's `key` hold the namespace.
 */
export interface Canon {
  name: string;
  id: string;
  attributes: { key: string; name: string; value: string }[];
  text: string;
  children: Canon[];
}

/** What a disk of a <domain> is, for comparing: its named facts, and a digest of the rest. */
export interface DiskFacts {
  target: string;
  /** The path (or network export) it reads: <source file|dev|dir|name=…>. */
  source?: string;
  /** <driver type=…>: qcow2, raw… */
  format?: string;
  /** <target bus=…>, or the bus libvirt derives from the target's name. */
  bus: string;
  /** Everything else the disk holds, digested: equal digests, an equal rest. */
  rest: string;
}

/**
 * A <domain> in brief, as the chain compares a checkpoint with its parent: what operators ask about
 * by name (memory, vCPUs, machine type, disks) and a digest of all the rest. Small enough to cross
 * from a worker with each of ten thousand files.
 */
export interface DomainFacts {
  /** <memory> in bytes, as decimal text (or as written, with its unit, when libvirt cannot scale it). */
  memory?: string;
  currentMemory?: string;
  /** <vcpu>: the maximum count. */
  vcpu?: string;
  /** <os><type machine=…>. */
  machine?: string;
  disks: DiskFacts[];
  rest: string;
}

/** A domain read for comparing: its facts, and the canonical rest behind each digest. */
export interface DomainReading {
  facts: DomainFacts;
  rest: Canon;
  diskRests: Map<string, Canon>;
}

/** libvirt's virScaleInteger units (case-insensitive): powers of 1024, or of 1000 with a B. */
const UNIT_POWERS: Record<string, [bigint, number]> = {
  b: [1n, 0],
  byte: [1n, 0],
  bytes: [1n, 0],
  k: [1024n, 1],
  kib: [1024n, 1],
  kb: [1000n, 1],
  m: [1024n, 2],
  mib: [1024n, 2],
  mb: [1000n, 2],
  g: [1024n, 3],
  gib: [1024n, 3],
  gb: [1000n, 3],
  t: [1024n, 4],
  tib: [1024n, 4],
  tb: [1000n, 4],
  p: [1024n, 5],
  pib: [1024n, 5],
  pb: [1000n, 5],
  e: [1024n, 6],
  eib: [1024n, 6],
  eb: [1000n, 6],
};

/** A memory element's size in bytes, as libvirt scales it (KiB when no unit is given). */
function memoryBytes(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  const text = textContent(el).trim();
  const unit = attribute(el, 'unit') ?? 'KiB';
  const scale = UNIT_POWERS[unit.toLowerCase()];
  if (!/^\d+$/.test(text) || !scale) return `${text} ${unit}`;
  return (BigInt(text) * scale[0] ** BigInt(scale[1])).toString();
}

const BINARY_UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** Bytes in the largest binary unit that holds them whole: `4 GiB`, `214 MiB`, `1000 KiB`. */
export function formatBytes(bytes: string): string {
  if (!/^\d+$/.test(bytes)) return bytes;
  let value = BigInt(bytes);
  let unit = 0;
  while (unit < BINARY_UNITS.length - 1 && value !== 0n && value % 1024n === 0n) {
    value /= 1024n;
    unit++;
  }
  return `${value} ${BINARY_UNITS[unit]}`;
}

/** The attribute that holds a disk's path, by its type, as domain.ts reads it. */
const SOURCE_ATTRIBUTE: Record<string, string> = {
  file: 'file',
  block: 'dev',
  dir: 'dir',
  network: 'name',
};

/** What a canonical copy leaves out: whole elements, or single attributes or text. */
interface Without {
  element?: (el: XmlElement, parent: XmlElement) => boolean;
  attribute?: (el: XmlElement, name: string) => boolean;
  text?: (el: XmlElement) => boolean;
}

/** Without --security-info libvirt prints no console password: it is not compared either. */
const isSecret = (el: XmlElement, name: string) => el.name === 'graphics' && name === 'passwd';

function qualified(name: string, uri: string | undefined): string {
  return uri === undefined ? name : `{${uri}}${name.slice(name.indexOf(':') + 1)}`;
}

/** An element's own part of its canonical form: what a Canon holds but its children's. */
function ownParts(el: XmlElement, without: Without) {
  let text = '';
  const children: XmlElement[] = [];
  for (const c of el.children) {
    if (c.kind === 'text' || c.kind === 'cdata') text += c.text;
    else if (c.kind === 'entity') text += c.text ?? '';
    else if (c.kind === 'element' && !without.element?.(c, el)) children.push(c);
  }
  if (text.trim() === '' || without.text?.(el)) text = '';
  const attributes: Canon['attributes'] = [];
  for (const a of el.attributes) {
    if (a.name.startsWith('xmlns') || isSecret(el, a.name) || without.attribute?.(el, a.name))
      continue;
    attributes.push({ key: qualified(a.name, a.uri), name: a.name, value: a.value });
  }
  attributes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { id: qualified(el.name, el.uri), attributes, text, children };
}

export function canonOf(el: XmlElement, without: Without = {}): Canon {
  const own = ownParts(el, without);
  return { ...own, name: el.name, children: own.children.map((c) => canonOf(c, without)) };
}

/**
 * A child's key without its place: an interface by its MAC address, a controller by type and
 * index; undefined for any other (it is paired by its place among the siblings of its name).
 */
function namedKey(
  id: string,
  attr: (name: string) => string | undefined,
  mac: () => string | undefined,
): string | undefined {
  if (id === 'interface') {
    const address = mac();
    return address ? `interface[${address.toLowerCase()}]` : undefined;
  }
  const type = id === 'controller' ? attr('type') : undefined;
  return type === undefined ? undefined : `controller[${type} ${attr('index') ?? '0'}]`;
}

/** Keys from their bases: a named key as it is the first time, anything else with its ordinal. */
function withOrdinals(bases: readonly { id: string; named: string | undefined }[]): string[] {
  const seen = new Map<string, number>();
  return bases.map(({ id, named }) => {
    const base = named ?? id;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return named !== undefined && n === 1 ? named : `${base}#${n}`;
  });
}

/**
 * The key that pairs a child with its counterpart in the other element: a disk by its target, an
 * interface by its MAC address, a controller by type and index, anything else by its place among
 * the siblings of its name.
 */
export function childKeys(children: readonly Canon[]): string[] {
  return withOrdinals(
    children.map((c) => ({
      id: c.id,
      named: namedKey(
        c.id,
        (name) => c.attributes.find((a) => a.key === name)?.value,
        () =>
          c.children.find((x) => x.id === 'mac')?.attributes.find((a) => a.key === 'address')
            ?.value,
      ),
    })),
  );
}

/** A canonical element as one line of XML, for a table cell. */
export function canonXml(c: Canon, max = 160): string {
  const attrs = c.attributes.map((a) => ` ${a.name}='${a.value}'`).join('');
  const inner = c.text + c.children.map((x) => canonXml(x, Infinity)).join('');
  const xml = inner ? `<${c.name}${attrs}>${inner}</${c.name}>` : `<${c.name}${attrs}/>`;
  return xml.length > max ? `${xml.slice(0, max - 1)}…` : xml;
}

/** Two 32-bit lanes of a hash: 64 bits, enough that equal digests mean equal content. */
type Lanes = [number, number];

/** A string into both lanes (FNV-1a on each UTF-16 unit, two primes). */
function hashText(text: string, seed: number): Lanes {
  let a = 0x811c9dc5 ^ seed;
  let b = 0x050c5d1f ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 16777619);
    b = Math.imul(b ^ c, 2246822519);
  }
  return [a >>> 0, b >>> 0];
}

/** One value after another: order counts. */
function combine(x: Lanes, y: Lanes): Lanes {
  return [
    Math.imul(x[0] ^ (y[0] + 0x9e3779b9 + (x[0] << 6) + (x[0] >>> 2)), 2654435761) >>> 0,
    Math.imul(x[1] ^ (y[1] + 0x7f4a7c15 + (x[1] << 6) + (x[1] >>> 2)), 1597334677) >>> 0,
  ];
}

/** The digest of what canonOf would make of an element, as lanes (see digestOf). */
function digestLanes(el: XmlElement, without: Without): Lanes {
  let lanes = hashText(qualified(el.name, el.uri), 1);
  // Attributes and children are summed: their order does not count, as compareDomains pairs them.
  let attrA = 0;
  let attrB = 0;
  for (const a of el.attributes) {
    if (a.name.startsWith('xmlns') || isSecret(el, a.name) || without.attribute?.(el, a.name))
      continue;
    const h = combine(hashText(qualified(a.name, a.uri), 2), hashText(a.value, 3));
    attrA = (attrA + h[0]) >>> 0;
    attrB = (attrB + h[1]) >>> 0;
  }
  lanes = combine(lanes, [attrA, attrB]);
  let text = '';
  let childA = 0;
  let childB = 0;
  let seen: Map<string, number> | undefined;
  for (const c of el.children) {
    if (c.kind === 'text' || c.kind === 'cdata') text += c.text;
    else if (c.kind === 'entity') text += c.text ?? '';
    else if (c.kind === 'element' && !without.element?.(c, el)) {
      const id = qualified(c.name, c.uri);
      const named =
        id === 'interface' || id === 'controller'
          ? namedKey(
              id,
              (name) => c.attributes.find((a) => a.name === name && a.uri === undefined)?.value,
              () => {
                const mac = c.children.find(
                  (x): x is XmlElement => x.kind === 'element' && x.name === 'mac' && !x.uri,
                );
                return mac?.attributes.find((a) => a.name === 'address' && a.uri === undefined)
                  ?.value;
              },
            )
          : undefined;
      // The key childKeys gives, as (base, place): a named key the first time, else its place.
      seen ??= new Map();
      const base = named ?? id;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const key = combine(hashText(base, 4), [named !== undefined && n === 1 ? 0 : n, 0]);
      const h = combine(key, digestLanes(c, without));
      childA = (childA + h[0]) >>> 0;
      childB = (childB + h[1]) >>> 0;
    }
  }
  if (text.trim() === '' || without.text?.(el)) text = '';
  lanes = combine(lanes, hashText(text, 5));
  return combine(lanes, [childA, childB]);
}

/**
 * The digest of what canonOf would make of an element, taken straight from it: equal digests
 * mean no difference compareDomains would find (attribute order, and order among children of
 * different keys, do not count). Cheap enough for every file of a folder.
 */
export function digestOf(el: XmlElement, without: Without = {}): string {
  const [a, b] = digestLanes(el, without);
  return a.toString(36) + '.' + b.toString(36);
}

/** What is left of a disk once its named facts (target, bus, format, source) are taken out. */
function diskRest(disk: DomainDisk): Without {
  const sourceAttribute = SOURCE_ATTRIBUTE[disk.type];
  return {
    attribute: (e, name) =>
      (e.name === 'target' && (name === 'dev' || name === 'bus')) ||
      (e.name === 'driver' && name === 'type') ||
      (e.name === 'source' && name === sourceAttribute),
  };
}

/** What is left of a domain once its named facts (memory, vcpu, machine, disks) are taken out. */
function domainRest(domain: XmlElement, devices: XmlElement | undefined): Without {
  return {
    element: (el, parent) =>
      (parent === domain && (el.name === 'memory' || el.name === 'currentMemory')) ||
      (parent === devices && el.name === 'disk'),
    // A live domain's id: libvirt drops it when it reads a checkpoint's <domain>.
    attribute: (el, name) =>
      (el === domain && name === 'id') || (el.name === 'type' && name === 'machine'),
    text: (el) => el.name === 'vcpu',
  };
}

/**
 * Reads a <domain> for comparing: its facts, and (`full`) the canonical rest behind each digest;
 * without, the rests are digested straight from the XML.
 */
function readDomain(domain: XmlElement, full: boolean): DomainReading {
  const devices = firstChild(domain, 'devices');
  const diskElements = devices ? childElements(devices, 'disk') : [];
  const disks: DiskFacts[] = [];
  const diskRests = new Map<string, Canon>();
  const targets = new Set<string>();
  for (const el of diskElements) {
    const disk = readDomainDisk(el);
    const without = diskRest(disk);
    // A target named twice (libvirt refuses that) keeps both apart.
    let target = disk.target;
    for (let n = 2; targets.has(target); n++) target = `${disk.target}#${n}`;
    targets.add(target);
    const facts: DiskFacts = { target, bus: disk.bus, rest: digestOf(el, without) };
    if (disk.source !== undefined) facts.source = disk.source;
    if (disk.driverType !== undefined) facts.format = disk.driverType;
    disks.push(facts);
    if (full) diskRests.set(target, canonOf(el, without));
  }
  const without = domainRest(domain, devices);
  const facts: DomainFacts = { disks, rest: digestOf(domain, without) };
  const memory = memoryBytes(firstChild(domain, 'memory'));
  if (memory !== undefined) facts.memory = memory;
  const current = memoryBytes(firstChild(domain, 'currentMemory'));
  if (current !== undefined) facts.currentMemory = current;
  const vcpu = firstChild(domain, 'vcpu');
  if (vcpu) facts.vcpu = textContent(vcpu).trim();
  const os = firstChild(domain, 'os');
  const machine = os && firstChild(os, 'type');
  const machineName = machine && attribute(machine, 'machine');
  if (machineName !== undefined) facts.machine = machineName;
  const rest = full
    ? canonOf(domain, without)
    : { name: '', id: '', attributes: [], text: '', children: [] };
  return { facts, rest, diskRests };
}

/** Reads a <domain> for comparing: its facts, and the canonical rest they were taken from. */
export function readDomainForCompare(domain: XmlElement): DomainReading {
  return readDomain(domain, true);
}

/** A <domain> in brief: what the chain needs to say how the VM changed between checkpoints. */
export function domainFacts(domain: XmlElement): DomainFacts {
  return readDomain(domain, false).facts;
}
