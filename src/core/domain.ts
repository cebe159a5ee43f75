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
  readonly: boolean;
  /** No source at all: libvirt's virStorageSourceIsEmpty. */
  empty: boolean;
  position: Position;
}

const LOCAL_SOURCE_ATTRIBUTE: Record<string, string> = { file: 'file', block: 'dev', dir: 'dir' };

function readDomainDisk(el: XmlElement): DomainDisk {
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
  const disk: DomainDisk = {
    target: target ? (attribute(target, 'dev') ?? '') : '',
    type,
    device: attribute(el, 'device') ?? 'disk',
    readonly: firstChild(el, 'readonly') !== undefined,
    empty,
    position: el.position,
  };
  if (path) disk.source = path;
  const driverType = driver ? attribute(driver, 'type') : undefined;
  if (driverType) disk.driverType = driverType;
  return disk;
}

/** The disks of a <domain>, in its order. */
export function readDomainDisks(domain: XmlElement): DomainDisk[] {
  const devices = firstChild(domain, 'devices');
  return devices ? childElements(devices, 'disk').map(readDomainDisk) : [];
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
