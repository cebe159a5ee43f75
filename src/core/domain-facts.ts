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

export function canonOf(el: XmlElement, without: Without = {}): Canon {
  let text = '';
  const children: Canon[] = [];
  for (const c of el.children) {
    if (c.kind === 'text' || c.kind === 'cdata') text += c.text;
    else if (c.kind === 'entity') text += c.text ?? '';
    else if (c.kind === 'element' && !without.element?.(c, el)) children.push(canonOf(c, without));
  }
  if (text.trim() === '' || without.text?.(el)) text = '';
  const attributes = el.attributes
    .filter((a) => !a.name.startsWith('xmlns') && !isSecret(el, a.name))
    .filter((a) => !without.attribute?.(el, a.name))
    .map((a) => ({ key: qualified(a.name, a.uri), name: a.name, value: a.value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { name: el.name, id: qualified(el.name, el.uri), attributes, text, children };
}

/**
 * The key that pairs a child with its counterpart in the other element: a disk by its target, an
 * interface by its MAC address, a controller by type and index, anything else by its place among
 * the siblings of its name.
 */
export function childKeys(children: readonly Canon[]): string[] {
  const seen = new Map<string, number>();
  return children.map((c) => {
    const attr = (name: string) => c.attributes.find((a) => a.key === name)?.value;
    const child = (name: string) => c.children.find((x) => x.id === name);
    let key: string | undefined;
    if (c.id === 'interface') {
      const mac = child('mac')?.attributes.find((a) => a.key === 'address')?.value;
      if (mac) key = `interface[${mac.toLowerCase()}]`;
    } else if (c.id === 'controller' && attr('type') !== undefined) {
      key = `controller[${attr('type')} ${attr('index') ?? '0'}]`;
    }
    const base = key ?? c.id;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return key !== undefined && n === 1 ? key : `${base}#${n}`;
  });
}

/** A canonical element as one line of XML, for a table cell. */
export function canonXml(c: Canon, max = 160): string {
  const attrs = c.attributes.map((a) => ` ${a.name}='${a.value}'`).join('');
  const inner = c.text + c.children.map((x) => canonXml(x, Infinity)).join('');
  const xml = inner ? `<${c.name}${attrs}>${inner}</${c.name}>` : `<${c.name}${attrs}/>`;
  return xml.length > max ? `${xml.slice(0, max - 1)}…` : xml;
}

/** The canonical text that a digest is taken of: children in key order, so order counts only among equals. */
function serial(c: Canon): string {
  const attrs = c.attributes.map((a) => `${a.key}=${JSON.stringify(a.value)}`).join(' ');
  const keys = childKeys(c.children);
  const children = c.children
    .map((x, i) => `${keys[i]}:${serial(x)}`)
    .sort()
    .join(',');
  return `<${c.id} ${attrs}|${JSON.stringify(c.text)}|${children}>`;
}

/** cyrb53: a fast 53-bit string hash; a digest only says "the same" or "not the same". */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export function digest(c: Canon): string {
  return hash(serial(c));
}

/** What is left of a disk once its named facts (target, bus, format, source) are taken out. */
function diskRest(el: XmlElement, disk: DomainDisk): Canon {
  const sourceAttribute = SOURCE_ATTRIBUTE[disk.type];
  return canonOf(el, {
    attribute: (e, name) =>
      (e.name === 'target' && (name === 'dev' || name === 'bus')) ||
      (e.name === 'driver' && name === 'type') ||
      (e.name === 'source' && name === sourceAttribute),
  });
}

/** Reads a <domain> for comparing: its facts, and the canonical rest they were taken from. */
export function readDomainForCompare(domain: XmlElement): DomainReading {
  const devices = firstChild(domain, 'devices');
  const diskElements = devices ? childElements(devices, 'disk') : [];
  const disks: DiskFacts[] = [];
  const diskRests = new Map<string, Canon>();
  for (const el of diskElements) {
    const disk = readDomainDisk(el);
    const rest = diskRest(el, disk);
    // A target named twice (libvirt refuses that) keeps both apart.
    let target = disk.target;
    for (let n = 2; diskRests.has(target); n++) target = `${disk.target}#${n}`;
    const facts: DiskFacts = { target, bus: disk.bus, rest: digest(rest) };
    if (disk.source !== undefined) facts.source = disk.source;
    if (disk.driverType !== undefined) facts.format = disk.driverType;
    disks.push(facts);
    diskRests.set(target, rest);
  }
  const rest = canonOf(domain, {
    element: (el, parent) =>
      (parent === domain && (el.name === 'memory' || el.name === 'currentMemory')) ||
      (parent === devices && el.name === 'disk'),
    // A live domain's id: libvirt drops it when it reads a checkpoint's <domain>.
    attribute: (el, name) =>
      (el === domain && name === 'id') || (el.name === 'type' && name === 'machine'),
    text: (el) => el.name === 'vcpu',
  });
  const facts: DomainFacts = { disks, rest: digest(rest) };
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
  return { facts, rest, diskRests };
}

/** A <domain> in brief: what the chain needs to say how the VM changed between checkpoints. */
export function domainFacts(domain: XmlElement): DomainFacts {
  return readDomainForCompare(domain).facts;
}
