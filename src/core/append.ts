/**
 * Appends `items` to `list` one at a time. `list.push(...items)` passes each item as an argument
 * and throws "Maximum call stack size exceeded" past ~100,000 of them (lint forbids it).
 */
export function append<T>(list: T[], items: Iterable<T>): T[] {
  for (const item of items) list.push(item);
  return list;
}
