/**
 * The same file offered twice (collect.sh's `DOMAIN-checkpoints/` beside its `.tar.gz`, a folder
 * dropped again) is opened once: libvirt knows a checkpoint by its name within its domain, so a
 * file is known by its VM and its base name, and the same bytes under that name add nothing.
 */

/** Why a repeat is passed over, as the page lists it and the CLI says it. */
export const REPEAT_REASON = 'the same file, byte for byte';

/** A file's base name: what it is known by within its VM (`bk.1.xml` of `…/checkpoints/bk.1.xml`). */
export function fileBaseName(path: string): string {
  return (
    path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1) || 'checkpoint.xml'
  );
}

/** Where an open file is known: its VM and its base name. */
export function openFileKey(vm: string, path: string): string {
  return `${vm}\u0000${fileBaseName(path)}`;
}

/**
 * What a file coming in is to the files open, keyed by openFileKey: a repeat (same key, same text:
 * pass it over), another file under an open one's name (the caller decides: keep both or ask), or new.
 */
export type Arrival<T> = { kind: 'new' } | { kind: 'repeat'; of: T } | { kind: 'same-name'; of: T };

export function arrivalOf<T extends { text: string }>(
  open: ReadonlyMap<string, T>,
  key: string,
  text: string,
): Arrival<T> {
  const was = open.get(key);
  if (was === undefined) return { kind: 'new' };
  return was.text === text ? { kind: 'repeat', of: was } : { kind: 'same-name', of: was };
}

/**
 * One VM's files, each kept once, in the order given, as the page opens them: a file with the name
 * and the text of the last one kept under that name is left out, with the one it repeats. Files of
 * a name with other texts are all kept (two checkpoints of one name are for the chain to report).
 * `read` gives undefined for a file that is never a repeat (one that could not be read as text).
 */
export function dropRepeats<T>(
  files: readonly T[],
  vm: string,
  read: (file: T) => { path: string; text: string } | undefined,
): { kept: T[]; repeats: { file: T; of: T }[] } {
  const open = new Map<string, { text: string; file: T }>();
  const kept: T[] = [];
  const repeats: { file: T; of: T }[] = [];
  for (const file of files) {
    const seen = read(file);
    if (seen !== undefined) {
      const key = openFileKey(vm, seen.path);
      const arrival = arrivalOf(open, key, seen.text);
      if (arrival.kind === 'repeat') {
        repeats.push({ file, of: arrival.of.file });
        continue;
      }
      open.set(key, { text: seen.text, file });
    }
    kept.push(file);
  }
  return { kept, repeats };
}
