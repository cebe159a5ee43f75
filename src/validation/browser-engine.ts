// Browser side only (the worker): Vite resolves both imports, see vite-plugin-xmllint.ts.
import Module from 'xmllint-wasm/xmllint-browser.mjs';
import wasmUrl from 'xmllint-wasm/xmllint.wasm?url';
import type { XmllintEngine } from './xmllint-run.ts';

/** xmllint-wasm's factory and its wasm, fetched and compiled once per worker. */
export async function loadBrowserEngine(): Promise<XmllintEngine> {
  let wasm: WebAssembly.Module;
  try {
    wasm = await WebAssembly.compileStreaming(fetch(wasmUrl));
  } catch {
    // compileStreaming needs the server to say application/wasm; not every static server does.
    const response = await fetch(wasmUrl);
    if (!response.ok) throw new Error(`${wasmUrl}: HTTP ${response.status}`);
    wasm = await WebAssembly.compile(await response.arrayBuffer());
  }
  return { factory: Module, wasm };
}
