#!/usr/bin/env node
// Bundles the command line (src/cli and what it imports) into build/cli/checkpoint-editor.mjs with
// esbuild (tsx's own), so that it starts like a native tool instead of compiling TypeScript at every
// start. bin/checkpoint-editor.mjs runs the bundle while it is newer than every source file, and the
// sources through tsx otherwise. Run by `npm install` (postinstall), `npm run build` and `npm test`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'build/cli/checkpoint-editor.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Read at run time beside the project, as the sources do: the wasm and its loader.
  external: ['xmllint-wasm'],
  sourcemap: 'linked',
  logLevel: 'warning',
  // The bundle sits two folders down, as src/cli/main.ts does: paths relative to it hold.
  banner: { js: '// Built by scripts/build-cli.mjs from src/: do not edit.' },
});
