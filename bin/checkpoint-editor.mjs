#!/usr/bin/env node
// The command line: the bundle scripts/build-cli.mjs makes (a native tool's start), or, where there
// is none or a source file is newer, the TypeScript sources through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// xmllint.wasm runs once per command: compiled by V8's baseline compiler only, it starts at once
// (optimising it too would take longer than the run itself, and a second core).
setFlagsFromString('--liftoff-only');

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}build/cli/checkpoint-editor.mjs`;

/** The newest modification time of the files under `dir`. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Whatever escapes main() — an error thrown from a callback, a stream's error — is one line, exit 2. */
function die(e) {
  const message = (e instanceof Error ? e.message : String(e)).split('\n', 1)[0];
  process.stderr.write(`error: ${message || 'unexpected failure'}\n`);
  process.exit(2);
}
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

// A reader that stops early (`| head`) is no error of ours: the rest of the output is dropped
// (src/cli/output.ts) and the command ends with the status it would have had, not 0.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') die(e);
});

try {
  const built = existsSync(bundle) && statSync(bundle).mtimeMs >= newest(`${root}src`);
  let main;
  if (built) ({ main } = await import(bundle));
  else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('../src/cli/main.ts'));
  }
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  die(e);
}
