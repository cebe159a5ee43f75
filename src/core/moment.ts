import { readLongLong } from './integer.ts';
import type { Position } from './problem.ts';
import type { XmlElement, XmlNamespace } from './xml.ts';
import { firstChild, textContent } from './xml.ts';

/**
 * What checkpoints and snapshots share (libvirt's virDomainMomentDef): name, description, parent,
 * creation time and the VM's <domain>, kept as its XML subtree.
 */
export interface Moment {
  name?: string;
  description?: string;
  parent?: string;
  /** Seconds since the epoch, as canonical decimal text (libvirt's long long); absent or 0 is not printed. */
  creationTime?: string;
  /** What <creationTime> holds when libvirt cannot read it as one (the form shows it, flagged). */
  creationTimeAsWritten?: string;
  domain?: XmlElement;
  /** Namespaces declared outside the <domain> (on the root) that its content may use. */
  domainScope?: XmlNamespace[];
  /** Where each field stood in its file, for problems and the source view. */
  positions: MomentPositions;
}

export interface MomentPositions {
  root?: Position;
  name?: Position;
  description?: Position;
  parent?: Position;
  creationTime?: Position;
  domain?: Position;
}

/** libvirt's virXPathString: the string value of the first such child, and an empty one is none. */
export function childString(el: XmlElement, name: string): string | undefined {
  const child = firstChild(el, name);
  if (!child) return undefined;
  const value = textContent(child);
  return value === '' ? undefined : value;
}

/** Reads the moment fields of a <domaincheckpoint> or <domainsnapshot> root. */
export function readMoment(root: XmlElement): Moment {
  const nameEl = firstChild(root, 'name');
  const descriptionEl = firstChild(root, 'description');
  const parentEl = firstChild(root, 'parent');
  const creationEl = firstChild(root, 'creationTime');
  const domainEl = firstChild(root, 'domain');
  const moment: Moment = { positions: { root: root.position } };
  const name = childString(root, 'name');
  if (name !== undefined) moment.name = name;
  const description = childString(root, 'description');
  if (description !== undefined) moment.description = description;
  const parent = parentEl ? childString(parentEl, 'name') : undefined;
  if (parent !== undefined) moment.parent = parent;
  // As libvirt's strtoll reads it: a value out of range is no creation time at all.
  const creationText = childString(root, 'creationTime');
  const creation = readLongLong(creationText);
  if (creation !== undefined) moment.creationTime = creation;
  else if (creationText !== undefined) moment.creationTimeAsWritten = creationText;
  if (domainEl) moment.domain = domainEl;
  if (domainEl && root.namespaces?.length) moment.domainScope = root.namespaces;
  if (nameEl) moment.positions.name = nameEl.position;
  if (descriptionEl) moment.positions.description = descriptionEl.position;
  if (parentEl) moment.positions.parent = parentEl.position;
  if (creationEl) moment.positions.creationTime = creationEl.position;
  if (domainEl) moment.positions.domain = domainEl.position;
  return moment;
}
