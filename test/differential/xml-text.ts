import type { Random } from '../../src/samples/index.ts';

/**
 * Writes values into XML in one of the many spellings a file may use (entities, character
 * references, raw quotes and '>', CDATA): every spelling means the same to libvirt.
 */

function charRef(rng: Random, ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return rng.chance(0.5) ? `&#${cp};` : `&#x${cp.toString(16).toUpperCase()};`;
}

function plain(rng: Random, ch: string, ascii: number, other: number): string {
  if (ch === '\r') return charRef(rng, ch); // a raw CR would be read as a newline
  const code = ch.codePointAt(0) ?? 0;
  return rng.chance(code < 0x80 ? ascii : other) ? charRef(rng, ch) : ch;
}

/** Character data of an element. */
export function escapeText(rng: Random, value: string): string {
  let out = '';
  for (const ch of value) {
    if (ch === '&') out += rng.pick(['&amp;', '&amp;', '&#38;', '&#x26;']);
    else if (ch === '<') out += rng.pick(['&lt;', '&lt;', '&#60;']);
    // ']]>' may not appear raw in character data.
    else if (ch === '>') out += out.endsWith(']]') || rng.chance(0.5) ? '&gt;' : '>';
    else if (ch === '"') out += rng.chance(0.2) ? '&quot;' : ch;
    else if (ch === "'") out += rng.chance(0.2) ? '&apos;' : ch;
    else out += plain(rng, ch, 0.02, 0.1);
  }
  return out;
}

/** Character data, sometimes as a CDATA section when the value allows one. */
export function textOrCdata(rng: Random, value: string): string {
  if (value !== '' && !value.includes(']]>') && !value.includes('\r') && rng.chance(0.25)) {
    return `<![CDATA[${value}]]>`;
  }
  return escapeText(rng, value);
}

/** An attribute with its quotes, either kind. */
export function attribute(rng: Random, name: string, value: string): string {
  const quote = rng.chance(0.5) ? "'" : '"';
  let out = '';
  for (const ch of value) {
    if (ch === '&') out += rng.pick(['&amp;', '&#38;']);
    else if (ch === '<') out += '&lt;';
    else if (ch === quote)
      out += quote === '"' ? rng.pick(['&quot;', '&#34;']) : rng.pick(['&apos;', '&#39;']);
    else if (ch === '"' || ch === "'")
      out += rng.chance(0.3) ? (ch === '"' ? '&quot;' : '&apos;') : ch;
    else if (ch === '>') out += rng.chance(0.5) ? '&gt;' : '>';
    // Attribute-value normalisation would turn raw whitespace into spaces.
    else if (ch === '\n' || ch === '\t' || ch === '\r') out += charRef(rng, ch);
    else out += plain(rng, ch, 0.02, 0.1);
  }
  const equals = rng.chance(0.05) ? ' = ' : '=';
  return `${name}${equals}${quote}${out}${quote}`;
}
