import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import type { XmllintEngine, XmllintFactory } from './xmllint-run.ts';

const require = createRequire(import.meta.url);

/**
 * xmllint-wasm's factory and its wasm compiled, for runs on this thread: each Node validator
 * loads its own (once), so that nothing is kept at module level.
 */
export async function loadNodeEngine(): Promise<XmllintEngine> {
  const path = require.resolve('xmllint-wasm/xmllint-node.js');
  const factory = await loadFactory(path);
  const wasm = await WebAssembly.compile(await readFile(join(dirname(path), 'xmllint.wasm')));
  return { factory, wasm };
}

/**
 * Evaluates xmllint-node.js as CommonJS with two stand-ins: its initWorker would listen on
 * worker_threads' parentPort, which is null on the main thread, and emscripten's exit writes
 * process.exitCode, which would end the CLI with xmllint's status.
 */
async function loadFactory(path: string): Promise<XmllintFactory> {
  const source = await readFile(path, 'utf8');
  // The source starts on the wrapper's first line, so stack traces keep the file's line numbers.
  const wrapper = vm.runInThisContext(
    `(function (exports, require, module, __filename, __dirname, process) {${source}\n})`,
    { filename: path },
  ) as (...args: unknown[]) => void;
  const module = { exports: {} as unknown };
  const port = { on() {}, postMessage() {} };
  const requireStandIn = (id: string): unknown =>
    id === 'worker_threads' ? { parentPort: port } : require(id);
  const processStandIn = { versions: process.versions, argv: [], env: {}, exitCode: undefined };
  wrapper(module.exports, requireStandIn, module, path, dirname(path), processStandIn);
  if (typeof module.exports !== 'function') {
    throw new Error(`${path} does not export the xmllint factory`);
  }
  return module.exports as XmllintFactory;
}
