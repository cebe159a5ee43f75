#!/usr/bin/env node
// The command line runs the TypeScript sources through tsx, so it works right after `npm install`.
import { register } from 'tsx/esm/api';

/** Whatever escapes main() — an error thrown from a callback, a stream's error — is one line, exit 2. */
function die(e) {
  const message = (e instanceof Error ? e.message : String(e)).split('\n', 1)[0];
  process.stderr.write(`error: ${message || 'unexpected failure'}\n`);
  process.exit(2);
}
process.on('uncaughtException', die);
process.on('unhandledRejection', die);

// A reader that stops early (`| head`) is no error of ours.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  die(e);
});

try {
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  die(e);
}
