const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * libvirt's virBufferEscapeString: the five markup characters become entities, control characters
 * other than tab, newline and carriage return are dropped, everything else stays as it is.
 */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => ENTITIES[c] ?? '');
}
