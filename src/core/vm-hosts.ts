/**
 * The host a VM's files were collected from. The playbook (contrib/ansible/collect.yml) fetches
 * each host's bundles into `fleet/HOST/DOMAIN-checkpoints.tar.gz`: below the folder opened (the
 * page's dropped or picked folder, the CLI's folder named), the folder a bundle or a collect.sh
 * `DOMAIN-checkpoints/` folder sits in is its host. A host's VMs are never another host's: the
 * same VM name (even the same uuid, a clone) on two hosts is two VMs.
 */

/** collect.sh's folder, `DOMAIN-checkpoints/`, or its bundle: what a host's files come in. */
const CONTAINER = /.-checkpoints(?:\.(?:tar\.gz|tgz|tar|zip))?$/i;
const BUNDLE = /\.(?:tar\.gz|tgz|tar|zip)$/i;

/**
 * The host of a file or a bundle, by its path below the folder opened (`/`-separated, that folder
 * not included): the folder its container sits in, when there is one below that folder.
 * `kvm1/web01-checkpoints.tar.gz` gives `kvm1`; `web01-checkpoints/domain.xml` (the folder where
 * collect.sh ran was opened) gives none.
 */
export function containerHost(below: string): string | undefined {
  // `/` only: a backslash is a character of a name on a Linux host (`kvm\\2` is one folder).
  const parts = below.split('/').filter(Boolean);
  const last = parts.length - 1;
  const inside = parts.findIndex((p, i) => i < last && CONTAINER.test(p));
  const at = inside >= 0 ? inside : BUNDLE.test(parts[last] ?? '') ? last : -1;
  return at >= 1 ? parts[at - 1] : undefined;
}

/**
 * The host of a file the page opened, by its path as offered (`fleet/kvm1/…`: a dropped or picked
 * folder's name first) or, for a bundle's entry, the bundle's path. A file picked alone has none.
 */
export function offeredHost(path: string, archive?: string): string | undefined {
  const offered = (archive ?? path).replace(/^\.?\//, '');
  const slash = offered.indexOf('/');
  return slash < 0 ? undefined : containerHost(offered.slice(slash + 1));
}

const HOST_KEY = /^host:([^/\s]*)\//;

/**
 * A VM's key on a host: `host:kvm1/uuid:…`, the host percent-encoded (no `/`, no space: the key
 * goes into element ids, and an IDREF list is split at spaces).
 */
export function keyOnHost(host: string | undefined, key: string): string {
  return host === undefined ? key : `host:${encodeURIComponent(host)}/${key}`;
}

/** A VM key's host, and the key without it. */
export function splitHostKey(key: string): { host?: string; key: string } {
  const m = HOST_KEY.exec(key);
  if (!m) return { key };
  return { host: decodeURIComponent(m[1] as string), key: key.slice(m[0].length) };
}
