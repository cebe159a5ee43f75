import type { Random } from '../../src/samples/index.ts';
import type { TestHostVm as Vm } from '../../src/samples/index.ts';
import { attribute, escapeText, textOrCdata } from './xml-text.ts';

/** Checkpoints that exist on every VM before the cases run, so a case may name one as parent. */
export const PARENTS: readonly string[] = ['base', 'nightly-2024.01.05', '_p0', '-dash-first', '0'];

const NAME_FIRST = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';
const NAME_REST = `${NAME_FIRST}.`;

/** A name matching libvirt's pattern [a-zA-Z0-9_\-][a-zA-Z0-9_\-.]*, not yet used. */
export function uniqueName(rng: Random, used: Set<string>): string {
  for (;;) {
    const name = rng.chance(0.4)
      ? rng.pick([
          `nightly-2024-01-${String(rng.int(1, 31)).padStart(2, '0')}`,
          `virtnbdbackup.${rng.int(0, 99)}`,
          `cp${rng.int(0, 999)}`,
          `backup_${rng.int(0, 9999)}.full`,
        ])
      : Array.from({ length: rng.int(1, 16) }, (_, i) =>
          rng.pick([...(i === 0 ? NAME_FIRST : NAME_REST)]),
        ).join('');
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

/** Names the schema refuses. */
export const INVALID_NAMES: readonly string[] = [
  ' padded ',
  '.hidden',
  'a/b',
  'two words',
  'naïve',
  '',
  'new\nline',
];

const DESCRIPTION_PIECES: readonly string[] = [
  'nightly backup',
  'a & b',
  '1 < 2 > 0',
  'quotes "double"',
  "and 'single'",
  'café',
  '☃',
  '日本語のテキスト',
  '😀',
  'Ünïcödé ß',
  '  leading spaces',
  'trailing spaces  ',
  '\n',
  'line one\nline two',
  '\ttab',
  'x]]>y',
  '&amp; as text',
  '<tag attr="v"/>',
  ' ',
  'CR\rLF',
];

const COMMENTS: readonly string[] = [
  ' produced by hand ',
  'checkpoint <disks> & more',
  ' ünïcode ☃ ',
];

export function comment(rng: Random): string {
  return `<!--${rng.pick(COMMENTS)}-->`;
}

/** A <description> element, or undefined for none. */
export function description(rng: Random, tags: string[]): string | undefined {
  const kind = rng.weighted<string>([
    [45, 'none'],
    [4, 'empty'],
    [4, 'whitespace'],
    [47, 'text'],
  ]);
  if (kind === 'none') return undefined;
  tags.push(`description:${kind}`);
  if (kind === 'empty') return rng.chance(0.5) ? '<description/>' : '<description></description>';
  if (kind === 'whitespace') {
    return `<description>${escapeText(rng, rng.pick(['   ', ' \n  ', '\t', '\n']))}</description>`;
  }
  const pieces = Array.from({ length: rng.int(1, 4) }, () => rng.pick(DESCRIPTION_PIECES));
  const parts = pieces.map((p) => textOrCdata(rng, p));
  if (parts.some((p) => p.startsWith('<![CDATA['))) tags.push('description:cdata');
  const joiner = parts.length > 1 && rng.chance(0.05) ? comment(rng) : '';
  if (joiner) tags.push('description:comment');
  return `<description>${parts.join(joiner)}</description>`;
}

/** The text of <creationTime>, or undefined for none. */
export function creationTime(rng: Random, tags: string[]): string | undefined {
  const [tag, make] = rng.weighted<readonly [string, () => string | undefined]>([
    [70, ['', () => String(rng.int(1_500_000_000, 1_800_000_000))]],
    [5, ['small', () => String(rng.int(1, 99_999))]],
    [4, ['zero', () => '0']],
    [3, ['max-long', () => '9223372036854775807']],
    [3, ['leading-zeros', () => `00${rng.int(1, 999)}`]],
    [2, ['missing', () => undefined]],
    [1, ['overflow', () => '9223372036854775808']],
    [2, ['not-a-number', () => rng.pick([' 5', '-1', '1.5', 'abc', ''])]],
  ]);
  if (tag) tags.push(`creationTime:${tag}`);
  return make();
}

const BITMAPS: readonly string[] = [
  'bm0',
  'bitmap-a.b',
  "bm&'x",
  'é-bitmap ☃',
  '',
  'with space',
  '<tag>',
  'line\nbreak',
];

const UNKNOWN_TARGETS: readonly string[] = ['vdz', 'sdq', 'hdz', 'xvdq'];

/** The <disk> elements of a <disks>, or undefined for no <disks>. */
export function disks(
  rng: Random,
  vm: Vm,
  badAttribute: boolean,
  tags: string[],
): string[] | undefined {
  if (rng.chance(0.35)) return undefined;
  const pool = rng.shuffle(vm.disks);
  const count = rng.int(1, Math.max(1, pool.length) + (rng.chance(0.1) ? 1 : 0));
  const listed: { target: string; source?: string }[] = [];
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const disk = pool[k % Math.max(1, pool.length)];
    const kind = rng.weighted<string>([
      [70, 'target'],
      [15, 'source'],
      [6, 'unknown'],
      [3, 'unknown-path'],
      [2, 'ioemu'],
      [3, 'duplicate'],
      [1, 'invalid'],
    ]);
    let name: string;
    const again = listed.length > 0 ? rng.pick(listed) : undefined;
    if (kind === 'target' && disk) name = disk.target;
    else if (kind === 'source' && disk?.source) name = disk.source;
    else if (kind === 'ioemu' && disk) name = `ioemu:${disk.target}`;
    else if (kind === 'duplicate' && again) {
      name = again.source && rng.chance(0.6) ? again.source : again.target;
    } else if (kind === 'unknown-path') name = '/nonexistent/disk.img';
    else if (kind === 'invalid') name = rng.pick(['disk1', 'vda ', 'tmp/data.img']);
    else name = rng.pick(UNKNOWN_TARGETS);
    if (disk && (name === disk.target || name === disk.source)) listed.push(disk);
    tags.push(`disk:${UNKNOWN_TARGETS.includes(name) ? 'unknown' : kind}`);

    const attrs: [string, string][] = [['name', name]];
    const checkpoint = rng.weighted<string | undefined>([
      [40, undefined],
      [30, 'bitmap'],
      [30, 'no'],
    ]);
    if (checkpoint) attrs.push(['checkpoint', checkpoint]);
    if (checkpoint !== 'no' && rng.chance(0.35)) attrs.push(['bitmap', rng.pick(BITMAPS)]);
    if (checkpoint === 'no' && rng.chance(0.04)) {
      attrs.push(['bitmap', 'x']);
      tags.push('disk:no-with-bitmap');
    }
    if (checkpoint !== 'no' && rng.chance(0.1)) {
      attrs.push(['size', rng.pick(['0', '1048576', '18446744073709551615'])]);
      tags.push('disk:size');
    }
    if (badAttribute && k === 0) attrs.push(['foo', '1']);
    const written = (rng.chance(0.3) ? rng.shuffle(attrs) : attrs).map(([n, v]) =>
      attribute(rng, n, v),
    );
    out.push(`<disk ${written.join(' ')}${rng.chance(0.1) ? '></disk>' : '/>'}`);
  }
  return out;
}
