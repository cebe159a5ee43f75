import type { Position } from './problem.ts';
import type { XmlElement } from './xml.ts';
import { attribute, childElements, firstChild, textContent } from './xml.ts';

/** What libvirt's checkpoint rules need to know of one <disk> of a <domain>. */
export interface DomainDisk {
  /** <target dev=…>, the name libvirt aligns checkpoint disks to. */
  target: string;
  /** <disk type=…>: file, block, dir, network, volume, nvme, vhostuser… */
  type: string;
  device: string;
  /** <source file|dev|dir|name=…>, the path libvirt also accepts as a disk's name. */
  source?: string;
  /** <driver type=…>: qcow2, raw… */
  driverType?: string;
  /** <target bus=…>, or the bus libvirt derives from the target's prefix. */
  bus: string;
  /** <readonly/>; libvirt's domain parser makes every cdrom readonly too. */
  readonly: boolean;
  /** No source at all: libvirt's virStorageSourceIsEmpty. */
  empty: boolean;
  position: Position;
}

const LOCAL_SOURCE_ATTRIBUTE: Record<string, string> = { file: 'file', block: 'dev', dir: 'dir' };

export function readDomainDisk(el: XmlElement): DomainDisk {
  const type = attribute(el, 'type') ?? 'file';
  const source = firstChild(el, 'source');
  const target = firstChild(el, 'target');
  const driver = firstChild(el, 'driver');
  let path: string | undefined;
  let empty: boolean;
  const localAttr = LOCAL_SOURCE_ATTRIBUTE[type];
  if (localAttr !== undefined) {
    path = source ? attribute(source, localAttr) : undefined;
    empty = !path;
  } else if (type === 'network') {
    path = source ? attribute(source, 'name') : undefined;
    empty = !source || attribute(source, 'protocol') === undefined;
  } else {
    empty = !source;
  }
  const dev = target ? (attribute(target, 'dev') ?? '') : '';
  const device = attribute(el, 'device') ?? 'disk';
  const disk: DomainDisk = {
    target: dev,
    type,
    device,
    bus: (target && attribute(target, 'bus')) || defaultBus(dev),
    readonly: firstChild(el, 'readonly') !== undefined || device === 'cdrom',
    empty,
    position: el.position,
  };
  if (path) disk.source = path;
  const driverType = driver ? attribute(driver, 'type') : undefined;
  if (driverType) disk.driverType = driverType;
  return disk;
}

const BUS_OF_PREFIX: [string, string][] = [
  ['xvd', 'xen'],
  ['ubd', 'uml'],
  ['hd', 'ide'],
  ['sd', 'scsi'],
  ['vd', 'virtio'],
  ['fd', 'fdc'],
];

/** libvirt's default bus for a target without bus=, by the target's prefix. */
function defaultBus(dev: string): string {
  return BUS_OF_PREFIX.find(([prefix]) => dev.startsWith(prefix))?.[1] ?? 'ide';
}

/** libvirt's virDiskNameToIndex: `vda` is 0, `vdz` 25, `vdaa` 26; -1 when it is no such name. */
export function diskNameToIndex(dev: string): number {
  const prefix = BUS_OF_PREFIX.find(([p]) => dev.startsWith(p))?.[0];
  if (prefix === undefined) return -1;
  const letters = /^[a-z]+/.exec(dev.slice(prefix.length))?.[0] ?? '';
  if (!/^\d*$/.test(dev.slice(prefix.length + letters.length))) return -1;
  let index = 0;
  for (let i = 0; i < letters.length; i++)
    index = (index + (i < 1 ? 0 : 1)) * 26 + (letters.charCodeAt(i) - 97);
  return index;
}

/**
 * The disks of a <domain> in the order libvirt holds them (virDomainDiskInsertPreAlloced): each
 * disk goes after the last of its bus, or before the first of its bus with a later index.
 */
export function readDomainDisks(domain: XmlElement): DomainDisk[] {
  const devices = firstChild(domain, 'devices');
  const disks: DomainDisk[] = [];
  for (const disk of devices ? childElements(devices, 'disk').map(readDomainDisk) : []) {
    let insertAt = -1;
    const index = diskNameToIndex(disk.target);
    for (let i = disks.length - 1; i >= 0; i--) {
      const other = disks[i] as DomainDisk;
      if (other.bus !== disk.bus) continue;
      if (diskNameToIndex(other.target) > index) insertAt = i;
      else if (insertAt === -1) insertAt = i + 1;
    }
    if (insertAt === -1) disks.push(disk);
    else disks.splice(insertAt, 0, disk);
  }
  return disks;
}

export function domainUuid(domain: XmlElement): string | undefined {
  const el = firstChild(domain, 'uuid');
  return el ? textContent(el).trim().toLowerCase() : undefined;
}

export function domainName(domain: XmlElement): string | undefined {
  const el = firstChild(domain, 'name');
  return el ? textContent(el).trim() : undefined;
}

/**
 * libvirt's virDomainDiskByName: a name with a leading '/' is a source path and must match exactly
 * one disk; any other name is a target dev.
 */
export function findDomainDisk(disks: readonly DomainDisk[], name: string): DomainDisk | undefined {
  if (!name.startsWith('/')) return disks.find((d) => d.target === name);
  const matches = disks.filter((d) => d.source === name);
  return matches.length === 1 ? matches[0] : undefined;
}

/** Writable and not empty: the disks libvirt checkpoints by default. */
export function isCheckpointable(disk: DomainDisk): boolean {
  return !disk.empty && !disk.readonly;
}
