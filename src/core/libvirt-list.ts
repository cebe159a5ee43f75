/** A loaded checkpoint, by the name the forest knows it by and the path it was offered under. */
export interface ListedCandidate {
  /** Its checkpoint name. */
  name: string;
  /** Its path as offered (folder included), when it came from a folder or a bundle. */
  path?: string;
}

const folderOf = (path: string) => path.slice(0, path.lastIndexOf('/') + 1);

/**
 * What libvirt knows, told by where the files came from. A folder collect.sh (or `collect`) wrote,
 * `DOMAIN-checkpoints/`, holds `domain.xml` beside `images/` and `checkpoints/`, and that
 * `checkpoints/` is what `virsh checkpoint-list` gave: libvirt's list, even when empty (an archive
 * keeps no empty folder, so `images/` beside `domain.xml` says it is one). A checkpoint from
 * anywhere else (a backup folder) is only a file at hand. Gives the names in libvirt's list, or
 * undefined when no collected folder is loaded: then what libvirt knows is not known.
 */
export function libvirtListed(
  definitionPath: string | undefined,
  imagePaths: readonly string[],
  checkpoints: readonly ListedCandidate[],
): Set<string> | undefined {
  if (definitionPath === undefined || !/(^|\/)domain\.xml$/.test(definitionPath)) return undefined;
  const folder = folderOf(definitionPath);
  const inList = (c: ListedCandidate) => c.path?.startsWith(`${folder}checkpoints/`) === true;
  const collected =
    imagePaths.some((p) => p.startsWith(`${folder}images/`)) || checkpoints.some(inList);
  if (!collected) return undefined;
  return new Set(checkpoints.filter(inList).map((c) => c.name));
}
