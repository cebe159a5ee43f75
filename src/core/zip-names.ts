/** A file whose name in the zip is not the name it was opened under, and why. */
export interface ZipRename {
  from: string;
  to: string;
  reason: string;
}

export interface ZipEntryNames {
  /** The name of each file in the zip, in the order given. */
  names: string[];
  /** Every name that changed, in the order given. */
  renamed: ZipRename[];
}

/** ext4, XFS and APFS allow 255 bytes in one name; NTFS 255 UTF-16 units, never fewer. */
const MAX_NAME_BYTES = 255;
/** Windows refuses these in a name (`/` is the zip's own folder separator, handled apart). */
const REFUSED = /[<>:"\\|?*\p{Cc}]/gu;
/** Invisible marks that reorder the text around them: `evil\u202Elmx.sh` shows as `evilhs.xml`. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/** Windows' device names, reserved with any extension (`CON.xml`, `com1.tar.gz`) and any case. */
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/** The longest start of `text` that fits in `bytes` of UTF-8, never splitting a character. */
function truncateBytes(text: string, bytes: number): string {
  let used = 0;
  let end = 0;
  for (const c of text) {
    const cp = c.codePointAt(0) as number;
    // A lone surrogate is written as U+FFFD, 3 bytes.
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (used + size > bytes) break;
    used += size;
    end += c.length;
  }
  return text.slice(0, end);
}

/** `name (2).xml` from `name.xml`: the suffix before the extension, cut to the length limit. */
function withSuffix(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const room = MAX_NAME_BYTES - utf8Length(ext) - utf8Length(suffix);
  return `${truncateBytes(stem, Math.max(room, 1))}${suffix}${ext}`;
}

/**
 * One name (no folder) as every common system can write it, with why it changed: characters
 * Windows refuses and bidi controls become `_`, trailing dots and spaces (which Windows drops) go,
 * a device name gets `_` after it, and a name over 255 bytes is cut before its extension.
 */
function fixName(name: string, reasons: Set<string>): string {
  let fixed = name.replace(REFUSED, '_');
  if (fixed !== name) reasons.add('characters Windows does not allow');
  const unturned = fixed.replace(BIDI_CONTROLS, '_');
  if (unturned !== fixed) reasons.add('a control character that reorders text');
  fixed = unturned;
  const trimmed = fixed.replace(/[. ]+$/, '');
  if (trimmed !== fixed) reasons.add('Windows drops a trailing dot or space');
  fixed = trimmed || '_';
  const dot = fixed.indexOf('.');
  const stem = dot < 0 ? fixed : fixed.slice(0, dot);
  if (DEVICE.test(stem.trimEnd())) {
    fixed = `${stem}_${fixed.slice(stem.length)}`;
    reasons.add('a device name on Windows');
  }
  if (utf8Length(fixed) > MAX_NAME_BYTES) {
    fixed = withSuffix(fixed, '');
    reasons.add(`longer than ${MAX_NAME_BYTES} bytes`);
  }
  return fixed;
}

/** A file name for a download: one name, `/` refused like the rest. */
export function safeFileName(name: string): string {
  return fixName(name.replace(/\//g, '_'), new Set());
}

/** Two names are the same file where case and Unicode composition are ignored (Windows, macOS). */
const sameFileKey = (path: string) => path.normalize('NFC').toLowerCase().normalize('NFC');

/**
 * The names files get in a zip that unpacks the same on Linux, macOS and Windows: each folder and
 * file name fixed as `fixName` says, and names made unique where case and Unicode form are ignored
 * (`dup.xml` and `Dup.xml`, `café` composed and decomposed) by `name (2).xml`. Folders (`/`) are
 * kept; an empty, `.` or `..` folder cannot climb out of the zip's folder. The first file keeps a
 * name that others share; every change is listed with its reason.
 */
export function zipEntryNames(fileNames: readonly string[]): ZipEntryNames {
  const fixed = fileNames.map((fileName) => {
    const reasons = new Set<string>();
    const parts = fileName.split('/');
    const kept = parts.filter((p) => p !== '');
    if (kept.length !== parts.length) reasons.add('an empty folder name');
    const path = kept.length ? kept.map((p) => fixName(p, reasons)).join('/') : '_';
    return { path, reasons };
  });
  const taken = new Map<string, number>();
  const clashes: number[] = [];
  fixed.forEach(({ path }, i) => {
    const key = sameFileKey(path);
    if (taken.has(key)) clashes.push(i);
    else taken.set(key, i);
  });
  const names = fixed.map((f) => f.path);
  for (const i of clashes) {
    const { path, reasons } = fixed[i] as (typeof fixed)[number];
    const other = names[taken.get(sameFileKey(path)) as number] as string;
    const slash = path.lastIndexOf('/');
    let candidate = path;
    for (let n = 2; taken.has(sameFileKey(candidate)); n++) {
      candidate = path.slice(0, slash + 1) + withSuffix(path.slice(slash + 1), ` (${n})`);
    }
    taken.set(sameFileKey(candidate), i);
    names[i] = candidate;
    reasons.add(
      other === path
        ? 'the same name as another file'
        : `the same name as ${other} on Windows or macOS`,
    );
  }
  const renamed: ZipRename[] = [];
  fileNames.forEach((from, i) => {
    const to = names[i] as string;
    if (to !== from) {
      const { reasons } = fixed[i] as (typeof fixed)[number];
      renamed.push({ from, to, reason: [...reasons].join('; ') });
    }
  });
  return { names, renamed };
}
