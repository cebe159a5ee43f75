import { describe, expect, it } from 'vitest';
import {
  chainDomain,
  checkCheckpoint,
  checkRules,
  domainName,
  domainUuid,
  openFile,
  parseXml,
  readDomainDisks,
  readTargetDomain,
  verdictOf,
} from '../../src/core/index.ts';
import { simple } from './helpers.ts';

const UUID = '4B6F8A3E-2D1C-4E5F-9A7B-3C2D1E0F9A8B';
const DOMAIN = `<domain type='kvm'>
    <name> web01 </name>
    <uuid>${UUID}</uuid>
    <memory unit='KiB'>4194304</memory>
    <devices>
      <disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>
      <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/b'/><target dev='vdb' bus='virtio'/></disk>
      <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/i/a'/><target dev='vda' bus='virtio'/></disk>
      <disk type='file' device='disk'><source file='/i/x'/></disk>
    </devices>
  </domain>`;
const FILE = simple(
  'c1',
  undefined,
  1700000000,
  `<disks><disk name='vda' checkpoint='bitmap'/><disk name='vdb' checkpoint='bitmap'/><disk name='sda' checkpoint='no'/></disks>\n${DOMAIN}`,
);

describe('chainDomain', () => {
  it('keeps what the chain reads of a <domain>: its name, uuid and disk targets, read alike', () => {
    const parsed = parseXml(DOMAIN);
    if (!parsed.ok) throw new Error('fixture');
    const cut = chainDomain(parsed.value);
    expect(domainName(cut)).toBe(domainName(parsed.value));
    expect(domainUuid(cut)).toBe(domainUuid(parsed.value));
    expect(new Set(readDomainDisks(cut).map((d) => d.target))).toEqual(
      new Set(readDomainDisks(parsed.value).map((d) => d.target)),
    );
    expect(JSON.stringify(cut)).not.toContain('memory');
    // Each disk reads back whole (source, type, driver, bus): the disk images are matched by it.
    const plain = (disks: ReturnType<typeof readDomainDisks>) =>
      disks.map(({ position: _p, ...d }) => d);
    expect(plain(readDomainDisks(cut))).toEqual(plain(readDomainDisks(parsed.value)));
  });
});

describe('checkRules', () => {
  it('gives the checkpoint with its <domain> cut down, and the disks after a redefine', () => {
    const verdict = checkRules(FILE, 'c1.xml', { profile: 'strict' });
    expect(verdict.problems).toEqual([]);
    expect(verdict.checkpoint?.name).toBe('c1');
    expect(domainUuid(verdict.checkpoint?.domain as never)).toBe(UUID.toLowerCase());
    expect(verdict.redefinedDisks?.map((d) => [d.name, d.checkpoint])).toEqual(
      expect.arrayContaining([
        ['vda', 'bitmap'],
        ['vdb', 'bitmap'],
        ['sda', 'no'],
      ]),
    );
  });

  it('is verdictOf a check already made, when no target VM is known', () => {
    const checked = checkCheckpoint(FILE, { profile: 'strict', fileName: 'c1.xml' });
    expect(checkRules(FILE, 'c1.xml', { profile: 'strict' }, checked)).toEqual(
      verdictOf(checked, 'c1.xml', { profile: 'strict' }),
    );
  });

  it('checks against a target VM: its uuid and its disks', () => {
    const target = readTargetDomain(
      `<domain><uuid>${UUID}</uuid><devices><disk><source file='/x'/><target dev='vdc'/></disk></devices></domain>`,
    );
    if (!target.ok) throw new Error('fixture');
    const verdict = checkRules(FILE, 'c1.xml', { profile: 'strict', target: target.value });
    expect(verdict.problems).toMatchObject([{ code: 'target-disk-too-many', file: 'c1.xml' }]);
  });
});

describe('openFile', () => {
  it('decodes the bytes and names problems by the file’s last name', () => {
    const out = openFile(
      { fileName: 'dir/c1.xml', bytes: new TextEncoder().encode(simple('c1', 'gone')) },
      { profile: 'allow-no-domain' },
    );
    expect(out).toMatchObject({ fileName: 'dir/c1.xml', verdict: { checkpoint: { name: 'c1' } } });
  });

  it('says why a file is not XML text', () => {
    const out = openFile(
      { fileName: 'b.xml', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]) },
      { profile: 'strict' },
    );
    expect(out).toEqual({ fileName: 'b.xml', skipped: 'line 1: binary data, not XML text' });
  });
});
