// Part 6: the JavaScript the built page loads before any lazy chunk, gzipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface InitialJs {
  /** Each file (relative to the build) with its gzip size in bytes. */
  files: { path: string; bytes: number; gzipBytes: number }[];
  gzipBytes: number;
}

/** src/href of index.html's module scripts and modulepreload links. */
function entryScripts(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.matchAll(/<(script|link)\b[^>]*>/g)) {
    const text = tag[0];
    const isModule = tag[1] === 'script' && /\btype=["']?module\b/.test(text);
    const isPreload = tag[1] === 'link' && /\brel=["']?modulepreload\b/.test(text);
    const url = /\b(?:src|href)=["']([^"']+)["']/.exec(text)?.[1];
    if ((isModule || isPreload) && url) found.push(url);
  }
  return found;
}

/** Static imports of a built chunk (`import … from "./x.js"`, `import "./x.js"`), not import(). */
function staticImports(code: string): string[] {
  const found: string[] = [];
  for (const m of code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g)) {
    if (m[1]) found.push(m[1]);
  }
  return found;
}

/**
 * Follows index.html's module script and modulepreload links, then the static imports of each
 * chunk (in case a preload link is missing), and gzips each file at level 9, as Vite reports.
 */
export function measureInitialJs(buildDir: string): InitialJs {
  const html = readFileSync(join(buildDir, 'index.html'), 'utf8');
  const seen = new Set<string>();
  const queue = entryScripts(html).map((url) => new URL(url, 'http://page/').pathname);
  const files: InitialJs['files'] = [];
  while (queue.length > 0) {
    const path = queue.shift() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    const bytes = readFileSync(join(buildDir, path));
    files.push({
      path: path.slice(1),
      bytes: bytes.length,
      gzipBytes: gzipSync(bytes, { level: 9 }).length,
    });
    for (const url of staticImports(bytes.toString('utf8'))) {
      queue.push(new URL(url, `http://page${path}`).pathname);
    }
  }
  return { files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}
