import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VmFile, VmGrouping } from '../../src/core/index.ts';
import {
  addVmFile,
  createVmFileIndex,
  groupByVm,
  readVmFile,
  vmKeyOf,
} from '../../src/core/index.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'vms');

/** A fixture folder's files as the page offers them: paths under the folder dropped. */
function folder(name: string): VmFile[] {
  const files: VmFile[] = [];
  for (const vm of readdirSync(join(fixtures, name)).sort()) {
    for (const f of readdirSync(join(fixtures, name, vm)).sort()) {
      const path = `${name}/${vm}/${f}`;
      files.push(readVmFile(path, readFileSync(join(fixtures, path), 'utf8')));
    }
  }
  return files;
}

/** Each group as label → the base names of its files. */
function summary(files: readonly VmFile[], g: VmGrouping): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const group of g.groups) {
    out[group.label] = group.files.map((i) => (files[i] as VmFile).path.replace(/^.*\//, ''));
  }
  return out;
}

const UUID1 = '6d1c0b8e-2f3a-4c5d-9e7f-0a1b2c3d4e01';
const UUID2 = '6d1c0b8e-2f3a-4c5d-9e7f-0a1b2c3d4e02';

describe('groupByVm', () => {
  it('keeps web01 (with <domain>) and db01 (dumped --no-domain) apart: two VMs, not one', () => {
    const files = folder('vms');
    const g = groupByVm(files);
    expect(summary(files, g)).toEqual({
      db01: ['db01.0.xml', 'db01.1.xml', 'db01.2.xml'],
      web01: ['vmconfig.virtnbdbackup.2.xml', 'web01.0.xml', 'web01.1.xml', 'web01.2.xml'],
    });
    const [db01, web01] = g.groups;
    expect(web01).toMatchObject({ key: `uuid:${UUID1}`, uuid: UUID1, name: 'web01', by: 'uuid' });
    expect(db01).toMatchObject({ key: 'folder:vms/db01', by: 'folder' });
    expect(db01?.name).toBeUndefined();
    expect(db01?.reason).toContain('vms/db01/');
    expect(g.assignments[0]?.reason).toMatch(/no <domain> in it/);
  });

  it('makes the second VM a VM of its own when both carry <domain>', () => {
    const files = folder('vms-both');
    const g = groupByVm(files);
    expect(g.groups.map((x) => [x.label, x.uuid, x.files.length])).toEqual([
      ['db01', UUID2, 3],
      ['web01', UUID1, 3],
    ]);
  });

  it('joins files without <domain> to the one VM their folder holds', () => {
    const web = folder('vms').filter((f) => f.path.includes('web01'));
    const bare = readVmFile(
      'vms/web01/web01.3.xml',
      readFileSync(join(fixtures, 'vms/db01/db01.1.xml'), 'utf8'),
    );
    const g = groupByVm([...web, bare]);
    expect(g.groups).toHaveLength(1);
    expect(g.assignments[4]).toMatchObject({ key: `uuid:${UUID1}`, by: 'folder' });
  });

  it('keeps apart, and says so, a file without <domain> in a folder of two VMs', () => {
    const both = folder('vms-both').map((f) => ({
      ...f,
      path: f.path.replace(/\/(web|db)01\//, '/'),
    }));
    const bare: VmFile = { path: 'vms-both/lost.xml', root: 'checkpoint' };
    const g = groupByVm([...both, bare]);
    expect(g.groups.map((x) => x.label)).toEqual(['db01', 'web01', 'VM unknown (vms-both)']);
    expect(g.groups[2]).toMatchObject({ by: 'unknown', files: [6] });
    expect(g.assignments[6]?.reason).toContain('which one it belongs to cannot be told');
  });

  it('knows a bundle by its domain.xml, and by its name when nothing in it names the VM', () => {
    const inBundle: VmFile[] = [
      { path: 'web01-checkpoints/domain.xml', root: 'domain', uuid: UUID1, name: 'web01' },
      {
        path: 'web01-checkpoints/checkpoints/a.xml',
        root: 'checkpoint',
        archive: 'web01-checkpoints.tar.gz',
      },
      {
        path: 'web01-checkpoints/images/vda.json',
        root: 'other',
        archive: 'web01-checkpoints.tar.gz',
      },
      { path: 'x/b.xml', root: 'checkpoint', archive: 'in/db01-checkpoints.tgz' },
    ];
    inBundle[0] = { ...(inBundle[0] as VmFile), archive: 'web01-checkpoints.tar.gz' };
    const g = groupByVm(inBundle);
    expect(g.groups.map((x) => [x.key, x.label, x.files])).toEqual([
      [`uuid:${UUID1}`, 'web01', [0, 1, 2]],
      ['name:db01', 'db01', [3]],
    ]);
    expect(g.assignments[1]).toMatchObject({ by: 'bundle' });
    expect(g.groups[1]).toMatchObject({ by: 'bundle', name: 'db01' });
  });

  it("reads collect.sh's DOMAIN-checkpoints/ folder, and virtnbdbackup's checkpoints/ beside vmconfig", () => {
    const files: VmFile[] = [
      { path: 'host/db01-checkpoints/checkpoints/a.xml', root: 'checkpoint' },
      { path: 'host/db01-checkpoints/images/vda.json', root: 'other' },
      { path: 'backup/vmconfig.virtnbdbackup.0.xml', root: 'domain', uuid: UUID1, name: 'web01' },
      { path: 'backup/checkpoints/virtnbdbackup.0.xml', root: 'checkpoint' },
    ];
    const g = groupByVm(files);
    expect(g.groups.map((x) => [x.label, x.files, x.by])).toEqual([
      ['db01', [0, 1], 'bundle'],
      ['web01', [2, 3], 'uuid'],
    ]);
  });

  it('never merges two VMs of the same name with different uuids; a name alone joins its one uuid', () => {
    const files: VmFile[] = [
      { path: 'a/1.xml', root: 'checkpoint', uuid: UUID1, name: 'web01' },
      { path: 'b/1.xml', root: 'checkpoint', uuid: UUID2, name: 'web01' },
      { path: 'c/1.xml', root: 'checkpoint', name: 'db01' },
      { path: 'c/2.xml', root: 'checkpoint', name: 'db01', uuid: UUID2.replace('02', '03') },
      { path: 'd/1.xml', root: 'checkpoint', name: 'web01' },
    ];
    const g = groupByVm(files);
    expect(g.groups.map((x) => [x.label, x.files])).toEqual([
      [`web01 (uuid ${UUID1})`, [0]],
      [`web01 (uuid ${UUID2})`, [1]],
      ['db01', [2, 3]],
      ['web01', [4]],
    ]);
    expect(g.groups[3]?.key).toBe('name:web01');
  });

  it('groups loose files without <domain> as one set, by their folder', () => {
    const g = groupByVm([
      { path: 'a.xml', root: 'checkpoint' },
      { path: 'b.xml', root: 'checkpoint' },
    ]);
    expect(g.groups).toEqual([
      expect.objectContaining({ key: 'folder:', label: 'files opened', files: [0, 1] }),
    ]);
  });
});

describe('readVmFile', () => {
  it('reads the root and the <domain> a file carries', () => {
    const read = (p: string) => readVmFile(p, readFileSync(join(fixtures, p), 'utf8'));
    expect(read('vms/web01/web01.0.xml')).toEqual({
      path: 'vms/web01/web01.0.xml',
      root: 'checkpoint',
      uuid: UUID1,
      name: 'web01',
    });
    expect(read('vms/db01/db01.0.xml')).toEqual({
      path: 'vms/db01/db01.0.xml',
      root: 'checkpoint',
    });
    expect(read('vms/web01/vmconfig.virtnbdbackup.2.xml')).toMatchObject({
      root: 'domain',
      uuid: UUID1,
    });
    expect(readVmFile('x.xml', '<a', 'b.tar')).toEqual({
      path: 'x.xml',
      root: 'other',
      archive: 'b.tar',
    });
  });
});

describe('vmKeyOf', () => {
  it('tells each file noted so far the VM groupByVm gives it over all of them, as files come', () => {
    // Names with and without uuids, a name given two uuids, folders, bundles, DOMAIN-checkpoints/,
    // hosts, files without <domain>: a later file may move an earlier one to another VM.
    const file: fc.Arbitrary<VmFile> = fc
      .record({
        root: fc.constantFrom('checkpoint' as const, 'domain' as const, 'other' as const),
        uuid: fc.option(fc.constantFrom(UUID1, UUID2), { freq: 3 }),
        name: fc.option(fc.constantFrom('web01', 'db01'), { freq: 3 }),
        folder: fc.constantFrom(
          '',
          'a',
          'a/checkpoints',
          'web01-checkpoints',
          'b/images',
          'fleet/h1/x',
        ),
        archive: fc.option(fc.constantFrom('web01-checkpoints.tar.gz', 'x.zip'), { freq: 4 }),
        host: fc.option(fc.constantFrom('h1', 'h2'), { freq: 4 }),
        n: fc.nat(99),
      })
      .map((r) => {
        const f: VmFile = { path: `${r.folder ? `${r.folder}/` : ''}f${r.n}.xml`, root: r.root };
        if (r.root !== 'other' && r.uuid !== null) f.uuid = r.uuid;
        if (r.root !== 'other' && r.name !== null) f.name = r.name;
        if (r.archive !== null) f.archive = r.archive;
        if (r.host !== null) f.host = r.host;
        return f;
      });
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 30 }), (files) => {
        const index = createVmFileIndex();
        files.forEach((f, i) => {
          addVmFile(index, f);
          const all = groupByVm(files.slice(0, i + 1));
          for (let j = 0; j <= i; j++)
            expect(vmKeyOf(index, files[j] as VmFile)).toBe(all.assignments[j]?.key);
        });
      }),
      { numRuns: 300, seed: 24 },
    );
  });
});
