// The validation layer's Node side (CLI, tests): the browser bundle never imports this file.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitIntoBatches } from './batches.ts';
import { loadNodeEngine } from './node-engine.ts';
import type { SchemaSet } from './schema-set.ts';
import {
  CUSTOM_VERSION,
  ROOT_SCHEMA,
  checkSchemaSet,
  isSchemaManifest,
  isSchemaPointer,
  schemaClosure,
} from './schema-set.ts';
import type { FileVerdict, RunLimits, Validator, XmlFile } from './validator.ts';
import { DEFAULT_RUN_LIMITS } from './validator.ts';
import { encodeSchemas, runXmllint } from './xmllint-run.ts';
import { append } from '../core/index.ts';

/** public/schemas of this project, where `npm install` puts libvirt's schema set. */
const INSTALLED_SCHEMAS_DIR = fileURLToPath(new URL('../../public/schemas/', import.meta.url));

/**
 * Reads a schema set from `dir`: the installed sets (a folder with current.json), one installed set
 * (a folder with manifest.json), or any folder holding domaincheckpoint.rng and what it includes
 * (such as /usr/share/libvirt/schemas).
 */
export async function loadSchemaSet(dir: string = INSTALLED_SCHEMAS_DIR): Promise<SchemaSet> {
  let folder = resolve(dir);
  if (existsSync(join(folder, 'current.json'))) {
    const pointer = await readJson(join(folder, 'current.json'));
    if (!isSchemaPointer(pointer)) {
      throw new Error(`${join(folder, 'current.json')} is not {version, path}`);
    }
    folder = join(folder, pointer.path);
  }
  const read = (fileName: string) => readText(join(folder, fileName));
  if (existsSync(join(folder, 'manifest.json'))) {
    const manifest = await readJson(join(folder, 'manifest.json'));
    if (!isSchemaManifest(manifest)) {
      throw new Error(`${join(folder, 'manifest.json')} is not a schema manifest`);
    }
    const files = await Promise.all(
      manifest.files.map(async (fileName) => ({ fileName, contents: await read(fileName) })),
    );
    return { version: manifest.version, root: manifest.root, files, source: manifest.source };
  }
  if (!existsSync(join(folder, ROOT_SCHEMA))) {
    throw new Error(
      `${folder} holds no ${ROOT_SCHEMA}: run \`npm install\` to install libvirt's schemas, or name a folder that holds them`,
    );
  }
  return {
    version: CUSTOM_VERSION,
    root: ROOT_SCHEMA,
    files: await schemaClosure(ROOT_SCHEMA, read),
    source: folder,
  };
}

/**
 * A validator that runs xmllint on this thread. xmllint.wasm is compiled once, here; each
 * validate() call is one run per batch of files. Runs cannot be timed out on the thread they block.
 */
export async function createNodeValidator(
  schemas: SchemaSet,
  options: Partial<RunLimits> = {},
): Promise<Validator> {
  checkSchemaSet(schemas);
  const limits: RunLimits = { ...DEFAULT_RUN_LIMITS, ...options };
  const engine = await loadNodeEngine();
  const encoded = encodeSchemas(schemas);
  let closed = false;
  return {
    async validate(files: XmlFile[]): Promise<FileVerdict[]> {
      if (closed) throw new Error('the validator is closed');
      const verdicts: FileVerdict[] = [];
      for (const batch of splitIntoBatches(files, limits)) {
        append(verdicts, await runXmllint(engine, schemas, batch, limits.maxMemoryMiB, encoded));
      }
      return verdicts;
    },
    close() {
      closed = true;
    },
  };
}

/** A schema file's text; a failure names the file, as Node's read errors do not. */
async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${path}: cannot read: ${(e as Error).message}`, { cause: e });
  }
}

async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${path}: not JSON: ${(e as Error).message}`, { cause: e });
  }
}
