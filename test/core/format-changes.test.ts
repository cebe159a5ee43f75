import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatChanges } from '../../src/core/index.ts';

const CHECKPOINT = (disks: string) =>
  `<domaincheckpoint>\n  <name>c1</name>\n  <creationTime>1700000000</creationTime>\n  <disks>\n${disks}  </disks>\n</domaincheckpoint>\n`;

const LAYOUT =
  'the layout is libvirt’s: two spaces a level, one element a line, single quotes, LF line ends';

describe('formatChanges', () => {
  it('says nothing of a file libvirt made itself', () => {
    const text = readFileSync(
      join(import.meta.dirname, '..', 'fixtures', 'redefine', 'by-path.out.xml'),
      'utf8',
    );
    expect(formatChanges(text)).toEqual([]);
  });

  it('names what libvirt’s format adds: checkpoint= on a disk given without it, at its line', () => {
    const text = CHECKPOINT(
      "    <disk name='vda' checkpoint='bitmap'/>\n    <disk name='vdb'/>\n    <disk name='sda' checkpoint='no'/>\n",
    );
    expect(formatChanges(text)).toEqual([
      {
        line: 6,
        what: "disk vdb: checkpoint='bitmap' is added (a disk without checkpoint= is a bitmap)",
      },
      { what: LAYOUT },
    ]);
  });

  it('names a value it writes otherwise, and nothing about the disks as they are', () => {
    const text = CHECKPOINT("    <disk name='vda' checkpoint='bitmapp'/>\n");
    expect(formatChanges(text).map((c) => c.what)).toEqual([
      "disk vda: checkpoint 'bitmapp' is written as 'bitmap'",
      LAYOUT,
    ]);
  });
});
