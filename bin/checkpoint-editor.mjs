#!/usr/bin/env node
// The command line runs the TypeScript sources through tsx, so it works right after `npm install`.
import { register } from 'tsx/esm/api';

// A reader that stops early (`| head`) is no error of ours.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
