import { baseName } from './documents-slice.ts';
import type { CheckpointDocument } from './documents-slice.ts';
import { vmOf } from './vm-key.ts';

/**
 * How a list names each file (issue 21.4): as it is, unless its VM holds another file opened under
 * the same name (both kept); then by its path, folder included, so the two are told apart.
 */
export function nameLabels(
  documents: Readonly<Record<string, CheckpointDocument>>,
): (id: string) => string {
  const count = new Map<string, number>();
  const keyOf = (d: CheckpointDocument) => `${vmOf(d)}\u0000${baseName(d.path ?? d.fileName)}`;
  for (const d of Object.values(documents)) count.set(keyOf(d), (count.get(keyOf(d)) ?? 0) + 1);
  return (id) => {
    const d = documents[id];
    if (!d) return id;
    if ((count.get(keyOf(d)) ?? 0) < 2) return d.fileName;
    // Its folder where it came from one; else the name it was given ("x (2).xml").
    return d.path?.includes('/') ? d.path : d.fileName;
  };
}
