import type { Dirent } from 'node:fs';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { BundleKind } from '../core/index.ts';
import { bundleKind, compareNatural, DEFAULT_MAX_BUNDLE_BYTES, readBundle } from '../core/index.ts';
import { InputError, systemReason } from './errors.ts';
import type { InputFile, SkippedEntry } from './io.ts';
import { readInput, toInput } from './io.ts';
import { readRegularFile } from './regular-file.ts';

/**
 * What the command line offers, read as the page reads a drop: files as named, folders walked
 * through (sub-folders too), and bundles (`DOMAIN-checkpoints.tar.gz`, `.tgz`, `.tar`, `.zip`)
 * opened as the folder they hold, with the page's safety rules (core's readBundle).
 */

/** A file read, and where it came from: what grouping by VM looks at. */
export interface GatheredFile extends InputFile {
  /** Its path as offered: as given and walked, or inside its bundle. */
  path: string;
  /** The bundle it was unpacked from, as named or walked (its entries are `ARCHIVE/PATH`). */
  archive?: string;
  /**
   * The host it was collected from: the folder its bundle or `DOMAIN-checkpoints/` folder sits in,
   * below a folder named on the command line (the playbook's `fleet/HOST/DOMAIN-checkpoints.tar.gz`).
   */
  host?: string;
  /** `.json` by its name: qemu-img's or QMP's output about the disk images. */
  json: boolean;
  /** Named on the command line, not met in a folder or a bundle. */
  named: boolean;
}

export interface Gathered {
  files: GatheredFile[];
  /** `.xml`, `.json` and bundles met that could not be read: reported, the exit status at least 1. */
  skipped: SkippedEntry[];
  /** Other files met in folders and bundles (a backup's data and logs): counted, said once. */
  passedOver: number;
}

const XML = /\.xml$/i;
const JSON_NAME = /\.json$/i;

/** collect.sh's folder, `DOMAIN-checkpoints/`, or its bundle: what a host's files come in. */
const CONTAINER = /.-checkpoints(?:\.(?:tar\.gz|tgz|tar|zip))?$/i;

/** The host of a file met under `root`: the folder its container sits in, when that is below root. */
function hostOf(root: string, path: string): string | undefined {
  const parts = relative(root, path).split(sep);
  const at = parts.findIndex((p, i) => i < parts.length - 1 && CONTAINER.test(p));
  const container = at >= 0 ? at : bundleKind(path) ? parts.length - 1 : -1;
  return container >= 1 ? parts[container - 1] : undefined;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // reading it says why
  }
}

/** The entries of a bundle, each offered as a folder's file would be; its refusals skipped. */
async function openBundle(
  archive: string,
  bytes: Uint8Array,
  kind: BundleKind,
  host: string | undefined,
  maxBytes: number | undefined,
  into: Gathered,
): Promise<string | undefined> {
  const bundle = await readBundle(
    bytes,
    kind,
    maxBytes === undefined ? {} : { maxEntryBytes: maxBytes },
  );
  if (!bundle.ok) return bundle.problems[0]?.message ?? 'unreadable';
  const entries = [...bundle.value.entries].sort((a, b) => compareNatural(a.path, b.path));
  for (const entry of entries) {
    const name = basename(entry.path);
    const json = JSON_NAME.test(name);
    if (!json && !XML.test(name)) {
      into.passedOver++;
      continue;
    }
    const fileName = `${archive}/${entry.path}`;
    into.files.push({
      ...toInput(fileName, { kind: 'read', bytes: entry.bytes }),
      path: entry.path,
      archive,
      ...(host !== undefined ? { host } : {}),
      json,
      named: false,
    });
  }
  for (const s of bundle.value.skipped)
    into.skipped.push({ path: `${archive}: ${s.path}`, reason: s.reason });
  return undefined;
}

async function walk(
  root: string,
  dir: string,
  maxBytes: number | undefined,
  seen: Set<string>,
  into: Gathered,
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    into.skipped.push({ path: dir, reason: `cannot read: ${systemReason(e)}` });
    return;
  }
  entries.sort((a, b) => compareNatural(a.name, b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (isFolder(path)) {
      // A link back up would walk for ever: each folder is read once.
      const real = realpathSync(path);
      if (seen.has(real)) continue;
      seen.add(real);
      await walk(root, path, maxBytes, seen, into);
      continue;
    }
    const kind = bundleKind(entry.name);
    const json = JSON_NAME.test(entry.name);
    if (!kind && !json && !XML.test(entry.name)) {
      into.passedOver++;
      continue;
    }
    const host = hostOf(root, path);
    const read = readRegularFile(path, kind ? DEFAULT_MAX_BUNDLE_BYTES : maxBytes);
    if (read.kind === 'unreadable') {
      into.skipped.push({ path, reason: read.reason });
    } else if (kind) {
      const why =
        read.kind === 'read'
          ? await openBundle(path, read.bytes, kind, host, maxBytes, into)
          : read.problem.message;
      if (why !== undefined) into.skipped.push({ path, reason: why });
    } else {
      into.files.push({
        ...toInput(path, read),
        path,
        ...(host !== undefined ? { host } : {}),
        json,
        named: false,
      });
    }
  }
}

/**
 * Reads what the paths name: a file as it is (a bundle unpacked), a folder walked through in
 * natural order. A path named that cannot be read stops the command (InputError); what a walk
 * meets and cannot read is skipped, and said.
 */
export async function gatherInputs(paths: readonly string[], maxBytes?: number): Promise<Gathered> {
  const into: Gathered = { files: [], skipped: [], passedOver: 0 };
  for (const path of paths) {
    if (isFolder(path)) {
      await walk(path, path, maxBytes, new Set([realpathSync(path)]), into);
      continue;
    }
    const kind = bundleKind(path);
    if (!kind) {
      into.files.push({
        ...readInput(path, maxBytes),
        path,
        json: JSON_NAME.test(path),
        named: true,
      });
      continue;
    }
    const read = readRegularFile(path, DEFAULT_MAX_BUNDLE_BYTES);
    if (read.kind === 'unreadable') throw new InputError(`${path}: ${read.reason}`);
    const why =
      read.kind === 'read'
        ? await openBundle(path, read.bytes, kind, undefined, maxBytes, into)
        : read.problem.message;
    if (why !== undefined) throw new InputError(`${path}: ${why}`);
  }
  return into;
}

/** The line said once for the files passed over: a backup's data and logs are no error. */
export function passedOverLine(count: number): string | undefined {
  if (count === 0) return undefined;
  return `skipped ${count === 1 ? '1 file that is' : `${count} files that are`} not .xml or .json`;
}
