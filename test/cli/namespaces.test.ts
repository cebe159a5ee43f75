import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseXmlDocument } from '../../src/core/index.ts';
import { runCli } from './run-cli.ts';

const conformance = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'conformance');
// A checkpoint libvirt 9.0 printed, its namespaces declared on the root as a person writes them.
const CANON = readFileSync(
  join(conformance, 'oracle', 'dom-partial-disks', 'expected.xml'),
  'utf8',
);
const DECLARED_ON_ROOT = CANON.replace(
  '<domaincheckpoint>',
  '<domaincheckpoint xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0">',
).replace(
  '    </devices>\n',
  "    </devices>\n    <qemu:commandline>\n      <qemu:arg value='-foo'/>\n    </qemu:commandline>\n",
);

const dir = mkdtempSync(join(tmpdir(), 'cli-namespaces-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('format keeps the namespaces a <domain> uses', () => {
  it('declares xmlns:qemu on <domain>, where libvirt writes it, and prints well-formed XML', async () => {
    const file = join(dir, 'qemu.xml');
    writeFileSync(file, DECLARED_ON_ROOT);
    const r = await runCli(['format', '--redefine', '--security-info', file]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>",
    );
    expect(r.out).toContain(
      "  <qemu:commandline>\n      <qemu:arg value='-foo'/>\n    </qemu:commandline>\n",
    );
    // A namespace-aware reader finds every prefix declared.
    const read = parseXmlDocument(r.out);
    expect(read.ok && read.problems).toEqual([]);
  });
});
