/** virsh sorts checkpoints by name with strcasecmp: ASCII letters folded, bytes compared. */
export function compareVirsh(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The order an operator expects: `virtnbdbackup.2` before `virtnbdbackup.10`. */
export function compareNatural(a: string, b: string): number {
  return natural.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
