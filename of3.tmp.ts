import { readFileSync, readdirSync } from 'node:fs';
import { openFile, createDomainReuse } from './src/core/index.ts';
const dir = 'bench/out/folder-10000';
const names = readdirSync(dir).filter((n) => n.endsWith('.xml'));
const files = names.map((n) => ({ fileName: n, bytes: new Uint8Array(readFileSync(`${dir}/${n}`)) }));
const rules = { profile: 'allow-no-domain' as const };
const reuse = createDomainReuse();
for (let pass = 0; pass < 3; pass++) {
  let t = performance.now();
  files.map((f) => openFile(f, rules, reuse));
  const r = (performance.now() - t) / files.length;
  t = performance.now();
  files.slice(0, 2000).map((f) => openFile(f, rules));
  console.log('reuse', r.toFixed(3), 'plain', ((performance.now() - t) / 2000).toFixed(3));
}
