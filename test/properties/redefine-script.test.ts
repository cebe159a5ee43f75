// The redefine script runs on a host with the files' names and VM name in it: whatever they hold,
// the shell must pass them to virsh as they are and run nothing else.
import { spawnSync } from 'node:child_process';
import {
  realpathSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Checkpoint,
  Forest,
  ForestEntry,
  RedefinePlan,
  XmlElement,
} from '../../src/core/index.ts';
import {
  buildForest,
  compareNatural,
  planRedefine,
  redefineScript,
  shellAssignment,
  shellQuote,
} from '../../src/core/index.ts';

// Records each call: its argument count, then each argument, all NUL-terminated, and the folder it
// ran in; it answers the script's checks as virsh does for a shut-off VM with no checkpoints, and
// the checkpoint-create numbered $VIRSH_FAIL_AT fails, as virsh does when libvirt refuses one.
const FAKE_VIRSH = `#!/bin/sh
printf '%s\\0' "$#" "$@" >> "$VIRSH_LOG"
printf '%s\\n' "$PWD" >> "$VIRSH_LOG.pwd"
for a; do
  case $a in
    domstate) printf '%s\\n\\n' "\${VIRSH_STATE:-shut off}"; exit 0 ;;
    checkpoint-list) printf '%s\\n' "\${VIRSH_CHECKPOINTS:-}"; exit 0 ;;
    checkpoint-create) break ;;
  esac
done
echo >> "$VIRSH_LOG.creates"
n=$(wc -l < "$VIRSH_LOG.creates")
[ "$n" -ne "\${VIRSH_FAIL_AT:-0}" ]
`;

// bash reads quoting as dash does; run both where bash is installed.
const SHELLS = ['sh', ...(spawnSync('bash', ['-c', 'true']).status === 0 ? ['bash'] : [])];

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'redefine-script-'));
  mkdirSync(join(root, 'bin'));
  writeFileSync(join(root, 'bin', 'virsh'), FAKE_VIRSH);
  chmodSync(join(root, 'bin', 'virsh'), 0o755);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  /** The arguments of each virsh call that redefines, in order. */
  calls: string[][];
  /** The arguments of every virsh call, the checks' too. */
  all: string[][];
  /** The folder each call ran in. */
  folders: string[];
  /** What the run left in its (empty, also $HOME) working folder and beside the script. */
  left: string[];
  /** The script's own folder. */
  dir: string;
  status: number | null;
  stdout: string;
  stderr: string;
}

let runs = 0;
/**
 * Writes the script, checks its syntax with `sh -n`, and runs it from another (empty) folder with
 * the fake virsh first on PATH.
 */
function runScript(
  shell: string,
  script: string,
  env: Record<string, string> = {},
  args: string[] = ['--apply'],
  files: readonly string[] = [],
): Run {
  const dir = join(root, `run-${++runs}`);
  const work = join(root, `work-${runs}`);
  const logs = join(root, `logs-${runs}`);
  for (const d of [dir, work, logs]) mkdirSync(d, { recursive: true });
  const file = join(dir, 'redefine.sh');
  const log = join(logs, 'virsh.log');
  writeFileSync(file, script);
  // The checkpoint files the script checks are beside it.
  for (const f of files) writeFileSync(join(dir, f), '');
  writeFileSync(log, '');
  writeFileSync(`${log}.pwd`, '');
  const syntax = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
  expect(syntax.status, `${shell} -n: ${syntax.stderr}`).toBe(0);
  const result = spawnSync(shell, [file, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: `${join(root, 'bin')}:/usr/bin:/bin`, HOME: work, VIRSH_LOG: log, ...env },
  });
  const fields = readFileSync(log, 'utf8').split('\0');
  const all: string[][] = [];
  for (let i = 0; i < fields.length - 1;) {
    const count = Number(fields[i]);
    all.push(fields.slice(i + 1, i + 1 + count));
    i += 1 + count;
  }
  const calls = all.filter((c) => c.includes('checkpoint-create'));
  const folders = readFileSync(`${log}.pwd`, 'utf8')
    .split('\n')
    .slice(0, -1)
    .filter((_, i) => all[i]?.includes('checkpoint-create'));
  const left = [
    ...readdirSync(work),
    ...readdirSync(dir).filter((f) => f !== 'redefine.sh' && !files.includes(f)),
  ];
  const real = realpathSync(dir);
  for (const d of [dir, work, logs]) rmSync(d, { recursive: true, force: true });
  return {
    calls,
    all,
    folders,
    left,
    dir: real,
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

const position = { line: 1, column: 1 };
function domainElement(vm: string): XmlElement {
  const name: XmlElement = {
    kind: 'element',
    name: 'name',
    attributes: [],
    children: [{ kind: 'text', text: vm }],
    position,
  };
  return { kind: 'element', name: 'domain', attributes: [], children: [name], position };
}

function entry(file: string, name: string, parent: string | undefined, vm?: string): ForestEntry {
  const checkpoint: Checkpoint = { name, creationTime: '1700000000', disks: [], positions: {} };
  if (parent !== undefined) checkpoint.parent = parent;
  if (vm !== undefined) checkpoint.domain = domainElement(vm);
  return { file, checkpoint };
}

const expectedCall = (vm: string, file: string, validate: boolean) => [
  'checkpoint-create',
  '--domain',
  vm,
  '--xmlfile',
  file,
  '--redefine',
  ...(validate ? ['--redefine-validate'] : []),
];

// What names a hostile or careless file can carry: shell syntax, option look-alikes, characters
// that do not print or turn text around, and any Unicode at all.
const hostile = fc.constantFrom(
  '$(touch canary)',
  '`touch canary`',
  "'",
  '"',
  "'; touch canary; '",
  '"; touch canary; "',
  '#',
  '\n',
  '\ntouch canary #',
  '\ntouch ~/owned #',
  '-',
  '--',
  '--redefine',
  '-x',
  '\\',
  '\\n',
  '$HOME',
  '${DOMAIN}',
  '$file',
  '*',
  '?',
  '~',
  ' ',
  '\r',
  '\t',
  '\u0001',
  '\u001b[2K',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u2066',
  '\u2028',
  '\ufeff',
  'é',
  'e\u0301',
  '日本',
  '😀',
  '%s',
  '%',
  '%%',
  ';',
  '&',
  '|',
  '<',
  '>',
  '!',
  '.',
);
// A process argument cannot hold NUL, nor can a file name or an XML name.
const text = fc
  .array(fc.oneof(hostile, fc.string({ unit: 'binary', maxLength: 6 })), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => parts.join(''))
  .filter((s) => s !== '' && !s.includes('\0') && !/\p{Cs}/u.test(s));
// A file name, or a checkpoint name a file is named after: one name in the script's folder.
const fileName = text.filter((s) => !s.includes('/') && s !== '.' && s !== '..');

/**
 * What a plan must be: every file once, in the script or left out; in the script only checkpoints
 * libvirt takes, each after its parent, each root's subtree together; left out, each for a reason
 * that holds.
 */
function expectSoundPlan(forest: Forest, plan: RedefinePlan, refused: ReadonlySet<string>) {
  const keys = [
    ...plan.order,
    ...plan.leftOut.filter((l) => l.reason.kind !== 'duplicate').map((l) => l.key),
  ];
  expect([...keys].sort()).toEqual([...forest.entries.keys()].sort());
  expect(
    plan.leftOut
      .filter((l) => l.reason.kind === 'duplicate')
      .map((l) => l.file)
      .sort(),
  ).toEqual(forest.duplicates.map((d) => d.entry.file).sort());
  const at = new Map(plan.order.map((k, i) => [k, i]));
  for (const [i, key] of plan.order.entries()) {
    const parent = forest.entries.get(key)?.checkpoint.parent;
    if (parent !== undefined) expect(at.get(parent) ?? Infinity).toBeLessThan(i);
    expect(refused.has(key) || forest.inCycle.has(key)).toBe(false);
    // Everything below it in the script comes right after it.
    const below: string[] = [];
    const todo = [...(forest.children.get(key) ?? [])];
    while (todo.length) {
      const k = todo.pop() as string;
      if (at.has(k)) below.push(k);
      todo.push(...(forest.children.get(k) ?? []));
    }
    expect(below.map((k) => at.get(k) as number).sort((a, b) => a - b)).toEqual(
      below.map((_, j) => i + 1 + j),
    );
  }
  for (const l of plan.leftOut) {
    const cp = forest.entries.get(l.key)?.checkpoint;
    if (l.reason.kind === 'parent-missing')
      expect(forest.entries.has(l.reason.parent) && l.reason.parent !== l.key).toBe(false);
    if (l.reason.kind === 'cycle') expect(forest.inCycle.has(l.key)).toBe(true);
    if (l.reason.kind === 'refused') expect(refused.has(l.key)).toBe(true);
    if (l.reason.kind === 'below') {
      let k = cp?.parent;
      const ancestors: string[] = [];
      while (k !== undefined && !ancestors.includes(k)) {
        ancestors.push(k);
        k = forest.entries.get(k)?.checkpoint.parent;
      }
      expect(ancestors).toContain(l.reason.ancestor);
    }
  }
}

const comments = (script: string) => script.split('\n').filter((l) => /^\s*#/.test(l));

describe('redefineScript: data from files only ever reaches virsh as its arguments', () => {
  it('a VM name that breaks out of a comment runs nothing', () => {
    const vm = 'vm1\ntouch ~/owned #';
    const forest = buildForest([entry('a.xml', 'a', undefined, vm)]);
    const script = redefineScript(forest);
    for (const shell of SHELLS) {
      const run = runScript(shell, script, {}, undefined, ['a.xml']);
      expect(run.left, `${shell}: ~/owned`).toEqual([]);
      expect(run.calls, shell).toEqual([expectedCall(vm, 'a.xml', false)]);
      expect(run.status, run.stderr).toBe(0);
    }
    expect(comments(script)).not.toContainEqual(expect.stringContaining('vm1'));
  });

  it('a name that looks like an option is still the VM or the file', () => {
    const forest = buildForest([entry('--quiesce', 'a', undefined, '--redefine')]);
    const run = runScript(
      'sh',
      redefineScript(forest, { validate: true }),
      { VIRSH_STATE: 'running' },
      undefined,
      ['--quiesce'],
    );
    expect(run.calls).toEqual([expectedCall('--redefine', '--quiesce', true)]);
  });

  it('any names, any chain: virsh gets exactly what libvirt will take, parents first, nothing else runs', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fileName, { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(fileName, { minLength: 6, maxLength: 6 }),
        fc.array(fc.record({ name: fc.nat(), parent: fc.nat(), refused: fc.nat(9) }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.option(text, { nil: undefined }),
        fc.option(text, { nil: undefined }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(...SHELLS),
        fc.nat(),
        (names, files, picks, vm, uri, validate, fileFromName, shell, done) => {
          // Names may repeat (a duplicate), parents may be missing, the checkpoint itself or go
          // round in a cycle, and some files libvirt refuses.
          const gone = `${names.join('/')}/gone`;
          const nameAt = (i: number) => names[i % names.length] as string;
          const parentAt = (n: number) =>
            n % 4 === 0 ? undefined : n % 7 === 0 ? gone : nameAt(n);
          const list = picks.map((p, i) =>
            entry(files[i] as string, nameAt(p.name), parentAt(p.parent), vm),
          );
          const refused = new Set(picks.filter((p) => p.refused === 0).map((p) => nameAt(p.name)));
          const forest = buildForest(list, { compare: compareNatural });
          const plan = planRedefine(forest, { errorsOf: (key) => (refused.has(key) ? 1 : 0) });
          expectSoundPlan(forest, plan, refused);
          const fileOf = fileFromName ? (key: string) => `${key}.xml` : undefined;
          const options = { validate, plan, ...(fileOf ? { fileOf } : {}) };
          const script = redefineScript(forest, options);
          // The VM name as libvirt's <domain> reading gives it; with none, the operator sets DOMAIN.
          const named = vm?.trim() || undefined;
          const target = named ?? vm ?? '$(touch canary)';
          const expected = plan.order.map((key) => [
            ...(uri ? ['-c', uri] : []),
            ...expectedCall(
              target,
              fileOf ? fileOf(key) : (forest.entries.get(key) as ForestEntry).file,
              validate,
            ),
          ]);
          // Comments hold nothing taken from a file: they are those of the same chain plainly named.
          const plainName = (name: string) => (name === gone ? 'gone' : `c${names.indexOf(name)}`);
          const plainList = list.map((e, i) => {
            const name = e.checkpoint.name as string;
            const own = (fileOf?.(name) ?? `${name}.xml`) === e.file;
            return entry(
              own ? (fileOf?.(plainName(name)) ?? `${plainName(name)}.xml`) : `f${i}.xml`,
              plainName(name),
              e.checkpoint.parent && plainName(e.checkpoint.parent),
              named && 'vm',
            );
          });
          const plain = buildForest(plainList);
          const plainRefused = new Set([...refused].map(plainName));
          const plainPlan = planRedefine(plain, {
            errorsOf: (key) => (plainRefused.has(key) ? 1 : 0),
          });
          expect(comments(script)).toEqual(
            comments(redefineScript(plain, { ...options, plan: plainPlan })),
          );
          // The script reads as what it runs: no line break inside a word, no control character,
          // no bidi override.
          expect(script.replaceAll('\n', '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u);
          const run = runScript(
            'sh',
            script,
            {
              ...(named ? {} : { DOMAIN: target }),
              VIRSH_STATE: validate ? 'running' : 'shut off',
            },
            [...(uri ? ['-c', uri] : []), '--apply'],
            expected.map((c) => c[c.indexOf('--xmlfile') + 1] as string),
          );
          // Without --apply: the checks and the plan, one line a checkpoint, and no redefine.
          const dry = runScript(
            shell,
            script,
            {
              ...(named ? {} : { DOMAIN: target }),
              VIRSH_STATE: validate ? 'running' : 'shut off',
            },
            uri ? ['-c', uri] : [],
            expected.map((c) => c[c.indexOf('--xmlfile') + 1] as string),
          );
          expect(dry.calls).toEqual([]);
          expect(dry.status, dry.stderr).toBe(0);
          expect(
            dry.stdout.split('\n').filter((l) => l.startsWith('  [to do] redefine')),
          ).toHaveLength(expected.length);
          // Every call, the checks' too, names the VM exactly.
          for (const c of run.all) expect(c[c.indexOf('--domain') + 1]).toBe(target);
          expect(run.left).toEqual([]);
          expect(run.calls).toEqual(expected);
          // Run from anywhere: virsh reads the files beside the script.
          expect(new Set(run.folders)).toEqual(new Set(expected.length ? [run.dir] : []));
          expect(run.status, run.stderr).toBe(0);
          // Run again after a failure: what libvirt lists already is skipped, the rest redefined.
          // (A name with a line break cannot be told apart in virsh's list, one name a line: it
          // is redefined again, which libvirt takes as an update.)
          const k = expected.length ? done % (expected.length + 1) : 0;
          const listed = plan.order.slice(0, k);
          const rerun = runScript(
            shell,
            script,
            {
              ...(named ? {} : { DOMAIN: target }),
              VIRSH_STATE: validate ? 'running' : 'shut off',
              VIRSH_CHECKPOINTS: listed.join('\n'),
            },
            [...(uri ? ['-c', uri] : []), '--apply'],
            expected.map((c) => c[c.indexOf('--xmlfile') + 1] as string),
          );
          if (!listed.some((n) => n.includes('\n'))) {
            expect(rerun.calls).toEqual(expected.slice(k));
            expect(rerun.status, rerun.stderr).toBe(0);
          }
          // What is left out is said, one line each, and never reaches virsh.
          expect(run.stderr.split('\n').filter((l) => l.startsWith('Left out: '))).toHaveLength(
            plan.leftOut.length,
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('stops at the first checkpoint libvirt refuses, naming it; nothing after it runs', () => {
    const forest = buildForest([
      entry('a.xml', 'a', undefined, 'vm'),
      entry('b.xml', 'b', 'a', 'vm'),
      entry('c.xml', 'c', 'b', 'vm'),
    ]);
    const run = runScript('sh', redefineScript(forest), { VIRSH_FAIL_AT: '2' }, undefined, [
      'a.xml',
      'b.xml',
      'c.xml',
    ]);
    expect(run.calls.map((c) => c[4])).toEqual(['a.xml', 'b.xml']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Stopped at checkpoint b (file b.xml)');
  });

  it('takes -c URI for virsh; without it, virsh keeps its own default (LIBVIRT_DEFAULT_URI)', () => {
    const script = redefineScript(buildForest([entry('a.xml', 'a', undefined, 'vm')]));
    const uri = 'test:///tmp/some node.xml';
    const withUri = runScript('sh', script, {}, ['-c', uri, '--apply'], ['a.xml']);
    expect(withUri.calls).toEqual([['-c', uri, ...expectedCall('vm', 'a.xml', false)]]);
    // The checks ask the same host.
    expect(withUri.all.every((c) => c[0] === '-c' && c[1] === uri)).toBe(true);
    const plain = runScript('sh', script, { LIBVIRT_DEFAULT_URI: uri }, undefined, ['a.xml']);
    expect(plain.calls).toEqual([expectedCall('vm', 'a.xml', false)]);
    const wrong = runScript('sh', script, {}, ['-x']);
    expect(wrong.status).toBe(2);
    expect(wrong.all).toEqual([]);
    expect(wrong.stderr).toContain('[-c URI]');
  });

  it('shellQuote gives back the word exactly, for any text', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), (words) => {
        const script = `#!/bin/sh\nvirsh ${words.map(shellQuote).join(' ')}\n`;
        const run = runScript('sh', script);
        expect(run.left).toEqual([]);
        expect(run.all).toEqual([words]);
      }),
      { numRuns: 100 },
    );
  });

  it('shellAssignment sets the variable to the value exactly, in every shell', () => {
    fc.assert(
      fc.property(text, (value) => {
        const script = `#!/bin/sh\n${shellAssignment('v', value)}\nvirsh "$v"\n`;
        for (const shell of SHELLS) expect(runScript(shell, script).all, shell).toEqual([[value]]);
      }),
      { numRuns: 60 },
    );
  });

  it('leaves the working folder as it was when DOMAIN is missing', () => {
    const forest = buildForest([entry('a.xml', 'a', undefined)]);
    const run = runScript('sh', redefineScript(forest));
    expect(run.status).not.toBe(0);
    expect(run.all).toEqual([]);
    expect(run.stderr).toContain('set DOMAIN to the VM name');
  });
});
