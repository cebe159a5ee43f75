// How the VM changed at each checkpoint, worked out again where the rows or verdicts changed only:
// always what a derivation from nothing gives.
import { describe, expect, it } from 'vitest';
import type { ForestRow, RuleVerdict } from '../core/index.ts';
import { openFile } from '../core/index.ts';
import { backupFolder } from '../samples/index.ts';
import { deriveVmChanges } from './vm-changes.ts';

const FILES = backupFolder(4);
const encoder = new TextEncoder();

function verdictOf(contents: string, fileName: string): RuleVerdict {
  const outcome = openFile(
    { fileName, bytes: encoder.encode(contents) },
    { profile: 'allow-no-domain' },
  );
  if (!('verdict' in outcome)) throw new Error(`${fileName}: not read`);
  return outcome.verdict;
}

function row(id: string, parentId?: string): ForestRow {
  return {
    id,
    label: id,
    fileName: `${id}.xml`,
    level: parentId ? 2 : 1,
    lane: 0,
    childIds: [],
    posinset: 1,
    setsize: 1,
    ...(parentId ? { parentId } : {}),
  };
}

const NOTHING = { vmChanges: {}, vmChangesMemo: new Map() };

describe('deriveVmChanges', () => {
  it('after rows are added and a verdict changes, equals a derivation from nothing', () => {
    const [, b, c] = FILES.map((f) => verdictOf(f.contents, f.fileName)) as RuleVerdict[];
    // A checkpoint with its disk vda no longer keeping a bitmap: its child's bitmap of vda is new.
    const noBitmap = (i: number) => {
      const f = FILES[i] as (typeof FILES)[number];
      return verdictOf(
        f.contents.replace(
          /<disk name='vda' checkpoint='bitmap' bitmap='[^']*'\/>/,
          "<disk name='vda' checkpoint='no'/>",
        ),
        f.fileName,
      );
    };
    const rows = [row('a'), row('b', 'a')];
    const before = deriveVmChanges(rows, { a: noBitmap(0), b }, NOTHING);
    expect(before.vmChanges['b']?.newBitmaps).toEqual(['vda']);

    const more = [...rows, row('c', 'b')];
    // b edited as a was: its change goes; c comes with a bitmap b does not keep.
    const verdicts = { a: noBitmap(0), b: noBitmap(1), c };
    const next = deriveVmChanges(more, verdicts, before);
    const scratch = deriveVmChanges(more, verdicts, NOTHING);
    expect(next.vmChanges).toEqual(scratch.vmChanges);
    expect([...next.vmChangesMemo.keys()].sort()).toEqual(['b', 'c']);
    expect(next.vmChanges['b']).toBeUndefined();
    expect(next.vmChanges['c']?.newBitmaps).toEqual(['vda']);

    // A row that goes: worked out from the rows as they are.
    const fewer = [row('a'), row('c', 'a')];
    expect(deriveVmChanges(fewer, verdicts, next).vmChanges).toEqual(
      deriveVmChanges(fewer, verdicts, NOTHING).vmChanges,
    );
  });
});
