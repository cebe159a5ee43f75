#!/usr/bin/env node
// Places libvirt's RELAX NG schema set for checkpoints under public/schemas/<version>/.
// The schemas are libvirt's, taken from the machine or Debian's package at install time, never committed.
// Sources, first found wins: $LIBVIRT_SCHEMAS_DIR, /usr/share/libvirt/schemas, Debian's libvirt0 package.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT_SCHEMA = 'domaincheckpoint.rng';
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = join(projectRoot, 'public', 'schemas');

/** The schema and every file it includes, transitively, in discovery order. */
export function schemaClosure(dir, root = ROOT_SCHEMA) {
  const seen = [];
  const visit = (name) => {
    if (seen.includes(name)) return;
    const path = join(dir, name);
    if (!existsSync(path)) throw new Error(`${path} is missing (included from the schema set)`);
    seen.push(name);
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(/<(?:include|externalRef)\s+href=["']([^"']+)["']/g)) visit(m[1]);
  };
  visit(root);
  return seen;
}

function upstreamVersion(debianVersion) {
  return debianVersion.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts,
  }).trim();
}

function fromEnv() {
  const dir = process.env.LIBVIRT_SCHEMAS_DIR;
  if (!dir) return null;
  if (!existsSync(join(dir, ROOT_SCHEMA)))
    throw new Error(`LIBVIRT_SCHEMAS_DIR=${dir} has no ${ROOT_SCHEMA}`);
  const version = process.env.LIBVIRT_SCHEMAS_VERSION || 'custom';
  return { dir, version, source: `LIBVIRT_SCHEMAS_DIR (${dir})` };
}

function fromSystem() {
  const dir = '/usr/share/libvirt/schemas';
  if (!existsSync(join(dir, ROOT_SCHEMA))) return null;
  let version = 'system';
  try {
    const pkg = run('dpkg-query', ['-S', join(dir, ROOT_SCHEMA)]).split(':')[0];
    version = upstreamVersion(run('dpkg-query', ['-W', '-f=${Version}', pkg]));
  } catch {
    // not a Debian system, or the file is not from a package: keep 'system'
  }
  return { dir, version, source: dir };
}

function fromDebianPackage() {
  const work = mkdtempSync(join(tmpdir(), 'libvirt0-'));
  try {
    run('apt-get', ['download', 'libvirt0'], { cwd: work });
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`apt-get download libvirt0 failed: ${String(e.stderr || e.message).trim()}`, {
      cause: e,
    });
  }
  const deb = run('sh', ['-c', 'ls *.deb'], { cwd: work }).split('\n')[0];
  const version = upstreamVersion(run('dpkg-deb', ['-f', join(work, deb), 'Version']));
  run('dpkg-deb', ['-x', join(work, deb), join(work, 'root')]);
  const dir = join(work, 'root', 'usr', 'share', 'libvirt', 'schemas');
  if (!existsSync(join(dir, ROOT_SCHEMA))) throw new Error(`${deb} holds no ${ROOT_SCHEMA}`);
  return {
    dir,
    version,
    source: `Debian package ${deb}`,
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}

function install() {
  const tried = [];
  let found = null;
  for (const source of [fromEnv, fromSystem, fromDebianPackage]) {
    try {
      found = source();
      if (found) break;
    } catch (e) {
      tried.push(e.message);
    }
  }
  if (!found) {
    console.error(
      [
        "install-schemas: libvirt's RELAX NG schemas were not found.",
        ...tried.map((t) => `  - ${t}`),
        'Provide them in one of these ways, then run `npm run postinstall` again:',
        '  - LIBVIRT_SCHEMAS_DIR=/path/to/libvirt/schemas (a folder holding domaincheckpoint.rng)',
        '  - apt-get install libvirt0   (installs /usr/share/libvirt/schemas)',
      ].join('\n'),
    );
    process.exit(1);
  }
  const files = schemaClosure(found.dir);
  const outDir = join(outRoot, found.version);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const f of files) copyFileSync(join(found.dir, f), join(outDir, f));
  const manifest = { version: found.version, source: found.source, root: ROOT_SCHEMA, files };
  writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  writeFileSync(
    join(outRoot, 'current.json'),
    JSON.stringify({ version: found.version, path: `${found.version}/` }, null, 2) + '\n',
  );
  found.cleanup?.();
  console.log(
    `install-schemas: libvirt ${found.version} schemas (${files.length} files) from ${found.source} → public/schemas/${found.version}/`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) install();
