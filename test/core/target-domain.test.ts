import { describe, expect, it } from 'vitest';
import { checkCheckpoint, checkOnTarget, readTargetDomain } from '../../src/core/index.ts';
import { checkpointOf } from './helpers.ts';

const DOMAIN = `<domain type='kvm'>
  <name>web01</name>
  <uuid>4B6F8A3E-2D1C-4E5F-9A7B-3C2D1E0F9A8B</uuid>
  <devices>
    <disk type='file' device='disk'>
      <source file='/var/lib/libvirt/images/web01.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='sda' bus='sata'/>
      <readonly/>
    </disk>
  </devices>
</domain>
`;

function target() {
  const read = readTargetDomain(DOMAIN);
  if (!read.ok) throw new Error(read.problems[0]?.message);
  return read.value;
}

const checkpoint = (disks: string) =>
  checkpointOf(
    `<domaincheckpoint>\n  <name>c1</name>\n  <creationTime>1</creationTime>\n  <disks>\n${disks}\n  </disks>\n</domaincheckpoint>\n`,
  );

describe('readTargetDomain', () => {
  it('reads the name, the uuid in lower case, and the disks', () => {
    const t = target();
    expect(t.name).toBe('web01');
    expect(t.uuid).toBe('4b6f8a3e-2d1c-4e5f-9a7b-3c2d1e0f9a8b');
    expect(t.disks.map((d) => d.target)).toEqual(['vda', 'sda']);
  });

  it('refuses a file that is not a <domain>, or not XML', () => {
    expect(readTargetDomain('<domaincheckpoint/>')).toMatchObject({
      ok: false,
      problems: [
        {
          code: 'wrong-root',
          message: "expecting root element of 'domain', not 'domaincheckpoint'",
        },
      ],
    });
    expect(readTargetDomain('<domain>')).toMatchObject({
      ok: false,
      problems: [{ code: 'xml-malformed' }],
    });
  });
});

describe('checkOnTarget', () => {
  it('accepts disks the target still has', () => {
    expect(checkOnTarget(checkpoint("    <disk name='vda'/>"), target())).toEqual([]);
    expect(
      checkOnTarget(checkpoint("    <disk name='/var/lib/libvirt/images/web01.qcow2'/>"), target()),
    ).toEqual([]);
  });

  it('says which disk the target lacks, in libvirt words, on its line', () => {
    const problems = checkOnTarget(
      checkpoint("    <disk name='vda'/>\n    <disk name='vdb'/>"),
      target(),
    );
    expect(problems).toEqual([
      {
        code: 'target-disk-unknown',
        severity: 'error',
        message: "target VM web01: no disk named 'vdb'",
        line: 6,
        column: 5,
      },
    ]);
  });

  it('refuses a bitmap on a disk the target has read-only', () => {
    expect(checkOnTarget(checkpoint("    <disk name='sda'/>"), target())).toMatchObject([
      {
        code: 'target-disk-empty-or-readonly',
        message: "target VM web01: disk 'sda' is empty or readonly",
      },
    ]);
  });

  it('leaves the uuid to the redefine rules, in libvirt words', () => {
    const text = `<domaincheckpoint>\n  <name>c1</name>\n  <creationTime>1</creationTime>\n  <domain>\n    <uuid>00000000-0000-4000-8000-000000000000</uuid>\n    <devices><disk><source file='/x'/><target dev='vda'/></disk></devices>\n  </domain>\n</domaincheckpoint>\n`;
    expect(checkCheckpoint(text, { vmUuid: target().uuid as string }).problems).toMatchObject([
      {
        code: 'uuid-mismatch',
        message: 'definition for checkpoint c1 must use uuid 4b6f8a3e-2d1c-4e5f-9a7b-3c2d1e0f9a8b',
        line: 4,
      },
    ]);
  });
});
