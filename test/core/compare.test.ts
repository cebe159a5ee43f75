import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Checkpoint, Difference } from '../../src/core/index.ts';
import {
  compareCheckpoints,
  compareDomainFacts,
  compareDomains,
  describeGap,
  describeVmChange,
  domainFacts,
  formatDomainText,
  parseXml,
  vmChangeOf,
} from '../../src/core/index.ts';
import { checkpointOf } from './helpers.ts';

// c1 … c4 are libvirt's own dumps (test/fixtures/compare/generate.ts): the VM web01 redefined
// between checkpoints — vdb added with more memory, vCPUs and a newer machine type, then vdb moved
// to a raw image and the CD-ROM to SCSI, then vdb removed.
const dir = join(import.meta.dirname, '..', 'fixtures', 'compare');
const text = (name: string) => readFileSync(join(dir, name), 'utf8');
const c = (n: number) => checkpointOf(text(`c${n}.xml`));
const domainOf = (cp: Checkpoint) => {
  if (!cp.domain) throw new Error('no <domain>');
  return cp.domain;
};
const vmconfig = () => {
  const xml = parseXml(text('vmconfig.virtnbdbackup.3.xml'));
  if (!xml.ok) throw new Error('unreadable');
  return xml.value;
};

/** A difference as a row of the table: where, what, before → after. */
const row = (d: Difference) =>
  `${d.scope} | ${d.field}${d.aspect ? ` ${d.aspect}` : ''} | ${d.before ?? '—'} → ${d.after ?? '—'}`;

describe('compareCheckpoints on checkpoints libvirt made', () => {
  it('c1 → c2: parent, creation time and gap, a disk and its bitmap added, memory, vcpu, machine, network', () => {
    const r = compareCheckpoints(c(1), c(2));
    expect(r.differences.map(row)).toEqual([
      'checkpoint | name | c1 → c2',
      'checkpoint | parent | — → c1',
      'checkpoint | creationTime | 1709251200 (2024-03-01 00:00:00 UTC) → 1709345100 (2024-03-02 02:05:00 UTC)',
      'checkpoint | disk vdb | — → bitmap c2',
      'domain | memory | 4 GiB → 8 GiB',
      'domain | currentMemory | 4 GiB → 8 GiB',
      'domain | vcpu | 2 → 4',
      'domain | machine | pc-q35-7.2 → pc-q35-8.0',
      'domain | disk vdb | — → qcow2 /var/lib/libvirt/images/web01-data.qcow2 on virtio',
      'domain | devices/interface[52:54:00:12:34:56]/source@network | default → backup',
    ]);
    expect(r.gap).toBe(String(1709345100 - 1709251200));
    expect(describeGap(r.gap as string)).toBe('1 day 2 h 5 min later');
    // vdb's bitmap starts at c2: no incremental backup of vdb since c1.
    expect(r.newBitmaps).toEqual(['vdb']);
    expect(r.differences.map((d) => d.summary)).toContain('memory 4→8 GiB');
    expect(r.differences.map((d) => d.summary)).toContain('vdb added');
  });

  it("c2 → c3: a disk's source and format, another's bus, checkpoint='no', the controller libvirt added", () => {
    const r = compareCheckpoints(c(2), c(3));
    expect(r.differences.map(row)).toEqual([
      'checkpoint | name | c2 → c3',
      'checkpoint | parent | c1 → c2',
      'checkpoint | creationTime | 1709345100 (2024-03-02 02:05:00 UTC) → 1709348700 (2024-03-02 03:05:00 UTC)',
      'checkpoint | disk vdb checkpoint | bitmap → no',
      'domain | disk vdb source | /var/lib/libvirt/images/web01-data.qcow2 → /var/lib/libvirt/images/web01-data.raw',
      'domain | disk vdb format | qcow2 → raw',
      'domain | disk sda bus | sata → scsi',
      "domain | devices/controller[sata 0] | <controller index='0' type='sata'/> → —",
      "domain | devices/controller[scsi 0] | — → <controller index='0' type='scsi'/>",
    ]);
    expect(describeGap(r.gap as string)).toBe('1 h later');
    expect(r.newBitmaps).toEqual([]);
    // c3 keeps no bitmap on vdb: no incremental backup of vdb since c3.
    expect(r.lostBitmaps).toEqual(['vdb']);
    // Read the other way round, the same conclusion, from the other side.
    expect(compareCheckpoints(c(3), c(2))).toMatchObject({ newBitmaps: ['vdb'], lostBitmaps: [] });
  });

  it('c3 → c4: a disk removed, from the checkpoint and from the VM', () => {
    const r = compareCheckpoints(c(3), c(4));
    expect(r.differences.filter((d) => d.field === 'disk vdb').map(row)).toEqual([
      'checkpoint | disk vdb | no → —',
      'domain | disk vdb | raw /var/lib/libvirt/images/web01-data.raw on virtio → —',
    ]);
    expect(r.differences.find((d) => d.field === 'disk vdb' && d.scope === 'domain')?.kind).toBe(
      'removed',
    );
    expect(describeGap(r.gap as string)).toBe('7 days later');
  });

  it('the other way round, each difference turns round', () => {
    const forward = compareCheckpoints(c(1), c(2)).differences;
    const back = compareCheckpoints(c(2), c(1)).differences;
    expect(back.map((d) => [d.field, d.aspect, d.before, d.after])).toEqual(
      forward.map((d) => [d.field, d.aspect, d.after, d.before]),
    );
    expect(describeGap(compareCheckpoints(c(2), c(1)).gap as string)).toBe(
      '1 day 2 h 5 min earlier',
    );
  });

  it('a checkpoint is equivalent to itself, however it is written', () => {
    const rewritten = text('c1.xml')
      .replace(/\n\s*/g, '')
      .replace("<disk type='file' device='disk'>", '<disk device="disk" type="file"><!-- x -->')
      .replace("<memory unit='KiB'>4194304</memory>", "<memory unit='GiB'>4</memory>")
      .replace("<target dev='vda' bus='virtio'/>", "<target dev='vda'/>")
      .replace("<domain type='test'>", "<domain type='test' id='9'>")
      .replace("bitmap='c1'", '');
    expect(compareCheckpoints(c(1), checkpointOf(rewritten))).toEqual({
      differences: [],
      newBitmaps: [],
      lostBitmaps: [],
    });
  });

  it('a bitmap named otherwise than its checkpoint is a difference; each named after its own is not', () => {
    const renamed = checkpointOf(
      text('c2.xml').replace(
        "name='vda' checkpoint='bitmap' bitmap='c2'",
        "name='vda' checkpoint='bitmap' bitmap='nightly'",
      ),
    );
    expect(
      compareCheckpoints(c(1), renamed)
        .differences.filter((d) => d.field === 'disk vda')
        .map(row),
    ).toEqual(['checkpoint | disk vda bitmap | c1 → nightly']);
    expect(compareCheckpoints(c(1), c(2)).differences.some((d) => d.field === 'disk vda')).toBe(
      false,
    );
  });

  it('a checkpoint without <domain> beside one with it', () => {
    const bare = checkpointOf(text('c1.xml').replace(/ {2}<domain [\s\S]*<\/domain>\n/, ''));
    expect(compareCheckpoints(bare, c(1)).differences.map(row)).toEqual([
      'domain | domain | — → <domain>',
    ]);
  });
});

describe('compareDomains: a checkpoint with a VM definition (virsh dumpxml)', () => {
  it("the last checkpoint's <domain> is the VM as virtnbdbackup saved it (a live id aside)", () => {
    expect(compareDomains(domainOf(c(4)), vmconfig())).toEqual([]);
  });

  it("the first checkpoint's <domain> against today's VM", () => {
    expect(compareDomains(domainOf(c(1)), vmconfig()).map((d) => d.summary)).toEqual([
      'memory 4→8 GiB',
      'currentMemory 4→8 GiB',
      'vcpu 2→4',
      'machine pc-q35-7.2→pc-q35-8.0',
      'sda bus sata→scsi',
      'devices/controller[sata 0] removed',
      'devices/interface[52:54:00:12:34:56]/source@network default→backup',
      'devices/controller[scsi 0] added',
    ]);
  });

  it("a disk's other settings by path inside the disk; passwords are not compared", () => {
    const before = domainOf(c(4));
    const after = parseXml(
      formatDomainText(before)
        .replace(
          "<driver name='qemu' type='qcow2'/>",
          "<driver name='qemu' type='qcow2' cache='none'/>",
        )
        .replace('<devices>', "<devices><graphics type='vnc' passwd='one'/>"),
    );
    const withPassword = parseXml(
      formatDomainText(before).replace('<devices>', "<devices><graphics type='vnc' passwd='two'/>"),
    );
    if (!after.ok || !withPassword.ok) throw new Error('unreadable');
    expect(compareDomains(withPassword.value, after.value).map(row)).toEqual([
      'domain | disk vda driver@cache | — → none',
    ]);
  });
});

describe('domainFacts: the same named differences, the rest only known to differ', () => {
  for (const [a, b] of [
    [1, 2],
    [2, 3],
    [3, 4],
    [1, 4],
    [4, 4],
  ] as const) {
    it(`c${a} → c${b}`, () => {
      const full = compareDomains(domainOf(c(a)), domainOf(c(b)));
      const brief = compareDomainFacts(domainFacts(domainOf(c(a))), domainFacts(domainOf(c(b))));
      const named = (d: Difference) => !d.field.includes('/') && d.field !== 'domain';
      expect(brief.filter(named)).toEqual(full.filter(named));
      expect(brief.some((d) => d.field === 'domain')).toBe(full.some((d) => !named(d)));
      expect(brief.length === 0).toBe(full.length === 0);
    });
  }

  it('the same VM however it is written: the same facts, digests included', () => {
    const rewritten = checkpointOf(
      text('c3.xml')
        .replace(/\n\s*/g, '')
        .replace(
          "<type arch='x86_64' machine='pc-q35-8.0'>",
          "<type machine='pc-q35-8.0' arch='x86_64'>",
        )
        .replace("<controller type='scsi' index='0'/>", '')
        .replace('<devices>', "<devices><controller index='0' type='scsi'/><!-- moved -->")
        .replace("<memory unit='KiB'>8388608</memory>", "<memory unit='GiB'>8</memory>"),
    );
    expect(compareDomains(domainOf(c(3)), domainOf(rewritten))).toEqual([]);
    expect(domainFacts(domainOf(rewritten))).toEqual(domainFacts(domainOf(c(3))));
    const moved = checkpointOf(text('c3.xml').replace("network='backup'", "network='default'"));
    expect(domainFacts(domainOf(moved)).rest).not.toBe(domainFacts(domainOf(c(3))).rest);
  });

  it('facts survive a structured clone (they cross from the workers)', () => {
    const facts = domainFacts(domainOf(c(2)));
    expect(structuredClone(facts)).toEqual(facts);
  });
});

describe('vmChangeOf: what changed in the VM from the parent', () => {
  const moment = (n: number) => {
    const cp = c(n);
    return { name: cp.name as string, disks: cp.disks ?? [], domain: domainFacts(domainOf(cp)) };
  };

  it('c2 from c1: the VM changed, and vdb has a bitmap only from c2 on', () => {
    const change = vmChangeOf(moment(1), moment(2));
    expect(change).toEqual({
      parent: 'c1',
      changes: [
        'memory 4→8 GiB',
        'currentMemory 4→8 GiB',
        'vcpu 2→4',
        'machine pc-q35-7.2→pc-q35-8.0',
        'vdb added',
        'other <domain> settings changed',
      ],
      newBitmaps: ['vdb'],
    });
    expect(describeVmChange(change as NonNullable<typeof change>, 'c2')).toBe(
      'VM changed since c1: memory 4→8 GiB, currentMemory 4→8 GiB, vcpu 2→4, machine pc-q35-7.2→pc-q35-8.0, vdb added, other <domain> settings changed. ' +
        'vdb has no bitmap before c2: an incremental backup of vdb since c1 or an older checkpoint is impossible',
    );
  });

  it('c4 from c3: vdb removed', () => {
    expect(vmChangeOf(moment(3), moment(4))?.changes).toEqual(['vdb removed']);
  });

  it('nothing changed: no change', () => {
    expect(vmChangeOf(moment(4), { ...moment(4), name: 'c5' })).toBeUndefined();
  });

  it('without <domain>: the disks the checkpoints list', () => {
    const bare = (n: number) => ({ name: `c${n}`, disks: c(n).disks ?? [] });
    expect(vmChangeOf(bare(1), bare(2))).toEqual({
      parent: 'c1',
      changes: ['vdb added'],
      newBitmaps: ['vdb'],
    });
  });
});

describe('describeGap and formatDomainText', () => {
  it.each([
    ['0', 'at the same second'],
    ['59', '59 s later'],
    ['-3600', '1 h earlier'],
    ['90061', '1 day 1 h 1 min 1 s later'],
    ['172800', '2 days later'],
  ])('%s seconds: %s', (seconds, words) => expect(describeGap(seconds)).toBe(words));

  it("a checkpoint's <domain> alone, as libvirt lays it out", () => {
    const lines = text('c1.xml').split('\n');
    const domain = lines
      .slice(lines.indexOf("  <domain type='test'>"), lines.indexOf('  </domain>') + 1)
      .map((l) => l.slice(2))
      .join('\n');
    expect(formatDomainText(domainOf(c(1)))).toBe(`${domain}\n`);
  });
});
