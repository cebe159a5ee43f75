// vite-plugin-xmllint.ts appends `export default Module;` to this file of xmllint-wasm.
declare module 'xmllint-wasm/xmllint-browser.mjs' {
  /** The emscripten factory; see XmllintFactory in xmllint-run.ts for what it takes. */
  const Module: (moduleArg: object) => Promise<unknown>;
  export default Module;
}
