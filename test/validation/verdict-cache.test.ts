// Verdicts kept by text and schema set: a text validated once is not validated again under the same
// set, whatever file holds it; another set validates again; a run that gave no verdict is not kept.
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  FileVerdict,
  KeptVerdict,
  SchemaSet,
  Validator,
  VerdictStore,
  XmlFile,
} from '../../src/validation/index.ts';
import { withVerdictCache } from '../../src/validation/index.ts';
import { createNodeValidator, loadSchemaSet } from '../../src/validation/node.ts';
import { conformanceFile, fixture } from './files.ts';

function memoryStore(): VerdictStore & { entries: Map<string, KeptVerdict> } {
  const entries = new Map<string, KeptVerdict>();
  return {
    entries,
    getMany: async (keys) => keys.map((k) => entries.get(k)),
    setMany: async (kept) => {
      for (const [k, v] of kept) entries.set(k, v);
    },
  };
}

/** The inner validator, counting the files it is asked about. */
function counting(inner: Validator, answer?: (files: XmlFile[]) => FileVerdict[]) {
  const asked: string[] = [];
  const validator: Validator = {
    async validate(files) {
      asked.push(...files.map((f) => f.fileName));
      return answer ? answer(files) : inner.validate(files);
    },
    close: () => inner.close(),
  };
  return { validator, asked };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('verdicts kept between visits', () => {
  let schemas: SchemaSet;
  let plain: Validator;
  const files = [
    fixture('minimal.xml'),
    fixture('malformed-entity.xml'),
    conformanceFile('libvirt-tests/in/disk-invalid.xml'),
  ];
  const renamed = files.map((f) => ({ fileName: `again/${f.fileName}`, contents: f.contents }));
  beforeAll(async () => {
    schemas = await loadSchemaSet();
    plain = await createNodeValidator(schemas);
  });

  it('validates a text once: later, under another name, its verdict is the kept one', async () => {
    const store = memoryStore();
    const first = counting(plain);
    expect(await withVerdictCache(first.validator, schemas, store).validate(files)).toEqual(
      await plain.validate(files),
    );
    await settle();
    expect(store.entries.size).toBe(3);
    // A new visit: a new validator over the same store.
    const second = counting(plain);
    const cached = withVerdictCache(second.validator, schemas, store);
    expect(await cached.validate(renamed)).toEqual(await plain.validate(renamed));
    expect(second.asked).toEqual([]);
    const edited = { ...renamed[0]!, contents: `${renamed[0]!.contents}<!-- edited -->\n` };
    await cached.validate([edited, ...renamed.slice(1)]);
    expect(second.asked).toEqual([edited.fileName]);
  });

  it('validates again under another schema set', async () => {
    const store = memoryStore();
    await withVerdictCache(plain, schemas, store).validate(files);
    await settle();
    const other = counting(plain);
    const otherSet = { ...schemas, version: `${schemas.version}-other` };
    await withVerdictCache(other.validator, otherSet, store).validate(files);
    expect(other.asked).toEqual(files.map((f) => f.fileName));
  });

  it('keeps no verdict of a run that was stopped, and validates where the store fails', async () => {
    const store = memoryStore();
    const stopped = counting(plain, (fs) =>
      fs.map((f) => ({
        fileName: f.fileName,
        valid: false,
        problems: [
          { code: 'validation-timeout', severity: 'error', message: 'stopped', file: f.fileName },
        ],
      })),
    );
    await withVerdictCache(stopped.validator, schemas, store).validate(files);
    await settle();
    expect(store.entries.size).toBe(0);
    const broken: VerdictStore = {
      getMany: () => {
        throw new Error('IndexedDB is not available');
      },
      setMany: () => Promise.reject(new Error('quota')),
    };
    expect(await withVerdictCache(plain, schemas, broken).validate(files)).toEqual(
      await plain.validate(files),
    );
  });

  it('never hashes or keeps a large text: it is validated each time, the others as before', async () => {
    const store = memoryStore();
    const small = files[0] as XmlFile;
    const padding = ' '.repeat(200 * 1024);
    const large = { fileName: 'large.xml', contents: small.contents.replace('</', `${padding}</`) };
    const both = [small, large];
    const first = counting(plain);
    const verdicts = await withVerdictCache(first.validator, schemas, store).validate(both);
    expect(verdicts.map((v) => v.fileName)).toEqual([small.fileName, 'large.xml']);
    await settle();
    expect(store.entries.size).toBe(1);
    const again = counting(plain);
    await withVerdictCache(again.validator, schemas, store).validate(both);
    expect(again.asked).toEqual(['large.xml']);
  });
});
