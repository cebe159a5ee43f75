import type { SchemaSet } from './schema-set.ts';
import type { FileVerdict, XmlFile } from './validator.ts';
import type { RunEnd } from './xmllint-output.ts';
import { readXmllintOutput, virtualName } from './xmllint-output.ts';

/** What xmllint-wasm's emscripten factory `Module` takes (see xmllint-browser.mjs / xmllint-node.js). */
export type XmllintModuleArg = {
  /** Written to `/` + fileName by the package's preRun before main runs. */
  inputFiles: { fileName: string; contents: string | Uint8Array }[];
  arguments: string[];
  wasmMemory: WebAssembly.Memory;
  instantiateWasm(
    imports: WebAssembly.Imports,
    receiveInstance: (instance: WebAssembly.Instance) => void,
  ): object;
  print(text: string): void;
  printErr(text: string): void;
  onExit(status: number): void;
  onAbort(reason: unknown): void;
};

/** The emscripten factory: one call is one xmllint process with its own memory and file system. */
export type XmllintFactory = (moduleArg: XmllintModuleArg) => Promise<unknown>;

/** The factory and xmllint.wasm compiled once; every run only instantiates. */
export interface XmllintEngine {
  factory: XmllintFactory;
  wasm: WebAssembly.Module;
}

const WASM_PAGE = 64 * 1024;
// The package would encode strings with emscripten's JS loop on every run; TextEncoder is native.
const encoder = new TextEncoder();

/** A schema set's files as xmllint reads them; encode once per set and keep (its holder does). */
export type EncodedSchemas = { fileName: string; contents: Uint8Array }[];

export function encodeSchemas(schemas: SchemaSet): EncodedSchemas {
  return schemas.files.map((f) => ({ fileName: f.fileName, contents: encoder.encode(f.contents) }));
}
/**
 * Files arrive decoded (core's decodeXml read their declared encoding) and go to xmllint as UTF-8,
 * so the declaration must say UTF-8 too, or libxml2 would decode them a second time.
 */
function asUtf8(contents: string): string {
  return contents.replace(/^(\s*<\?xml[^>]*?\sencoding\s*=\s*)(["'])[^"']*\2/, '$1$2UTF-8$2');
}

// emscripten's INITIAL_MEMORY for this build: the module asks for at least this much.
const INITIAL_PAGES = (16 * 1024 * 1024) / WASM_PAGE;

/**
 * Validates files against the schema set in one xmllint run: the schema is compiled once for the
 * whole batch. Never rejects: a run that fails gives verdicts that say why.
 */
export async function runXmllint(
  engine: XmllintEngine,
  schemas: SchemaSet,
  files: readonly XmlFile[],
  maxMemoryMiB: number,
  encoded: EncodedSchemas = encodeSchemas(schemas),
): Promise<FileVerdict[]> {
  const names = files.map((_, i) => virtualName(i));
  const lines: string[] = [];
  const end = await new Promise<RunEnd>((resolve) => {
    const abort = (reason: unknown) => resolve({ kind: 'aborted', reason: String(reason) });
    try {
      const maximum = Math.max(INITIAL_PAGES, Math.floor((maxMemoryMiB * 1024 * 1024) / WASM_PAGE));
      engine
        .factory({
          inputFiles: [
            ...encoded,
            ...files.map((f, i) => ({
              fileName: names[i] ?? '',
              contents: encoder.encode(asUtf8(f.contents)),
            })),
          ],
          arguments: ['--noout', '--relaxng', schemas.root, ...names],
          wasmMemory: new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum }),
          instantiateWasm(imports, receiveInstance) {
            WebAssembly.instantiate(engine.wasm, imports).then(receiveInstance, abort);
            return {};
          },
          print: (text) => lines.push(text),
          printErr: (text) => lines.push(text),
          onExit: (status) => resolve({ kind: 'exited', status }),
          onAbort: abort,
        })
        .catch(abort);
    } catch (e) {
      // new WebAssembly.Memory throws when the address space cannot be reserved.
      abort(e);
    }
  });
  return readXmllintOutput(files, lines, end, maxMemoryMiB);
}
