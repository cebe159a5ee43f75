#!/usr/bin/env node
// `npm run bench`: runs bench/run.ts with tsx (TypeScript straight from the sources, as src/ is).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', join(here, 'run.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: join(here, '..') },
);
process.exit(result.status ?? 1);
