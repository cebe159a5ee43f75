import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SchemaSet, Validator, XmlFile } from '../../src/validation/index.ts';
import { DEFAULT_RUN_LIMITS } from '../../src/validation/index.ts';
import { createNodeValidator, loadSchemaSet } from '../../src/validation/node.ts';
import { backupFolder } from '../../src/samples/index.ts';
import { conformanceFile, fixture, linesOf } from './files.ts';

const minimal = (name: string): XmlFile => ({
  fileName: name,
  contents: '<domaincheckpoint>\n  <name>x</name>\n</domaincheckpoint>\n',
});

/** A checkpoint with many disks: enough to need more wasm memory than a small limit allows. */
function manyDisks(count: number): XmlFile {
  const disks = Array.from(
    { length: count },
    (_, i) => `    <disk name="vd${i}" checkpoint="bitmap" bitmap="b${i}"/>\n`,
  ).join('');
  return {
    fileName: 'many-disks.xml',
    contents: `<domaincheckpoint>\n  <name>big</name>\n  <disks>\n${disks}  </disks>\n</domaincheckpoint>\n`,
  };
}

describe('the Node validator', () => {
  let schemas: SchemaSet;
  let validator: Validator;
  beforeAll(async () => {
    schemas = await loadSchemaSet();
    validator = await createNodeValidator(schemas);
  });

  it('says a file that is not well-formed is invalid, at its line', async () => {
    const verdicts = await validator.validate([
      fixture('malformed-entity.xml'),
      fixture('truncated.xml'),
      fixture('empty.xml'),
    ]);
    expect(verdicts.map((v) => [v.fileName, v.valid, linesOf(v)])).toEqual([
      ['fixtures/malformed-entity.xml', false, [3]],
      ['fixtures/truncated.xml', false, [5]],
      ['fixtures/empty.xml', false, [1]],
    ]);
    expect(verdicts[0]?.problems).toEqual([
      {
        code: 'xml-malformed',
        severity: 'error',
        message: 'parser error : xmlParseEntityRef: no name',
        file: 'fixtures/malformed-entity.xml',
        line: 3,
      },
    ]);
  });

  it('maps each message of a mixed batch to its own file', async () => {
    const verdicts = await validator.validate([
      fixture('minimal.xml'),
      fixture('malformed-entity.xml'),
      // Its first message names no file: it must not go to the malformed file before it.
      conformanceFile('libvirt-tests/in/disk-invalid.xml'),
      conformanceFile('libvirt-tests/out/internal-active-invalid.xml'),
      fixture('wrong-root.xml'),
      fixture('truncated.xml'),
      fixture('minimal.xml'),
    ]);
    expect(verdicts.map((v) => [v.fileName, v.valid, linesOf(v)])).toEqual([
      ['fixtures/minimal.xml', true, []],
      ['fixtures/malformed-entity.xml', false, [3]],
      ['libvirt-tests/in/disk-invalid.xml', false, [3]],
      ['libvirt-tests/out/internal-active-invalid.xml', false, [52]],
      ['fixtures/wrong-root.xml', false, [3]],
      ['fixtures/truncated.xml', false, [5]],
      ['fixtures/minimal.xml', true, []],
    ]);
    expect(verdicts[2]?.problems.map((p) => [p.line, p.message])).toEqual([
      [undefined, 'Relax-NG validity error : Extra element disks in interleave'],
      [
        3,
        'element disks: Relax-NG validity error : Element domaincheckpoint failed to validate content',
      ],
    ]);
    expect(verdicts[3]?.problems).toEqual([
      {
        code: 'schema',
        severity: 'error',
        message:
          'element active: Relax-NG validity error : Element domaincheckpoint has extra content: active',
        file: 'libvirt-tests/out/internal-active-invalid.xml',
        line: 52,
      },
    ]);
    for (const v of verdicts) for (const p of v.problems) expect(p.file).toBe(v.fileName);
  });

  it('keeps a parser warning a warning', async () => {
    const [verdict] = await validator.validate([fixture('namespace-warning.xml')]);
    expect(verdict?.valid).toBe(false);
    expect(verdict?.problems.map((p) => [p.code, p.severity, p.line])).toEqual([
      ['xml-warning', 'warning', 1],
      ['schema', 'error', 1],
    ]);
  });

  it('takes any file name, even one that looks like an option, and repeated names', async () => {
    const names = ['--relaxng', '-', 'in/0.xml', 'a b:3: c.xml', 'in/0.xml'];
    const verdicts = await validator.validate(names.map(minimal));
    expect(verdicts.map((v) => [v.fileName, v.valid])).toEqual(names.map((n) => [n, true]));
  });

  it('runs concurrent validations apart', async () => {
    const a = [fixture('malformed-entity.xml'), fixture('minimal.xml')];
    const b = [conformanceFile('libvirt-tests/in/disk-invalid.xml'), fixture('truncated.xml')];
    const together = await Promise.all([validator.validate(a), validator.validate(b)]);
    expect(together).toEqual([await validator.validate(a), await validator.validate(b)]);
  });

  it('gives no verdicts for no files', async () => {
    expect(await validator.validate([])).toEqual([]);
  });

  it('compiles xmllint.wasm once per validator, not once per run', async () => {
    const compile = vi.spyOn(WebAssembly, 'compile');
    try {
      const reused = await createNodeValidator(schemas);
      expect(compile).toHaveBeenCalledTimes(1);
      await reused.validate([fixture('minimal.xml')]);
      await reused.validate([fixture('malformed-entity.xml'), fixture('minimal.xml')]);
      expect(compile).toHaveBeenCalledTimes(1);
    } finally {
      compile.mockRestore();
    }
  });

  it('gives the same verdicts when a batch is split into several runs', async () => {
    const files = [
      fixture('minimal.xml'),
      fixture('malformed-entity.xml'),
      conformanceFile('libvirt-tests/in/disk-invalid.xml'),
      fixture('truncated.xml'),
      fixture('wrong-root.xml'),
    ];
    const split = await createNodeValidator(schemas, { maxFilesPerRun: 2 });
    expect(await split.validate(files)).toEqual(await validator.validate(files));
    const bySize = await createNodeValidator(schemas, { maxCharsPerRun: 10 });
    expect(await bySize.validate(files)).toEqual(await validator.validate(files));
  });

  it('gives a full run (xmllint’s arguments on its stack) the verdicts of each file alone, at libxml2’s deepest nesting too', async () => {
    const checkpoint = backupFolder(1)[0]!.contents;
    // 250 levels in the domain's metadata: libxml2 reads at most 256.
    const nested = `<x:r xmlns:x="urn:x">${'<x:a>'.repeat(250)}${'</x:a>'.repeat(250)}</x:r>`;
    const deep = {
      fileName: 'deep.xml',
      contents: checkpoint.replace('<metadata>', `<metadata>${nested}`),
    };
    const wrong = {
      fileName: 'wrong.xml',
      contents: deep.contents.replace('</name>', '</name><bogus/>'),
    };
    expect(deep.contents).toContain(nested);
    const full = DEFAULT_RUN_LIMITS.maxFilesPerRun;
    const filler = Array.from({ length: full - 2 }, (_, i) => ({
      fileName: `f${i}.xml`,
      contents: checkpoint,
    }));
    const verdicts = await validator.validate([...filler, deep, wrong]);
    expect(verdicts.filter((v) => v.valid)).toHaveLength(full - 1);
    expect(verdicts.at(-2)).toEqual((await validator.validate([deep]))[0]);
    expect(verdicts.at(-1)).toEqual((await validator.validate([wrong]))[0]);
    expect(verdicts.at(-1)?.problems[0]?.code).toBe('schema');
  });

  it('says so when a run runs out of memory, and validates the other files of the run', async () => {
    const small = await createNodeValidator(schemas, { maxMemoryMiB: 17 });
    const verdicts = await small.validate([
      minimal('before.xml'),
      manyDisks(40_000),
      minimal('after.xml'),
    ]);
    expect(verdicts.map((v) => [v.fileName, v.valid])).toEqual([
      ['before.xml', true],
      ['many-disks.xml', false],
      ['after.xml', true],
    ]);
    expect(verdicts[1]?.problems).toEqual([
      expect.objectContaining({
        code: 'validation-out-of-memory',
        severity: 'error',
        file: 'many-disks.xml',
        message: expect.stringContaining('ran out of memory (limit 17 MiB)'),
      }),
    ]);
  });

  it('gives every file a problem when the schema set does not compile', async () => {
    const broken: SchemaSet = {
      version: 'broken',
      root: 'domaincheckpoint.rng',
      files: [
        {
          fileName: 'domaincheckpoint.rng',
          contents:
            '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="nowhere"/></start></grammar>',
        },
      ],
    };
    const verdicts = await (
      await createNodeValidator(broken)
    ).validate([minimal('a.xml'), minimal('b.xml')]);
    expect(verdicts).toEqual(
      ['a.xml', 'b.xml'].map((fileName) => ({
        fileName,
        valid: false,
        problems: [
          expect.objectContaining({
            code: 'validation-failed',
            file: fileName,
            message: expect.stringContaining('The schema set does not compile'),
          }),
        ],
      })),
    );
  });

  it('leaves the process exit code alone (emscripten would set it to xmllint’s status)', async () => {
    await validator.validate([conformanceFile('libvirt-tests/out/internal-active-invalid.xml')]);
    expect(process.exitCode).toBeUndefined();
  });

  it('refuses to validate once closed', async () => {
    const closing = await createNodeValidator(schemas);
    closing.close();
    await expect(closing.validate([minimal('a.xml')])).rejects.toThrow(/closed/);
  });
});
