export type DifferenceKind = 'added' | 'removed' | 'changed';

/** One way two checkpoints (or two VM definitions) differ, in libvirt's words. */
export interface Difference {
  /** The checkpoint's own fields, or the VM's definition it carries. */
  scope: 'checkpoint' | 'domain';
  /**
   * What differs, as libvirt's XML names it: `name`, `parent`, `creationTime`, `disk vdb`,
   * `memory`, `vcpu`, `machine`, or an element path in <domain> (`devices/interface[…]/source@network`).
   */
  field: string;
  /** Which part of the field, where it has parts: a disk's `source`, `format`, `bus`, `bitmap`… */
  aspect?: string;
  kind: DifferenceKind;
  /** The value in the first; absent when it has none. */
  before?: string;
  /** The value in the second; absent when it has none. */
  after?: string;
  /** In brief, for a mark or a line: `vdb added`, `memory 4→8 GiB`. */
  summary: string;
}

const SHORT = 40;

/** A difference in brief: `vdb added`, `memory 4→8`, or `… changed` where the values are long. */
export function summarize(
  what: string,
  kind: DifferenceKind,
  before?: string,
  after?: string,
): string {
  if (kind === 'added') return `${what} added`;
  if (kind === 'removed') return `${what} removed`;
  const b = before ?? '';
  const a = after ?? '';
  return b.length <= SHORT && a.length <= SHORT && !/\n/.test(b + a)
    ? `${what} ${b}→${a}`
    : `${what} changed`;
}

/** Added where the first has none, removed where the second has none, else changed. */
export function kindOf(before: string | undefined, after: string | undefined): DifferenceKind {
  return before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
}

/** One difference, its summary made from its values unless given. */
export function difference(
  scope: Difference['scope'],
  field: string,
  before: string | undefined,
  after: string | undefined,
  summary?: string,
  aspect?: string,
): Difference {
  const kind = kindOf(before, after);
  const d: Difference = {
    scope,
    field,
    kind,
    summary: summary ?? summarize(aspect ? `${field} ${aspect}` : field, kind, before, after),
  };
  if (aspect !== undefined) d.aspect = aspect;
  if (before !== undefined) d.before = before;
  if (after !== undefined) d.after = after;
  return d;
}
