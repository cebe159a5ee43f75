import { describe, expect, it } from 'vitest';
import type { ForestEntry } from '../../src/core/index.ts';
import type { BackupHeader } from '../../src/core/index.ts';
import {
  mapBackups,
  parseCheckpoint,
  readBackupFileName,
  readBackupHeader,
} from '../../src/core/index.ts';

/** A checkpoint as virtnbdbackup has libvirt make it: both disks' bitmaps, its parent. */
function checkpoint(n: number, disks = ['vda', 'vdb']): ForestEntry {
  const name = `virtnbdbackup.${n}`;
  const parent = n > 0 ? `<parent><name>virtnbdbackup.${n - 1}</name></parent>` : '';
  const xml = `<domaincheckpoint><name>${name}</name>${parent}<creationTime>${1796552041 + n}</creationTime><disks>${disks
    .map((d) => `<disk name='${d}' checkpoint='bitmap' bitmap='${name}'/>`)
    .join('')}<disk name='vdc' checkpoint='no'/></disks></domaincheckpoint>`;
  const parsed = parseCheckpoint(xml);
  if (!parsed.ok) throw new Error(parsed.problems[0]?.message);
  return { file: `bk/checkpoints/${name}.xml`, checkpoint: parsed.value };
}

// What virtnbdbackup 1.9.15 wrote for a full and two incrementals of a VM with vda and vdb.
const FOLDER = [
  'backup.full.12062026101401.log',
  'backup.inc.12062026101407.log',
  'backup.inc.12062026101409.log',
  'ckpt-nbd-13478-try.cpt',
  'vda.full.data',
  'vda.inc.virtnbdbackup.1.data',
  'vda.inc.virtnbdbackup.2.data',
  'vdb.full.data',
  'vdb.inc.virtnbdbackup.1.data',
  'vdb.inc.virtnbdbackup.2.data',
].map((f) => `bk/${f}`);
const CHAIN = [checkpoint(0), checkpoint(1), checkpoint(2)];

const cells = (paths: string[], entries = CHAIN) =>
  mapBackups(paths, entries).checkpoints.map(
    (c) =>
      `${c.checkpoint} ${c.level}: ${c.disks.map((d) => `${d.disk} ${d.state}${d.restorable ? '' : ' (not restorable)'}`).join(', ')}`,
  );
const messages = (paths: string[], entries = CHAIN) =>
  mapBackups(paths, entries).problems.map((p) => `${p.severity}: ${p.file}: ${p.message}`);

describe('readBackupFileName: virtnbdbackup 1.9.15 names', () => {
  it('tells data files by disk, level and checkpoint; partial ones; logs, the checkpoint list', () => {
    expect(readBackupFileName('bk/vda.full.data')).toEqual({
      kind: 'data',
      path: 'bk/vda.full.data',
      disk: 'vda',
      level: 'full',
      partial: false,
    });
    expect(readBackupFileName('sdb.inc.virtnbdbackup.12.data.partial')).toMatchObject({
      disk: 'sdb',
      level: 'inc',
      ident: 'virtnbdbackup.12',
      partial: true,
    });
    expect(readBackupFileName('vdc.copy.data')).toMatchObject({ level: 'copy' });
    expect(readBackupFileName('vda.diff.1796552047.data')).toMatchObject({
      level: 'diff',
      ident: '1796552047',
    });
    expect(readBackupFileName('backup.inc.12062026101407.log')).toEqual({
      kind: 'log',
      path: 'backup.inc.12062026101407.log',
      level: 'inc',
    });
    expect(readBackupFileName('web01.cpt')).toMatchObject({ kind: 'checkpoint-list', vm: 'web01' });
    expect(readBackupFileName('vda.data')).toBeUndefined();
    expect(readBackupFileName('notes.txt')).toBeUndefined();
  });
});

describe('mapBackups', () => {
  it('maps the full to the chain root and each incremental to its checkpoint, per disk', () => {
    expect(cells(FOLDER)).toEqual([
      'virtnbdbackup.0 full: vda present, vdb present',
      'virtnbdbackup.1 inc: vda present, vdb present',
      'virtnbdbackup.2 inc: vda present, vdb present',
    ]);
    const folder = mapBackups(FOLDER, CHAIN);
    expect(folder.problems).toEqual([]);
    expect(folder.disks).toEqual(['vda', 'vdb']);
    expect(folder.checkpoints[2]?.disks[0]).toMatchObject({
      expected: 'vda.inc.virtnbdbackup.2.data',
      file: 'bk/vda.inc.virtnbdbackup.2.data',
    });
    expect(folder.notes.map((n) => n.kind)).toEqual(['log', 'log', 'log', 'checkpoint-list']);
  });

  it('without the full data file: "incremental … has no full backup before it", for that disk', () => {
    const paths = FOLDER.filter((p) => p !== 'bk/vda.full.data');
    expect(messages(paths)).toEqual([
      'error: bk/checkpoints/virtnbdbackup.0.xml: incremental virtnbdbackup.1 has no full backup before it: disk vda has no vda.full.data (checkpoint virtnbdbackup.0)',
    ]);
    expect(cells(paths)[2]).toBe('virtnbdbackup.2 inc: vda present (not restorable), vdb present');
  });

  it('without an incremental: "checkpoint … has no data file"; those after it cannot be restored', () => {
    const paths = FOLDER.filter((p) => !p.endsWith('vdb.inc.virtnbdbackup.1.data'));
    expect(messages(paths)).toEqual([
      'error: bk/checkpoints/virtnbdbackup.1.xml: checkpoint virtnbdbackup.1 has no data file for disk vdb: no vdb.inc.virtnbdbackup.1.data in the folder',
    ]);
    expect(cells(paths).slice(1)).toEqual([
      'virtnbdbackup.1 inc: vda present, vdb missing (not restorable)',
      'virtnbdbackup.2 inc: vda present, vdb present (not restorable)',
    ]);
  });

  it('a .partial data file is a backup that did not finish', () => {
    const paths = [
      ...FOLDER.filter((p) => !p.endsWith('vda.inc.virtnbdbackup.2.data')),
      'bk/vda.inc.virtnbdbackup.2.data.partial',
    ];
    expect(messages(paths)).toEqual([
      'error: bk/checkpoints/virtnbdbackup.2.xml: checkpoint virtnbdbackup.2 has no data file for disk vda: vda.inc.virtnbdbackup.2.data.partial is a partial backup (virtnbdbackup: "One of the last backups seems to have failed.")',
    ]);
  });

  it('an incremental with no checkpoint among the files, a disk the checkpoints do not keep, copy and diff backups', () => {
    const paths = [
      ...FOLDER,
      'bk/vda.inc.virtnbdbackup.3.data',
      'bk/vdc.copy.data',
      'bk/vda.diff.1796552099.data',
    ];
    const folder = mapBackups(paths, CHAIN);
    expect(folder.problems.map((p) => `${p.severity}: ${p.message}`)).toEqual([
      'warning: incremental virtnbdbackup.3 of disk vda has no checkpoint virtnbdbackup.3 among the files opened (checkpoints/virtnbdbackup.3.xml)',
    ]);
    // vdc has checkpoint='no': no data file is expected of it at any checkpoint.
    expect(folder.checkpoints.every((c) => c.disks.every((d) => d.disk !== 'vdc'))).toBe(true);
    expect(folder.others.map((f) => f.path)).toEqual([
      'bk/vda.diff.1796552099.data',
      'bk/vdc.copy.data',
    ]);
  });
});

/** A data file's first bytes as virtnbdbackup 1.9.15 writes them (streamer.py's dumpMetadata). */
function dataStart(meta: Record<string, unknown>): Uint8Array {
  const json = JSON.stringify(meta, null, 4);
  const frame = `meta ${'0'.repeat(16)} ${json.length.toString(16).padStart(16, '0')}\r\n`;
  return new TextEncoder().encode(
    `${frame}${json}\r\nstop ${'0'.repeat(16)} ${'0'.repeat(16)}\r\n`,
  );
}

const META = {
  virtualSize: 1048576,
  dataSize: 65536,
  date: '2026-12-06T10:24:31.093722',
  diskName: 'vda',
  diskFormat: 'qcow2',
  checkpointName: 'virtnbdbackup.2',
  compressed: 2,
  compressionMethod: 'lz4',
  parentCheckpoint: 'virtnbdbackup.1',
  incremental: true,
  streamVersion: 2,
};

describe('mapBackups: an incremental named for a checkpoint that keeps no bitmap of its disk', () => {
  it('is said so, not taken for an offline delta since the chain’s first checkpoint', () => {
    // vdc is checkpoint='no' in every checkpoint: no incremental of it since virtnbdbackup.1.
    const folder = mapBackups([...FOLDER, 'bk/vdc.inc.virtnbdbackup.1.data'], CHAIN);
    expect(folder.problems.map((p) => `${p.severity}: ${p.file}: ${p.message}`)).toEqual([
      'warning: bk/vdc.inc.virtnbdbackup.1.data: incremental virtnbdbackup.1 of disk vdc is no backup libvirt could have made: checkpoint virtnbdbackup.1 keeps no bitmap of disk vdc',
    ]);
    expect(folder.others).toEqual([]);
  });
});

describe('readBackupHeader', () => {
  it('reads the meta frame: disk, checkpoint, parent, compression, sizes', () => {
    expect(readBackupHeader(dataStart(META))).toEqual({
      diskName: 'vda',
      checkpointName: 'virtnbdbackup.2',
      parentCheckpoint: 'virtnbdbackup.1',
      incremental: true,
      compressed: 2,
      dataSize: 65536,
      virtualSize: 1048576,
      date: '2026-12-06T10:24:31.093722',
    });
    expect(readBackupHeader(dataStart({ ...META, compressed: false }))?.compressed).toBe(false);
  });

  it('gives nothing for what is no header: other bytes, a frame cut short, JSON without names', () => {
    expect(readBackupHeader(new TextEncoder().encode('QEMU data\n'))).toBeUndefined();
    expect(readBackupHeader(dataStart(META).subarray(0, 60))).toBeUndefined();
    expect(readBackupHeader(dataStart({ dataSize: 1 }))).toBeUndefined();
  });
});

describe('mapBackups with the data files’ headers', () => {
  const header = (over: Partial<BackupHeader>): BackupHeader => ({
    ...(readBackupHeader(dataStart(META)) as BackupHeader),
    ...over,
  });

  it('an offline incremental written over virtnbdbackup.2’s: the changes since it, not up to it', () => {
    const headers = new Map([
      [
        'bk/vda.inc.virtnbdbackup.2.data',
        header({ parentCheckpoint: 'virtnbdbackup.2', checkpointName: 'virtnbdbackup.2' }),
      ],
      ['bk/vdb.inc.virtnbdbackup.2.data', header({ diskName: 'vdb' })],
    ]);
    const folder = mapBackups(FOLDER, CHAIN, headers);
    expect(folder.problems.map((p) => p.message)).toEqual([
      'checkpoint virtnbdbackup.2 has no data file for disk vda: vda.inc.virtnbdbackup.2.data holds the changes since virtnbdbackup.2, not those up to it: an offline backup (the VM shut off) saves "only delta" under the latest checkpoint\'s name, over its incremental',
    ]);
    expect(
      folder.checkpoints[2]?.disks.map((d) => [d.state, d.restorable, d.header?.compressed]),
    ).toEqual([
      ['wrong', false, 2],
      ['present', true, 2],
    ]);
  });

  it('a file renamed: its header names another disk or checkpoint', () => {
    const headers = new Map([
      ['bk/vda.inc.virtnbdbackup.1.data', header({ checkpointName: 'virtnbdbackup.2' })],
      [
        'bk/vdb.full.data',
        header({ diskName: 'vda', checkpointName: 'virtnbdbackup.0', parentCheckpoint: '' }),
      ],
    ]);
    expect(mapBackups(FOLDER, CHAIN, headers).problems.map((p) => p.message)).toEqual([
      "checkpoint virtnbdbackup.0 has no data file for disk vdb: vdb.full.data holds disk vda's data (its header says)",
      'checkpoint virtnbdbackup.1 has no data file for disk vda: vda.inc.virtnbdbackup.1.data holds the backup of checkpoint virtnbdbackup.2 (its header says)',
    ]);
  });

  it('an offline delta named for the chain’s first checkpoint is a backup of its own, not a problem', () => {
    const folder = mapBackups([...FOLDER, 'bk/vda.inc.virtnbdbackup.0.data'], CHAIN);
    expect(folder.problems).toEqual([]);
    expect(folder.others.map((f) => f.path)).toEqual(['bk/vda.inc.virtnbdbackup.0.data']);
  });
});
