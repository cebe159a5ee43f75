import type { Checkpoint, CheckpointDisk } from './checkpoint.ts';
import { escapeXml } from './escape.ts';
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
export function formatCheckpoint(checkpoint: Checkpoint, options: FormatOptions = {}): string {
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
  if (checkpoint.domain && !options.noDomain) {
    formatElement(checkpoint.domain, 1, options.securityInfo ? keepAll : dropSecrets, out);
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

/**
 * The <domain> subtree in libvirt's layout: two spaces per level, one element per line, `<x/>` for an
 * empty element, text inline; whitespace-only text and comments are dropped.
 */
function formatElement(el: XmlElement, depth: number, keep: AttributeFilter, out: string[]): void {
  const pad = INDENT.repeat(depth);
  let open = `${pad}<${el.name}`;
  for (const a of el.attributes) if (keep(el, a.name)) open += ` ${a.name}='${escapeXml(a.value)}'`;
  const elements = el.children.filter((c): c is XmlElement => c.kind === 'element');
  const text = el.children.map((c) => (c.kind === 'text' ? c.text : '')).join('');
  const hasText = text.trim() !== '';
  if (!elements.length && !hasText) {
    out.push(`${open}/>\n`);
  } else if (!elements.length) {
    out.push(`${open}>${escapeXml(text)}</${el.name}>\n`);
  } else {
    out.push(`${open}>\n`);
    for (const child of elements) formatElement(child, depth + 1, keep, out);
    out.push(`${pad}</${el.name}>\n`);
  }
}
