import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/core/index.ts';
import {
  applyCheckpointEdit,
  editCheckpointText,
  fieldProblems,
  formatCheckpoint,
  parseCheckpoint,
} from '../../src/core/index.ts';
import type { CheckpointEdit } from '../../src/state/documents-slice.ts';
import {
  setCreationTime,
  setDescription,
  setDiskBitmap,
  setDiskCheckpoint,
  setName,
  setParent,
} from '../../src/state/checkpoint-edits.ts';
import type { Validator } from '../../src/validation/index.ts';
import { createNodeValidator, loadSchemaSet } from '../../src/validation/node.ts';

// What a person can type into a field: names that look right, and ones the schema refuses.
const word = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9_-][a-zA-Z0-9_.-]{0,20}$/),
  fc.constantFrom('../escape', '.hidden', 'a/b', 'with space', '<script>', 'nightly\n2', '', 'é'),
  fc.string({ maxLength: 12 }),
);
const disk = fc.oneof(
  fc.constantFrom('vda', 'vdb', 'sda', 'hdc', '/var/lib/libvirt/images/a.qcow2'),
  fc.constantFrom('vdz!', 'disk0', 'C:', ''),
);
const seconds = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
  fc.constantFrom('', '0', '17e8', '-1'),
);

const edit: fc.Arbitrary<CheckpointEdit> = fc.oneof(
  word.map(setName),
  fc.string({ maxLength: 30 }).map(setDescription),
  word.map(setParent),
  seconds.map((s) => setCreationTime(s)),
  fc
    .tuple(disk, fc.constantFrom('bitmap' as const, 'no' as const))
    .map(([d, c]) => setDiskCheckpoint(d, c)),
  fc.tuple(disk, fc.string({ maxLength: 10 })).map(([d, b]) => setDiskBitmap(d, b)),
);

const start: Checkpoint = {
  name: 'nightly.0',
  creationTime: '1712000000',
  disks: [{ name: 'vda', checkpoint: 'bitmap', bitmap: 'nightly.0' }],
  positions: {},
};

let validator: Validator;
beforeAll(async () => {
  validator = await createNodeValidator(await loadSchemaSet());
});
afterAll(() => validator.close());

describe('form edits against libvirt’s schema', () => {
  it('an edit the forms do not flag keeps a valid file valid; whatever the schema refuses is flagged', async () => {
    const runs = fc.sample(fc.array(edit, { minLength: 1, maxLength: 6 }), {
      numRuns: 400,
      seed: 42,
    });
    const results = runs.map((edits) => edits.reduce(applyCheckpointEdit, start));
    // The same edits made in the file's own text read back as the model says.
    runs.forEach((edits, i) => {
      const text = edits.reduce((t, e) => {
        const r = editCheckpointText(t, e);
        return r.ok ? r.value : t;
      }, formatCheckpoint(start));
      const read = parseCheckpoint(text);
      // Both read back (the reader drops what libvirt cannot read, such as a negative time).
      const want = parseCheckpoint(formatCheckpoint(results[i] as Checkpoint));
      expect(read.ok && formatCheckpoint(read.value)).toBe(want.ok && formatCheckpoint(want.value));
    });
    const verdicts = await validator.validate(
      results.map((cp, i) => ({ fileName: `${i}.xml`, contents: formatCheckpoint(cp) })),
    );
    let flagged = 0;
    results.forEach((cp, i) => {
      const flags = fieldProblems(cp).map((p) => p.message);
      const verdict = verdicts[i];
      if (flags.length) flagged++;
      // Flags may go further than the schema (a creation time past libvirt's long long), never less far.
      if (!verdict?.valid)
        expect({ flags, text: formatCheckpoint(cp) }).toMatchObject({
          flags: expect.arrayContaining([expect.any(String)]),
        });
      if (!flags.length)
        expect({ valid: verdict?.valid, text: formatCheckpoint(cp) }).toMatchObject({
          valid: true,
        });
    });
    // both kinds were tried
    expect(flagged).toBeGreaterThan(20);
    expect(results.length - flagged).toBeGreaterThan(20);
  });
});
