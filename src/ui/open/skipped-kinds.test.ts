import { describe, expect, it } from 'vitest';
import { kindLabel, skippedKinds } from './skipped-kinds.ts';

const notType = (fileName: string) => ({ fileName, reason: 'not an .xml or .json file' });

describe('skipped files in kinds', () => {
  it('a backup folder: one line per kind, problems one each', () => {
    const data = ['vda', 'vdb'].flatMap((d) => [`${d}.full.data`, `${d}.inc.virtnbdbackup.1.data`]);
    const { kinds, problems } = skippedKinds([
      ...data.map(notType),
      notType('backup.full.05012024.log'),
      notType('README'),
      { fileName: 'big.xml', reason: 'file is 19 bytes, over the limit of 10 bytes' },
      { fileName: 'c1.xml', reason: 'already open: the same file, byte for byte' },
    ]);
    expect(kinds.map(kindLabel)).toEqual([
      '4 data files',
      '1 log',
      '1 other file',
      '1 already open',
    ]);
    expect(kinds[0]?.files.map((f) => f.fileName)).toEqual(data);
    expect(problems.map((f) => f.fileName)).toEqual(['big.xml']);
  });
});
