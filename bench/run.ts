// `npm run bench`: generates the inputs, builds the app and the bench page, measures the
// figures of issues 5 and 14 and writes bench/results.md and bench/results.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import type { AppBench } from './app.ts';
import { benchApp, benchBundle } from './app.ts';
import { OUT, PROJECT, buildApp, buildBenchPage } from './build.ts';
import type { CliBench } from './cli.ts';
import { benchCli } from './cli.ts';
import type { CoreBench } from './core.ts';
import { benchCore } from './core.ts';
import { backupFolder } from '../src/samples/index.ts';
import { packBundle, writeBigFile, writeCheckpoints } from './generate.ts';
import type { InitialJs } from './initial-js.ts';
import { measureInitialJs } from './initial-js.ts';
import type { AppProfile } from './profile.ts';
import { profileFolderOpen } from './profile.ts';
import { describeMachine, loadNow } from './machine.ts';
import type { KeystrokeBench } from './keystroke.ts';
import { benchKeystrokes } from './keystroke.ts';
import type { NativeFolder } from './native-folder.ts';
import { validateFolderNatively } from './native-folder.ts';
import type { BenchResults } from './report.ts';
import { resultsJson, resultsMarkdown } from './report.ts';
import type { ValidationBenchResult } from './validate.ts';
import { benchValidation } from './validate.ts';

const PARTS = ['js', 'core', 'validate', 'app', 'cli', 'keys'] as const;
/** Parts a try may run alone, already inside another part. */
const ALONE = ['bundle'] as const;
type Part = (typeof PARTS)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    files: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '1000' },
    quick: { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
    profile: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`npm run bench [-- OPTIONS]
  --only=js,core,validate,app,cli,keys  run these parts only (results go to bench/out/results-partial.*)
  --only=bundle                 part 14 alone (inside app): the bundle's open, CPU by thread printed
  --runs=N                      with --only=bundle: opens, each in a new browser context (1)
  --files=N                     checkpoints in the folder of parts 3 and 4 (10000)
  --batch=N                     files of parts 2 and 5 (1000)
  --quick                       fewer repetitions, for a try
  --profile                     also profile the folder open (part 3) and add it to results.md`);
  process.exit(0);
}

const only = values.only?.split(',').map((s) => s.trim()) ?? [...PARTS];
for (const part of only) {
  if (!PARTS.includes(part as Part) && !ALONE.includes(part as (typeof ALONE)[number]))
    throw new Error(`--only: ${part} is not one of ${[...PARTS, ...ALONE]}`);
}
const runs = (part: Part | (typeof ALONE)[number]) => only.includes(part);
const folderFiles = Number(values.files);
const batchFiles = Number(values.batch);
const repeat = values.quick
  ? { singleRuns: 10, batchRuns: 1, corePasses: 2, arrows: 30 }
  : { singleRuns: 40, batchRuns: 5, corePasses: 5, arrows: 60 };

function step(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

const ROOT_SCHEMA = join(PROJECT, 'public', 'schemas', '9.0.0', 'domaincheckpoint.rng');
const machine = describeMachine();
const started = performance.now();

step(`generating ${folderFiles} checkpoints into bench/out`);
const checkpoints = backupFolder(Math.max(folderFiles, batchFiles));
const folder = join(OUT, `folder-${folderFiles}`);
if (!(only.length === 1 && runs('bundle')))
  writeCheckpoints(folder, checkpoints.slice(0, folderFiles));
const batchPaths = writeCheckpoints(
  join(OUT, `batch-${batchFiles}`),
  checkpoints.slice(0, batchFiles),
);
// A checkpoint in the middle of a chain: a parent, the full domain.
const single = batchPaths[Math.floor(batchPaths.length / 2)] as string;
const emptyFile = join(OUT, 'empty.xml');
writeFileSync(emptyFile, '<domaincheckpoint/>\n');

let initialJs: InitialJs | undefined;
let core: CoreBench | undefined;
let validation: ValidationBenchResult | undefined;
let app: AppBench | undefined;
let profile: AppProfile | undefined;
let nativeFolder: NativeFolder | undefined;
let cli: CliBench | undefined;
let keystroke: KeystrokeBench | undefined;

if (runs('bundle') && !runs('app')) {
  step('vite build of the app (into bench/out/app)');
  const appDir = await buildApp();
  step(`part 14: the same ${folderFiles} checkpoints as one .tar.gz, ${values.runs} time(s)`);
  const bundle = packBundle(checkpoints.slice(0, folderFiles), join(OUT, `bundle-${folderFiles}`));
  const loadStart = loadNow();
  app = await benchBundle(
    appDir,
    { bundle, files: folderFiles, firstName: 'virtnbdbackup.0' },
    { timeoutMs: 240_000, runs: Number(values.runs) },
  );
  for (const [i, open] of (app.bundleRuns ?? []).entries()) {
    step(
      `bundle run ${i + 1}: validated ${Math.round(open.validatedMs)} ms, tree ${Math.round(open.treeShownMs)} ms, ${open.cpuS?.toFixed(2)} CPU-s, ${open.savedCpuS?.toFixed(2)} once saved (load ${loadStart.toFixed(1)} → ${loadNow().toFixed(1)})`,
    );
    for (const [label, s] of open.cpuThreads ?? []) step(`  ${s.toFixed(2)} s  ${label}`);
  }
  for (const why of app.pending) step(`pending: ${why}`);
}
if (runs('js') || runs('app') || runs('keys')) {
  step('vite build of the app (into bench/out/app)');
  const appDir = await buildApp();
  if (runs('js')) initialJs = measureInitialJs(appDir);
  if (runs('app')) {
    step(`parts 3, 4: opening a folder of ${folderFiles} in the app, then the tree's frames`);
    step(`packing the same ${folderFiles} checkpoints as collect.sh does, and a 15 MB file`);
    app = await benchApp(
      appDir,
      {
        folder,
        files: folderFiles,
        firstName: 'virtnbdbackup.0',
        bundle: packBundle(checkpoints.slice(0, folderFiles), join(OUT, `bundle-${folderFiles}`)),
        bigFile: writeBigFile(join(OUT, 'big')),
      },
      { timeoutMs: 240_000, arrows: repeat.arrows, frameRuns: values.quick ? 1 : 3 },
    );
    step(`part 7: native xmllint over the same ${folderFiles} files, 1,000 per process`);
    nativeFolder = validateFolderNatively(folder, ROOT_SCHEMA);
    if (values.profile) {
      step('profiling the folder open (unminified build, into bench/out/app-unminified)');
      try {
        profile = await profileFolderOpen(
          folder,
          folderFiles,
          'virtnbdbackup.0',
          240_000,
          repeat.arrows,
        );
      } catch (e) {
        app.pending.push(`profile: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  if (runs('keys')) {
    step(
      `issue 24.1: typing in the form against a plain textarea, ${batchFiles} and ${folderFiles} files`,
    );
    keystroke = await benchKeystrokes(appDir, [3, batchFiles, folderFiles], { timeoutMs: 240_000 });
  }
}
if (runs('core')) {
  step(`part 5: core on ${batchFiles} files against xmllint --format`);
  core = benchCore(batchPaths, repeat.corePasses);
}
if (runs('validate')) {
  step('vite build of the bench page (into bench/out/page)');
  const pageDir = await buildBenchPage();
  step(`parts 1, 2: validation in the page against native xmllint (${batchFiles} files)`);
  validation = await benchValidation(pageDir, ROOT_SCHEMA, single, batchPaths, emptyFile, {
    singleRuns: repeat.singleRuns,
    batchRuns: repeat.batchRuns,
  });
}

if (runs('cli')) {
  step('part 9: the CLI validating one file, against node -e 0');
  cli = benchCli(single, values.quick ? 5 : 15);
}

machine.loadEnd = loadNow();
const results: BenchResults = {
  machine,
  folderFiles,
  batchFiles,
  single: single.slice(PROJECT.length + 1),
  quick: values.quick ?? false,
  repeat,
  durationS: (performance.now() - started) / 1000,
  ...(initialJs ? { initialJs } : {}),
  ...(core ? { core } : {}),
  ...(validation ? { validation } : {}),
  ...(app ? { app } : {}),
  ...(nativeFolder ? { nativeFolder } : {}),
  ...(cli ? { cli } : {}),
  ...(profile ? { profile } : {}),
  ...(keystroke ? { keystroke } : {}),
};
// Only a full run at the sizes makes bench/results.*; anything else is a try.
const partial =
  only.length < PARTS.length || values.quick || folderFiles !== 10000 || batchFiles !== 1000;
const base = partial ? join(OUT, 'results-partial') : join(PROJECT, 'bench', 'results');
// Every figure as measured, for a closer look than the report gives.
writeFileSync(
  `${join(OUT, partial ? 'raw-partial' : 'raw')}.json`,
  JSON.stringify(results, null, 2),
);
const json = resultsJson(results);
writeFileSync(`${base}.json`, `${JSON.stringify(json, null, 2)}\n`);
// Formatted as the project's Prettier would, so that `prettier --check` passes on the results.
const mdPath = `${base}.md`;
const prettierOptions = (await resolveConfig(mdPath)) ?? {};
writeFileSync(
  mdPath,
  await format(resultsMarkdown(results), { ...prettierOptions, filepath: mdPath }),
);
step(`wrote ${base.slice(PROJECT.length + 1)}.md and .json in ${Math.round(results.durationS)} s`);
console.log(JSON.stringify(json, null, 2));
