import type { CheckedCheckpoint } from './check.ts';
import { checkCheckpoint } from './check.ts';
import type { Checkpoint, CheckpointDisk } from './checkpoint.ts';
import type { DecodedFile } from './decode.ts';
import { decodeXmlFile } from './decode.ts';
import type { DomainReuse } from './domain-reuse.ts';
import { derivedOf } from './domain-reuse.ts';
import { domainName, domainUuid, readDomainDisks } from './domain.ts';
import type { DomainFacts } from './domain-facts.ts';
import { domainFacts } from './domain-facts.ts';
import type { Problem } from './problem.ts';
import { withFile } from './problem.ts';
import type { RedefineProfile } from './redefine.ts';
import type { TargetDomain } from './target-domain.ts';
import { checkOnTarget } from './target-domain.ts';
import type { XmlAttribute, XmlElement, XmlNode } from './xml.ts';

/** The rules a file is checked by: libvirt's redefine profile, and the VM it is to go to, if known. */
export interface RuleSet {
  profile: RedefineProfile;
  target?: TargetDomain;
}

/**
 * What the chain needs of one file once libvirt's rules have run: small enough to cross from a
 * worker by the ten thousand. Its checkpoint is for the tree and the chain checks, never for export.
 */
export interface RuleVerdict {
  /** The checkpoint as the file holds it, its <domain> cut to name, uuid and disk targets. */
  checkpoint?: Checkpoint;
  /** The disks as libvirt holds them after a redefine, when the rules pass. */
  redefinedDisks?: CheckpointDisk[];
  /** The <domain> in brief, so the chain can say how the VM changed from the parent. */
  domainFacts?: DomainFacts;
  problems: Problem[];
}

/**
 * A <domain> with only what the chain checks read (its name, its uuid and each disk's target), as
 * domain.ts reads them. Every element of it shares the domain's position: ten thousand of these
 * cross from a worker, and each object costs to copy.
 */
export function chainDomain(domain: XmlElement): XmlElement {
  const at = domain.position;
  const element = (name: string, children: XmlNode[], attributes: XmlAttribute[] = []) => ({
    kind: 'element' as const,
    name,
    attributes,
    children,
    position: at,
  });
  const text = (name: string, value: string | undefined) =>
    value === undefined ? [] : [element(name, [{ kind: 'text', text: value }])];
  const children: XmlElement[] = [
    ...text('name', domainName(domain)),
    ...text('uuid', domainUuid(domain)),
  ];
  if (domain.children.some((c) => c.kind === 'element' && c.name === 'devices')) {
    const attr = (name: string, value: string | undefined): XmlAttribute[] =>
      value === undefined ? [] : [{ name, value, position: at }];
    // What readDomainDisks reads again: the disk images' reconciliation matches by source.
    const disks = readDomainDisks(domain).map((disk) =>
      element(
        'disk',
        [
          ...(disk.target
            ? [element('target', [], [...attr('dev', disk.target), ...attr('bus', disk.bus)])]
            : []),
          ...(disk.source !== undefined || !disk.empty
            ? [element('source', [], sourceAttributes(disk, attr))]
            : []),
          ...(disk.driverType ? [element('driver', [], attr('type', disk.driverType))] : []),
          ...(disk.readonly && disk.device !== 'cdrom' ? [element('readonly', [])] : []),
        ],
        [...attr('type', disk.type), ...attr('device', disk.device)],
      ),
    );
    children.push(element('devices', disks));
  }
  return element(domain.name, children);
}

/** The attributes of a disk's <source> that domain.ts reads its path and emptiness from. */
function sourceAttributes(
  disk: ReturnType<typeof readDomainDisks>[number],
  attr: (name: string, value: string | undefined) => XmlAttribute[],
): XmlAttribute[] {
  if (disk.type === 'network') {
    return [...attr('name', disk.source), ...(disk.empty ? [] : attr('protocol', 'nbd'))];
  }
  const key = disk.type === 'block' ? 'dev' : disk.type === 'dir' ? 'dir' : 'file';
  return attr(key, disk.source);
}

/** A checked file as its verdict: the redefine rules' and, with a target VM, the target's problems. */
export function verdictOf(
  checked: CheckedCheckpoint,
  fileName: string,
  rules: RuleSet,
  domains?: DomainReuse,
): RuleVerdict {
  const verdict: RuleVerdict = { problems: checked.problems };
  const cp = checked.checkpoint;
  if (!cp) return verdict;
  const domain = cp.domain;
  verdict.checkpoint = domain
    ? { ...cp, domain: derivedOf(domains, domain, 'chain', () => chainDomain(domain)) }
    : cp;
  if (domain) verdict.domainFacts = derivedOf(domains, domain, 'facts', () => domainFacts(domain));
  if (checked.redefined?.disks) verdict.redefinedDisks = checked.redefined.disks;
  if (rules.target) {
    verdict.problems = [
      ...checked.problems,
      ...withFile(checkOnTarget(cp, rules.target), fileName),
    ];
  }
  return verdict;
}

/** One file through libvirt's rules: read, redefine rules (the target's uuid too), target disks. */
export function checkRules(
  text: string,
  fileName: string,
  rules: RuleSet,
  /** The same file already checked without a target, to save a second read. */
  checked?: CheckedCheckpoint,
  /** Domains read before, when many files are read one after the other (domain-reuse.ts). */
  domains?: DomainReuse,
): RuleVerdict {
  const vmUuid = rules.target?.uuid;
  const result =
    checked && vmUuid === undefined
      ? checked
      : checkCheckpoint(text, {
          profile: rules.profile,
          fileName,
          ...(vmUuid !== undefined ? { vmUuid } : {}),
          ...(domains ? { domains } : {}),
        });
  return verdictOf(result, fileName, rules, domains);
}

/** A file's bytes as read from disk, not yet decoded. */
export interface BytesFile {
  fileName: string;
  bytes: Uint8Array;
}

/** A file read: its text and libvirt's verdict on it, or why it was not opened. */
export type ReadOutcome =
  | { fileName: string; text: string; original?: DecodedFile['original']; verdict: RuleVerdict }
  | { fileName: string; skipped: string };

/**
 * Bytes to text as libxml2 would decode them, then libvirt's rules; problems name the file by the
 * last part of its path, as the document will be named. `kept`: the verdict these very bytes got
 * under the same name and rules before, used instead of checking them again.
 */
export function openFile(
  f: BytesFile,
  rules: RuleSet,
  domains?: DomainReuse,
  kept?: RuleVerdict,
): ReadOutcome {
  const decoded = decodeXmlFile(f.bytes);
  if (!decoded.ok) {
    const [p] = decoded.problems;
    const reason = p && p.line ? `line ${p.line}: ${p.message}` : (p?.message ?? '');
    return { fileName: f.fileName, skipped: reason };
  }
  const name = f.fileName.slice(
    Math.max(f.fileName.lastIndexOf('/'), f.fileName.lastIndexOf('\\')) + 1,
  );
  const { text, original } = decoded.value;
  // libvirt's verdict rests on libvirt's reading of the bytes.
  const verdict =
    kept ?? checkRules(original?.libvirtText ?? text, name, rules, undefined, domains);
  return original
    ? { fileName: f.fileName, text, original, verdict }
    : { fileName: f.fileName, text, verdict };
}
