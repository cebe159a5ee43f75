// Builds the app and the bench page with the project's own vite.config.ts, into bench/out.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const PROJECT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(PROJECT, 'bench', 'out');
const CONFIG = join(PROJECT, 'vite.config.ts');

/** `vite build` of the app as operators get it (what dist/ holds), into bench/out/app. */
export async function buildApp(): Promise<string> {
  const outDir = join(OUT, 'app');
  await build({
    configFile: CONFIG,
    root: PROJECT,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  return outDir;
}

/**
 * bench/page with the same config (plugins, worker options, public/ with the schemas), so that
 * its worker is built exactly as the app's is.
 */
export async function buildBenchPage(): Promise<string> {
  const outDir = join(OUT, 'page');
  await build({
    configFile: CONFIG,
    root: join(PROJECT, 'bench', 'page'),
    publicDir: join(PROJECT, 'public'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  return outDir;
}
