// Files for e2e/hostile.spec.ts beyond test/hostile/corpus.ts: what only a page can show (script
// in names, binary bytes behind an .xml name) and a checkpoint that is valid as libvirt has it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostileCase } from '../test/hostile/corpus.ts';
import { hostileCases, writeCases } from '../test/hostile/corpus.ts';
import { conformancePath } from './fixtures.ts';

/** A folder in the temporary directory, and how to remove it. */
export interface TempFolder {
  dir: string;
  path: (fileName: string) => string;
  remove: () => void;
}

export function tempFolder(write: (dir: string) => unknown = () => undefined): TempFolder {
  const dir = mkdtempSync(join(tmpdir(), 'hostile-e2e-'));
  write(dir);
  return {
    dir,
    path: (fileName) => join(dir, fileName),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The corpus's cases written to a temporary folder, with the valid checkpoint beside them. */
export function hostileFolder(cases: readonly HostileCase[]): TempFolder {
  return tempFolder((dir) => {
    writeCases(cases, dir);
    writeFileSync(join(dir, VALID.fileName), VALID.bytes);
  });
}

/** virsh checkpoint-dumpxml output with its <domain>: valid to the schema and to the strict rules. */
export const VALID = {
  name: 'part1',
  fileName: 'part1.xml',
  bytes: readFileSync(conformancePath('oracle', 'dom-partial-disks', 'input.xml')),
  description: 'only vdb',
};

const utf8 = (s: string) => new TextEncoder().encode(s);
const byId = (id: string) => hostileCases().find((c) => c.id === id) as HostileCase;

/** The PNG and the zip again, named .xml: the page must read them and still refuse them. */
export const BINARY_AS_XML: HostileCase[] = [
  { ...byId('png'), id: 'png-as-xml', fileName: 'image-png.xml' },
  { ...byId('zip'), id: 'zip-as-xml', fileName: 'checkpoints-zip.xml' },
];

/** Markup that would set window.__pwned if the page ever treated checkpoint text as HTML. */
export const PROBE = {
  name: '<img src=x onerror="window.__pwned=1">',
  description:
    '<script>window.__pwned=2</script> <img src=x onerror="window.__pwned=3"> javascript:window.__pwned=4',
  parent: '<svg onload="window.__pwned=5">',
};

const escapeText = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The probe in a checkpoint's name, description and parent, and in a CDATA section. */
export const PROBE_CASES: HostileCase[] = [
  {
    id: 'probe',
    fileName: 'probe.xml',
    bytes: utf8(
      `<domaincheckpoint>\n<name>${escapeText(PROBE.name)}</name>\n<description>${escapeText(PROBE.description)}</description>\n<parent><name>${escapeText(PROBE.parent)}</name></parent>\n<creationTime>1</creationTime>\n</domaincheckpoint>\n`,
    ),
  },
  {
    id: 'probe-cdata',
    fileName: 'probe-cdata.xml',
    bytes: utf8(
      `<domaincheckpoint>\n<name>cdata</name>\n<description><![CDATA[${PROBE.description}]]></description>\n<creationTime>2</creationTime>\n</domaincheckpoint>\n`,
    ),
  },
];
