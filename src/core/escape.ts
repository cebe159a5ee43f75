const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * libvirt's virBufferEscapeString: the five markup characters become entities, control characters
 * other than tab, newline and carriage return are dropped, everything else stays as it is. We also
 * drop what XML 1.0 cannot carry at all (U+FFFE, U+FFFF, lone surrogates), which libvirt never
 * meets but a form can, so that an export always reads back.
 */
export function escapeXml(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => ENTITIES[c] ?? '',
  );
}
