import { CHECKPOINT_ROOT } from './checkpoint.ts';
import { domainName, domainUuid } from './domain.ts';
import { keyOnHost, splitHostKey } from './vm-hosts.ts';
import type { XmlElement } from './xml.ts';
import { firstChild, parseXml } from './xml.ts';

/**
 * Which VM each opened file belongs to, answered once, where files come in: libvirt keeps
 * checkpoints inside each domain object, so two VMs' files are never one chain.
 */

/** An opened file as grouping sees it: plain data, so that the page and the CLI share it. */
export interface VmFile {
  /** Its path as offered: inside a dropped or picked folder, or inside the bundle it came from. */
  path: string;
  /** A checkpoint, a VM definition (a `<domain>` root), or anything else (image JSON, unreadable). */
  root: 'checkpoint' | 'domain' | 'other';
  /** The uuid and name of the `<domain>` it carries (a checkpoint's, or the definition itself). */
  uuid?: string | undefined;
  name?: string | undefined;
  /** The bundle (`DOMAIN-checkpoints.tar.gz`) it was unpacked from, by its path. */
  archive?: string | undefined;
  /** The host it was collected from (vm-hosts.ts): files of two hosts are never one VM's. */
  host?: string | undefined;
}

/**
 * How a file was told to be a VM's: the uuid or name its `<domain>` carries, the bundle or
 * `DOMAIN-checkpoints/` folder it came from, its folder (no `<domain>` anywhere in it), or not at
 * all (its folder holds files of several VMs): such a file is kept apart, never merged.
 */
export type VmEvidence = 'uuid' | 'name' | 'bundle' | 'folder' | 'unknown';

/** One VM of the files opened, or a set of files whose VM cannot be told, kept apart. */
export interface VmGroup {
  /** Stable for the same files: `uuid:…`, `name:…`, `bundle:…`, `folder:…` or `unknown:…`. */
  key: string;
  /** The VM's name, when its files or their bundle give it. */
  name?: string;
  uuid?: string;
  /** What the page calls it: its name, else its folder. */
  label: string;
  /** The host its files were collected from, when known. */
  host?: string;
  /** Indexes of its files in the list given, in that order. */
  files: number[];
  /** How the group itself is known (a VM by uuid may hold files that joined it by folder). */
  by: VmEvidence;
  /** Why these files are one VM, in one line. */
  reason: string;
}

/** Each file's VM and why. */
export interface VmAssignment {
  key: string;
  by: VmEvidence;
  reason: string;
}

export interface VmGrouping {
  /** In the order of their first file. */
  groups: VmGroup[];
  /** By the index of the file in the list given. */
  assignments: VmAssignment[];
}

/** The folder holding a path ('' at the top), `/`-separated. */
function folderOf(path: string): string {
  const p = path.replace(/\\/g, '/');
  return p.slice(0, Math.max(0, p.lastIndexOf('/')));
}

function lastPart(folder: string): string {
  return folder.slice(folder.lastIndexOf('/') + 1);
}

/** The VM a bundle's name gives: collect.sh writes `DOMAIN-checkpoints.tar.gz`. */
function bundleVmName(archive: string): string | undefined {
  const base = lastPart(archive.replace(/\\/g, '/'));
  return /^(.+)-checkpoints\.(?:tar\.gz|tgz|tar|zip)$/i.exec(base)?.[1];
}

/**
 * Where a file was collected with the others of its VM: its bundle; else a `DOMAIN-checkpoints/`
 * folder on its path (collect.sh's); else its folder, one up when that is a backup's own
 * `checkpoints/` or `images/` (virtnbdbackup keeps `vmconfig.*.xml` beside `checkpoints/`).
 */
interface Container {
  key: string;
  folder: string;
  vmName?: string;
}

function containerOf(file: VmFile): Container {
  if (file.archive !== undefined) {
    const vmName = bundleVmName(file.archive);
    return { key: `bundle:${file.archive}`, folder: file.archive, ...(vmName ? { vmName } : {}) };
  }
  const folder = folderOf(file.path);
  const parts = folder === '' ? [] : folder.split('/');
  const collected = parts.findIndex((p) => /.-checkpoints$/.test(p));
  if (collected >= 0) {
    const at = parts.slice(0, collected + 1).join('/');
    const vmName = (parts[collected] as string).replace(/-checkpoints$/, '');
    return { key: `bundle:${at}`, folder: at, vmName };
  }
  const up = /^(?:checkpoints|images)$/.test(lastPart(folder)) ? folderOf(folder) : folder;
  return { key: `folder:${up}`, folder: up };
}

/** A folder as the operator reads it: `db01/`, or "the files opened" at the top. */
function folderLabel(folder: string): string {
  return folder === '' ? 'the top folder' : `${folder}/`;
}

/**
 * Assigns each file to a VM: by the uuid of the `<domain>` it carries (else its name, joined to the
 * one VM of that name with a uuid); a file without one by the bundle or `DOMAIN-checkpoints/`
 * folder it came from, or its folder, when that holds one VM's files or none; otherwise (its folder
 * holds several VMs' files) it is kept apart, said so. Two VMs are never merged.
 */
export function groupByVm(files: readonly VmFile[]): VmGrouping {
  const hosts = new Map<string | undefined, number[]>();
  files.forEach((f, i) => {
    // Pushed, not copied: a copy per file made a folder of 10,000 quadratic (0.3-0.5 s a grouping).
    const at = hosts.get(f.host);
    if (at) at.push(i);
    else hosts.set(f.host, [i]);
  });
  if (hosts.size === 1 && hosts.has(undefined)) return groupOnOneHost(files);
  // Each host's files grouped alone, their keys and groups then marked with the host.
  const groups: VmGroup[] = [];
  const assignments: VmAssignment[] = new Array<VmAssignment>(files.length);
  for (const [host, at] of hosts) {
    const one = groupOnOneHost(at.map((i) => files[i] as VmFile));
    one.assignments.forEach((a, j) => {
      assignments[at[j] as number] = { ...a, key: keyOnHost(host, a.key) };
    });
    for (const g of one.groups) {
      groups.push({
        ...g,
        key: keyOnHost(host, g.key),
        files: g.files.map((j) => at[j] as number),
        ...(host !== undefined ? { host } : {}),
      });
    }
  }
  groups.sort((a, b) => (a.files[0] as number) - (b.files[0] as number));
  return { groups: labelled(groups), assignments };
}

/** What the files of one host say of their VMs, all of them at once: each file's VM is read from it. */
interface HostFiles {
  /** The first name each uuid is given. */
  namesByUuid: Map<string, string>;
  /** The uuids each name is given. */
  uuidsByName: Map<string, Set<string>>;
  /** The uuids, and the names without a uuid, that the files of each container carry. */
  containers: Map<string, { uuids: Set<string>; names: Set<string> }>;
}

function hostFiles(): HostFiles {
  return { namesByUuid: new Map(), uuidsByName: new Map(), containers: new Map() };
}

/** A file taken into what its host's files say. */
function noteFile(h: HostFiles, f: VmFile, c: Container): void {
  if (f.uuid !== undefined && f.name !== undefined) {
    if (!h.namesByUuid.has(f.uuid)) h.namesByUuid.set(f.uuid, f.name);
    const set = h.uuidsByName.get(f.name) ?? new Set<string>();
    set.add(f.uuid);
    h.uuidsByName.set(f.name, set);
  }
  if (f.uuid === undefined && f.name === undefined) return;
  let vms = h.containers.get(c.key);
  if (!vms) h.containers.set(c.key, (vms = { uuids: new Set(), names: new Set() }));
  if (f.uuid !== undefined) vms.uuids.add(f.uuid);
  else vms.names.add(f.name as string);
}

/** The VM a file's own `<domain>` names: by its uuid, else by its name (the one VM of that name with a uuid). */
function identityOf(h: HostFiles, f: VmFile): VmAssignment | undefined {
  if (f.uuid !== undefined) {
    return { key: `uuid:${f.uuid}`, by: 'uuid', reason: `its <domain> has uuid ${f.uuid}` };
  }
  if (f.name === undefined) return undefined;
  const uuids = h.uuidsByName.get(f.name);
  if (uuids?.size === 1) {
    const [uuid] = uuids as Set<string>;
    return {
      key: `uuid:${uuid as string}`,
      by: 'name',
      reason: `its <domain> is named ${f.name}, the VM with uuid ${uuid as string}`,
    };
  }
  return { key: `name:${f.name}`, by: 'name', reason: `its <domain> is named ${f.name}` };
}

/** A file's VM, by what all its host's files say (the files noted so far). */
function assignmentOf(h: HostFiles, f: VmFile, c: Container): VmAssignment {
  const own = identityOf(h, f);
  if (own) return own;
  // The VMs its container's files name.
  const named = h.containers.get(c.key);
  const keys = new Set<string>();
  for (const uuid of named?.uuids ?? []) keys.add(`uuid:${uuid}`);
  for (const name of named?.names ?? [])
    keys.add((identityOf(h, { path: '', root: 'other', name }) as VmAssignment).key);
  const vms = [...keys];
  const bundle = c.key.startsWith('bundle:');
  const where = bundle ? `the bundle ${c.folder}` : `the folder ${folderLabel(c.folder)}`;
  if (vms.length === 1) {
    return {
      key: vms[0] as string,
      by: bundle ? 'bundle' : 'folder',
      reason: `no <domain> in it: one VM's files are in ${where}`,
    };
  }
  if (vms.length > 1) {
    return {
      key: `unknown:${c.key}`,
      by: 'unknown',
      reason: `no <domain> in it, and ${where} holds files of ${vms.length} VMs: which one it belongs to cannot be told`,
    };
  }
  if (c.vmName !== undefined) {
    const uuids = h.uuidsByName.get(c.vmName);
    if (uuids?.size === 1) {
      const [uuid] = uuids as Set<string>;
      return {
        key: `uuid:${uuid as string}`,
        by: 'bundle',
        reason: `no <domain> in it: ${where} is named for the VM ${c.vmName}`,
      };
    }
    return {
      key: `name:${c.vmName}`,
      by: 'bundle',
      reason: `no <domain> in it: ${where} is named for the VM ${c.vmName}`,
    };
  }
  return {
    key: c.key,
    by: 'folder',
    reason: `no <domain> in it: grouped with the other files of ${where}`,
  };
}

/** groupByVm for the files of one host (or of no known host). */
function groupOnOneHost(files: readonly VmFile[]): VmGrouping {
  const h = hostFiles();
  const containers = files.map(containerOf);
  files.forEach((f, i) => noteFile(h, f, containers[i] as Container));
  const assignments = files.map((f, i) => assignmentOf(h, f, containers[i] as Container));
  const groups = new Map<string, VmGroup>();
  assignments.forEach((a, i) => {
    let group = groups.get(a.key);
    if (!group) {
      group = newGroup(a, containers[i] as Container, h.namesByUuid);
      groups.set(a.key, group);
    }
    group.files.push(i);
    // A group is known by its strongest evidence: a uuid or name over a bundle over a folder.
    if (EVIDENCE_ORDER.indexOf(a.by) < EVIDENCE_ORDER.indexOf(group.by)) group.by = a.by;
  });
  return { groups: labelled([...groups.values()]), assignments };
}

/**
 * The files of an open as they come (a folder read a chunk at a time), noted so that each one's VM
 * is told as groupByVm would tell it over all those noted, without grouping them all again.
 */
export type VmFileIndex = Map<string | undefined, HostFiles>;

export function createVmFileIndex(): VmFileIndex {
  return new Map();
}

export function addVmFile(index: VmFileIndex, file: VmFile): void {
  let h = index.get(file.host);
  if (!h) index.set(file.host, (h = hostFiles()));
  noteFile(h, file, containerOf(file));
}

/** The key groupByVm gives a file noted in `index`, over all the files noted there. */
export function vmKeyOf(index: VmFileIndex, file: VmFile): string {
  const h = index.get(file.host) ?? hostFiles();
  return keyOnHost(file.host, assignmentOf(h, file, containerOf(file)).key);
}

const EVIDENCE_ORDER: readonly VmEvidence[] = ['uuid', 'name', 'bundle', 'folder', 'unknown'];

function newGroup(
  a: VmAssignment,
  c: Container,
  namesByUuid: ReadonlyMap<string, string>,
): VmGroup {
  const [kind, ...rest] = a.key.split(':');
  const value = rest.join(':');
  const group: VmGroup = { key: a.key, label: '', files: [], by: a.by, reason: '' };
  if (kind === 'uuid') {
    group.uuid = value;
    const name = namesByUuid.get(value);
    if (name !== undefined) group.name = name;
    group.reason = `the VM with uuid ${value}`;
  } else if (kind === 'name') {
    group.name = value;
    group.reason =
      a.by === 'bundle' ? `collected from the VM ${value}` : `the VM named ${value} (no uuid)`;
  } else if (kind === 'unknown') {
    group.reason = `files without <domain> in ${folderLabel(c.folder)}, which holds several VMs' files: their VM cannot be told`;
  } else {
    group.reason = `files without <domain> in ${folderLabel(c.folder)}: one VM, by their folder`;
  }
  group.label =
    group.name ?? (kind === 'unknown' ? `VM unknown (${c.folder})` : lastPart(c.folder));
  return group;
}

/** Two groups never read alike: the same name twice (a VM made again) shows its uuid or folder. */
function labelled(groups: VmGroup[]): VmGroup[] {
  const count = new Map<string, number>();
  for (const g of groups) count.set(g.label, (count.get(g.label) ?? 0) + 1);
  for (const g of groups) {
    if ((count.get(g.label) ?? 0) < 2) continue;
    if (g.host !== undefined) g.label = `${g.label} on ${g.host}`;
    else if (g.uuid !== undefined) g.label = `${g.label} (uuid ${g.uuid})`;
    else if (g.key.startsWith('folder:')) g.label = g.key.slice('folder:'.length);
  }
  for (const g of groups) if (g.label === '') g.label = 'files opened';
  return groups;
}

/**
 * A file's text read for grouping alone: its root, and the uuid and name of the `<domain>` it
 * carries. For the CLI and the tests; the page has these from its verdicts already.
 */
export function readVmFile(path: string, text: string, archive?: string): VmFile {
  const xml = parseXml(text);
  const file: VmFile = { path, root: 'other', ...(archive !== undefined ? { archive } : {}) };
  if (!xml.ok) return file;
  const root = xml.value;
  let domain: XmlElement | undefined;
  if (root.name === 'domain') {
    file.root = 'domain';
    domain = root;
  } else if (root.name === CHECKPOINT_ROOT) {
    file.root = 'checkpoint';
    domain = firstChild(root, 'domain');
  }
  if (domain) {
    file.uuid = domainUuid(domain);
    file.name = domainName(domain);
  }
  return file;
}

/** What a VM's key tells of it, and what the page calls it (`name`: what its files' `<domain>` say). */
export function describeVm(
  hostKey: string,
  name?: string,
): { label: string; name?: string; uuid?: string; folder?: string; host?: string } {
  const { host, key } = splitHostKey(hostKey);
  if (host !== undefined) return { ...describeVm(key, name), host };
  const at = key.indexOf(':');
  const kind = key.slice(0, at);
  const value = key.slice(at + 1);
  if (kind === 'uuid') {
    return name !== undefined
      ? { label: name, name, uuid: value }
      : { label: `VM ${value}`, uuid: value };
  }
  if (kind === 'name') return { label: value, name: value };
  const folder = value.replace(/^(?:folder|bundle):/, '');
  if (kind === 'unknown') return { label: `VM unknown (${folder || 'top folder'})`, folder };
  return { label: lastPart(folder) || 'files opened', folder };
}
