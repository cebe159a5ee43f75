// `node --import tsx bench/rewrite.ts [bench/out/raw.json]`: writes bench/results.md and .json again
// from the figures a full `npm run bench` kept in bench/out/raw.json, with the report's text as it
// is now (what stands in the way of a goal, how a figure is taken); no figure is measured again.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { OUT, PROJECT } from './build.ts';
import type { BenchResults } from './report.ts';
import { resultsJson, resultsMarkdown } from './report.ts';

const raw = process.argv[2] ?? join(OUT, 'raw.json');
const results = JSON.parse(readFileSync(raw, 'utf8')) as BenchResults;
const base = join(PROJECT, 'bench', 'results');
writeFileSync(`${base}.json`, `${JSON.stringify(resultsJson(results), null, 2)}\n`);
const mdPath = `${base}.md`;
const prettierOptions = (await resolveConfig(mdPath)) ?? {};
writeFileSync(
  mdPath,
  await format(resultsMarkdown(results), { ...prettierOptions, filepath: mdPath }),
);
console.log(`wrote bench/results.md and .json from ${raw}`);
