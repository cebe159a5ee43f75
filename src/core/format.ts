import type { Checkpoint, CheckpointDisk } from './checkpoint.ts';
import type { DomainReuse } from './domain-reuse.ts';
import { derivedOf } from './domain-reuse.ts';
import { escapeXml } from './escape.ts';
import type { NamespaceScope } from './format-metadata.ts';
import { formatMetadata, scopeOf } from './format-metadata.ts';
import type { XmlElement } from './xml.ts';

export interface FormatOptions {
  /** virsh --no-domain: leave the <domain> out. */
  noDomain?: boolean;
  /** virsh --security-info: keep secrets such as <graphics passwd=…>. */
  securityInfo?: boolean;
  /** virsh --size: print each bitmap's size where known. */
  size?: boolean;
}

const INDENT = '  ';

/** A checkpoint exactly as `virsh checkpoint-dumpxml` prints it (virDomainCheckpointDefFormat). */
export function formatCheckpoint(
  checkpoint: Checkpoint,
  options: FormatOptions = {},
  /** Domains read before (domain-reuse.ts): a kept one is laid out once per way of printing it. */
  domains?: DomainReuse,
): string {
  const out: string[] = ['<domaincheckpoint>\n'];
  const line = (depth: number, text: string) => out.push(INDENT.repeat(depth) + text + '\n');
  if (checkpoint.name) line(1, `<name>${escapeXml(checkpoint.name)}</name>`);
  if (checkpoint.description)
    line(1, `<description>${escapeXml(checkpoint.description)}</description>`);
  if (checkpoint.parent) {
    line(1, '<parent>');
    line(2, `<name>${escapeXml(checkpoint.parent)}</name>`);
    line(1, '</parent>');
  }
  if (checkpoint.creationTime && checkpoint.creationTime !== '0')
    line(1, `<creationTime>${checkpoint.creationTime}</creationTime>`);
  if (checkpoint.disks && checkpoint.disks.length) {
    line(1, '<disks>');
    for (const disk of checkpoint.disks) {
      const text = formatDisk(disk, options);
      if (text) line(2, text);
    }
    line(1, '</disks>');
  }
  const domain = checkpoint.domain;
  if (domain && !options.noDomain) {
    const scope = checkpoint.domainScope ?? [];
    const how = `format:${options.securityInfo ? 1 : 0}:${JSON.stringify(scope)}`;
    out.push(
      derivedOf(domains, domain, how, () => {
        const lines: string[] = [];
        formatDomain(
          domain,
          options.securityInfo ? keepAll : dropSecrets,
          new Map(scope.map((ns) => [ns.prefix, ns.uri])),
          lines,
        );
        return lines.join('');
      }),
    );
  }
  out.push('</domaincheckpoint>\n');
  return out.join('');
}

function formatDisk(disk: CheckpointDisk, options: FormatOptions): string {
  if (!disk.name) return '';
  let text = `<disk name='${escapeXml(disk.name)}' checkpoint='${disk.checkpoint}'`;
  if (disk.bitmap !== undefined) {
    text += ` bitmap='${escapeXml(disk.bitmap)}'`;
    if (options.size && disk.size !== undefined) text += ` size='${disk.size}'`;
  }
  return text + '/>';
}

type AttributeFilter = (element: XmlElement, attribute: string) => boolean;

const keepAll: AttributeFilter = () => true;

/** Without security info libvirt leaves out the passwords of graphics consoles. */
const dropSecrets: AttributeFilter = (element, attribute) =>
  !(element.name === 'graphics' && attribute === 'passwd');

/** The prefixes libvirt's drivers write their own namespaces with (virXMLNamespace). */
const DRIVER_PREFIXES: Record<string, string> = {
  'http://libvirt.org/schemas/domain/qemu/1.0': 'qemu',
  'http://libvirt.org/schemas/domain/lxc/1.0': 'lxc',
  'http://libvirt.org/schemas/domain/bhyve/1.0': 'bhyve',
  'http://libvirt.org/schemas/domain/vmware/1.0': 'vmware',
  'http://libvirt.org/schemas/domain/xen/1.0': 'xen',
  'http://libvirt.org/schemas/domain/test/1.0': 'test',
};

/** An element or attribute name with the driver's own prefix for its namespace. */
function driverName(name: string, uri: string | undefined): string {
  const prefix = uri === undefined ? undefined : DRIVER_PREFIXES[uri];
  if (prefix === undefined) return name;
  return `${prefix}:${name.slice(name.indexOf(':') + 1)}`;
}

/**
 * The namespaces of what a domain holds outside <metadata> (a driver's own elements, such as
 * <qemu:commandline>): libvirt declares them on <domain> (virXMLNamespaceFormatNS), in single
 * quotes, after its attributes.
 */
function driverNamespaces(domain: XmlElement): string {
  const seen = new Map<string, string>();
  const visit = (el: XmlElement) => {
    if (el.uri !== undefined) seen.set(driverName(el.name, el.uri).split(':')[0] as string, el.uri);
    for (const a of el.attributes) {
      if (a.uri !== undefined) seen.set(driverName(a.name, a.uri).split(':')[0] as string, a.uri);
    }
    for (const c of el.children) if (c.kind === 'element' && !isMetadata(c)) visit(c);
  };
  visit(domain);
  return [...seen].map(([prefix, uri]) => ` xmlns:${prefix}='${escapeXml(uri)}'`).join('');
}

function isMetadata(el: XmlElement): boolean {
  return el.name === 'metadata' && el.uri === undefined;
}

function formatDomain(
  domain: XmlElement,
  keep: AttributeFilter,
  outer: NamespaceScope,
  out: string[],
): void {
  formatElement(domain, 1, keep, out, scopeOf(domain, outer), driverNamespaces(domain));
}

/**
 * The <domain> subtree in libvirt's layout: two spaces per level, one element per line, `<x/>` for an
 * empty element, text inline; whitespace-only text and comments are dropped. <metadata> is libvirt's
 * copy of what the file held, dumped by libxml2 (format-metadata.ts).
 */
function formatElement(
  el: XmlElement,
  depth: number,
  keep: AttributeFilter,
  out: string[],
  scope: NamespaceScope,
  declarations = '',
): void {
  const pad = INDENT.repeat(depth);
  if (depth === 2 && isMetadata(el)) {
    out.push(`${pad}${formatMetadata(el, depth, scope)}\n`);
    return;
  }
  let open = `${pad}<${driverName(el.name, el.uri)}`;
  for (const a of el.attributes) {
    if (keep(el, a.name)) open += ` ${driverName(a.name, a.uri)}='${escapeXml(a.value)}'`;
  }
  open += declarations;
  const name = driverName(el.name, el.uri);
  const elements = el.children.filter((c): c is XmlElement => c.kind === 'element');
  const text = el.children
    .map((c) =>
      c.kind === 'text' || c.kind === 'cdata' ? c.text : c.kind === 'entity' ? (c.text ?? '') : '',
    )
    .join('');
  const hasText = text.trim() !== '';
  if (!elements.length && !hasText) {
    out.push(`${open}/>\n`);
  } else if (!elements.length) {
    out.push(`${open}>${escapeXml(text)}</${name}>\n`);
  } else {
    out.push(`${open}>\n`);
    for (const child of elements) {
      formatElement(child, depth + 1, keep, out, scopeOf(child, scope));
    }
    out.push(`${pad}</${name}>\n`);
  }
}
