import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCheckpoint, formatCheckpoint, writableDisks } from '../../src/core/index.ts';
import { checkpointOf } from './helpers.ts';

// libvirt's own create cases, restated in ../shared/conformance/libvirt-tests/cases.tsv.
const root = join(import.meta.dirname, '..', '..', '..', 'shared', 'conformance', 'libvirt-tests');
const rows = readFileSync(join(root, 'cases.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split('\t'))
  .filter((r) => r[1] === 'create' && !r[8]?.startsWith('error'));

describe("createCheckpoint: libvirt's create tests", () => {
  it('has cases', () => expect(rows.length).toBeGreaterThanOrEqual(4));
  for (const [name, , input, now, parent, vmDisks, sizes, format, expected] of rows as string[][]) {
    it(name as string, () => {
      const sizeMap =
        sizes === '-'
          ? {}
          : Object.fromEntries(
              sizes!.split(',').map((p) => [p.split('=')[0], Number(p.split('=')[1])]),
            );
      const created = createCheckpoint(checkpointOf(readFileSync(join(root, input!), 'utf8')), {
        now: Number(now),
        ...(parent !== '-' ? { parent: parent! } : {}),
        vmDisks: writableDisks(vmDisks!.split(',')),
        sizes: sizeMap,
      });
      expect(created.ok).toBe(true);
      const text = created.ok
        ? formatCheckpoint(created.value, { noDomain: true, size: format!.includes('--size') })
        : '';
      expect(text).toBe(readFileSync(join(root, expected!), 'utf8'));
    });
  }

  it('ignores a request’s own creationTime and parent, as libvirt reads them only on redefine', () => {
    const request = checkpointOf(
      '<domaincheckpoint><name>n</name><creationTime>5</creationTime><parent><name>p</name></parent></domaincheckpoint>',
    );
    const created = createCheckpoint(request, { now: 99, vmDisks: writableDisks(['vda']) });
    expect(created.ok && formatCheckpoint(created.value)).toBe(
      "<domaincheckpoint>\n  <name>n</name>\n  <creationTime>99</creationTime>\n  <disks>\n    <disk name='vda' checkpoint='bitmap' bitmap='n'/>\n  </disks>\n</domaincheckpoint>\n",
    );
  });

  it('refuses a VM without disks in libvirt’s words', () => {
    const created = createCheckpoint(checkpointOf('<domaincheckpoint/>'), { now: 1, vmDisks: [] });
    expect(created.ok).toBe(false);
    expect(created.problems[0]?.message).toBe(
      'domain must have at least one disk to perform checkpoints',
    );
  });
});
