import { describe, expect, it } from 'vitest';
import { checkCheckpoint, parseCheckpoint } from '../../src/core/index.ts';

describe('parseCheckpoint', () => {
  it('names the wrong root in libvirt’s words', () => {
    const r = parseCheckpoint('<domainsnapshot/>');
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({
      message: "expecting root element of 'domaincheckpoint', not 'domainsnapshot'",
      line: 1,
    });
  });

  it('gives malformed XML its line: the element left open', () => {
    const r = parseCheckpoint(
      '<domaincheckpoint>\n  <name>a</name>\n  <disks>\n</domaincheckpoint>',
    );
    expect(r.ok).toBe(false);
    // libxml2 (xmllint, libvirt) names line 4, where the wrong end tag stands.
    expect(r.problems[0]).toMatchObject({
      line: 4,
      message: 'Opening and ending tag mismatch: disks line 3 and domaincheckpoint',
    });
  });

  it('reads a declared entity where libvirt reads its value, and refuses it where libvirt does', () => {
    const dtd = '<!DOCTYPE d [<!ENTITY x "boom">]>';
    // libvirt 9.0 redefines `<name>c&who;</name>` as "coperator": XPath string() gives the value.
    const named = parseCheckpoint(`${dtd}<domaincheckpoint><name>&x;</name></domaincheckpoint>`);
    expect(named.ok && named.value.name).toBe('boom');
    // ...and refuses an unexpanded reference in <description> at its schema check.
    const described = checkCheckpoint(
      `${dtd}\n<domaincheckpoint><name>a</name>\n<description>&x;</description></domaincheckpoint>`,
      { profile: 'allow-no-domain' },
    );
    expect(described.problems).toContainEqual(
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining('failed to validate against schema'),
      }),
    );
  });

  it('reads a UTF-8 byte order mark, CDATA and fields in any order', () => {
    const r = parseCheckpoint(
      '\ufeff<domaincheckpoint><creationTime>5</creationTime><description><![CDATA[a<b]]></description><name>n</name></domaincheckpoint>',
    );
    expect(
      r.ok && {
        name: r.value.name,
        description: r.value.description,
        creationTime: r.value.creationTime,
      },
    ).toEqual({
      name: 'n',
      description: 'a<b',
      creationTime: '5',
    });
  });

  it('keeps long long creation times and sizes exactly; out of range is no creation time', () => {
    const r = parseCheckpoint(
      "<domaincheckpoint><creationTime>0009223372036854775807</creationTime><disks><disk name='vda' size='18446744073709551615'/></disks></domaincheckpoint>",
    );
    expect(r.ok && [r.value.creationTime, r.value.disks?.[0]?.size]).toEqual([
      '9223372036854775807',
      '18446744073709551615',
    ]);
    const over = parseCheckpoint(
      '<domaincheckpoint><creationTime>9223372036854775808</creationTime></domaincheckpoint>',
    );
    expect(over.ok && over.value.creationTime).toBeUndefined();
  });

  it('a disk without checkpoint= is a bitmap', () => {
    const r = parseCheckpoint(
      "<domaincheckpoint><disks><disk name='vda'/><disk name='vdb' checkpoint='no'/></disks></domaincheckpoint>",
    );
    expect(r.ok && r.value.disks?.map((d) => d.checkpoint)).toEqual(['bitmap', 'no']);
  });
});

describe('redefine', () => {
  it('drops sizes, which libvirt never reads from XML', () => {
    const r = checkCheckpoint(
      "<domaincheckpoint><name>c</name><creationTime>1</creationTime><disks><disk name='vda' size='1024'/></disks></domaincheckpoint>",
      { profile: 'allow-no-domain' },
    );
    expect(r.checkpoint?.disks?.[0]?.size).toBe('1024');
    expect(r.redefined?.disks).toEqual([
      { name: 'vda', checkpoint: 'bitmap', bitmap: 'c', position: { line: 1, column: 70 } },
    ]);
  });

  it('refuses a checkpoint that is its own parent, in libvirt’s words', () => {
    const r = checkCheckpoint(
      '<domaincheckpoint><name>a</name><parent><name>a</name></parent><creationTime>1</creationTime></domaincheckpoint>',
      {
        profile: 'allow-no-domain',
      },
    );
    expect(r.problems[0]?.message).toBe('cannot set moment a as its own parent');
  });
});

describe('checkCheckpoint', () => {
  const domain = (driver: string) =>
    `<domain><uuid>C7A5FDBD-EDAF-9455-926A-D65C16DB1809</uuid><devices><disk type='file' device='disk'><driver name='qemu' type='${driver}'/><source file='/a.img'/><target dev='vda'/></disk></devices></domain>`;

  it('warns where the QEMU driver would refuse, in its words', () => {
    const r = checkCheckpoint(
      `<domaincheckpoint><name>c</name><creationTime>1</creationTime><disks><disk name='vda' bitmap='other'/></disks>${domain('raw')}</domaincheckpoint>`,
      { fileName: 'c.xml' },
    );
    expect(r.redefined).toBeDefined();
    expect(r.problems.map((p) => [p.severity, p.message, p.file])).toEqual([
      ['warning', "bitmap for disk 'vda' must match checkpoint name 'c'", 'c.xml'],
      ['warning', 'checkpoint for disk vda unsupported for storage type raw', 'c.xml'],
    ]);
  });

  it('refuses a domain of another VM in libvirt’s words', () => {
    const r = checkCheckpoint(
      `<domaincheckpoint><name>c</name><creationTime>1</creationTime>${domain('qcow2')}</domaincheckpoint>`,
      {
        vmUuid: '4dea22b3-1d52-d8f3-2516-782e98ab3fa0',
      },
    );
    expect(r.redefined).toBeUndefined();
    expect(r.problems[0]?.message).toBe(
      'definition for checkpoint c must use uuid 4dea22b3-1d52-d8f3-2516-782e98ab3fa0',
    );
  });

  it('accepts the VM’s own uuid whatever its case', () => {
    const r = checkCheckpoint(
      `<domaincheckpoint><name>c</name><creationTime>1</creationTime>${domain('qcow2')}</domaincheckpoint>`,
      {
        vmUuid: 'c7a5fdbd-edaf-9455-926a-d65c16db1809',
      },
    );
    expect(r.problems).toEqual([]);
    expect(r.redefined?.disks).toEqual([{ name: 'vda', checkpoint: 'bitmap', bitmap: 'c' }]);
  });
});
