import type { Plugin } from 'vite';

// xmllint-wasm's emscripten build, as the package ships it.
const BROWSER_BUILD = /[\\/]node_modules[\\/]xmllint-wasm[\\/]xmllint-browser\.mjs(?:[?#].*)?$/;
// Its CommonJS export, dead in a module; left as is, the bundler warns that `module` is a global.
const COMMONJS_TEST = "typeof exports === 'object' && typeof module === 'object'";

/**
 * Lets src/validation's worker `import Module from 'xmllint-wasm/xmllint-browser.mjs'`: the file
 * defines the factory without exporting it, so this adds the export, and keeps Vite's dependency
 * optimizer away from the package so that the dev server serves the file through this transform.
 * xmllint.wasm itself is imported with `?url` and emitted as an asset by Vite.
 *
 * Workers are bundled apart in a build: list the plugin in `plugins` (dev server, page) and in
 * `worker.plugins` (built worker).
 */
export function xmllint(): Plugin {
  return {
    name: 'checkpoint-editor:xmllint',
    config: () => ({ optimizeDeps: { exclude: ['xmllint-wasm'] } }),
    transform: {
      filter: { id: BROWSER_BUILD },
      handler(code) {
        // Same-line edits and an appended line: earlier lines keep their place, no source map change.
        return {
          code: `${code.replace(COMMONJS_TEST, 'false')}\nexport default Module;\n`,
          map: null,
        };
      },
    },
  };
}
