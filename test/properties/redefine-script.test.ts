// The redefine script runs on a host with the files' names and VM name in it: whatever they hold,
// the shell must pass them to virsh as they are and run nothing else.
import { spawnSync } from 'node:child_process';
import {
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
import type { Checkpoint, ForestEntry, XmlElement } from '../../src/core/index.ts';
import {
  buildForest,
  compareNatural,
  redefineScript,
  shellAssignment,
  shellQuote,
} from '../../src/core/index.ts';

// Records each call: its argument count, then each argument, all NUL-terminated.
const FAKE_VIRSH = `#!/bin/sh
printf '%s\\0' "$#" "$@" >> "$VIRSH_LOG"
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
  /** The arguments of each virsh call, in order. */
  calls: string[][];
  /** What the run left in its (empty, also $HOME) working folder. */
  left: string[];
  status: number | null;
  stderr: string;
}

let runs = 0;
/** Writes the script, checks its syntax with `sh -n`, and runs it with the fake virsh first on PATH. */
function runScript(shell: string, script: string, env: Record<string, string> = {}): Run {
  const dir = join(root, `run-${++runs}`);
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  const file = join(dir, 'redefine.sh');
  const log = join(dir, 'virsh.log');
  writeFileSync(file, script);
  writeFileSync(log, '');
  const syntax = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
  expect(syntax.status, `${shell} -n: ${syntax.stderr}`).toBe(0);
  const result = spawnSync(shell, [file], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: `${join(root, 'bin')}:/usr/bin:/bin`, HOME: work, VIRSH_LOG: log, ...env },
  });
  const fields = readFileSync(log, 'utf8').split('\0');
  const calls: string[][] = [];
  for (let i = 0; i < fields.length - 1;) {
    const count = Number(fields[i]);
    calls.push(fields.slice(i + 1, i + 1 + count));
    i += 1 + count;
  }
  const left = readdirSync(work);
  rmSync(dir, { recursive: true, force: true });
  return { calls, left, status: result.status, stderr: result.stderr };
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

const comments = (script: string) => script.split('\n').filter((l) => /^\s*#/.test(l));

describe('redefineScript: data from files only ever reaches virsh as its arguments', () => {
  it('a VM name that breaks out of a comment runs nothing', () => {
    const vm = 'vm1\ntouch ~/owned #';
    const forest = buildForest([entry('a.xml', 'a', undefined, vm)]);
    const script = redefineScript(forest);
    for (const shell of SHELLS) {
      const run = runScript(shell, script);
      expect(run.left, `${shell}: ~/owned`).toEqual([]);
      expect(run.calls, shell).toEqual([expectedCall(vm, 'a.xml', false)]);
      expect(run.status, run.stderr).toBe(0);
    }
    expect(comments(script)).not.toContainEqual(expect.stringContaining('vm1'));
  });

  it('a name that looks like an option is still the VM or the file', () => {
    const forest = buildForest([entry('--quiesce', 'a', undefined, '--redefine')]);
    const run = runScript('sh', redefineScript(forest, { validate: true }));
    expect(run.calls).toEqual([expectedCall('--redefine', '--quiesce', true)]);
  });

  it('any names: sh -n passes, virsh gets exactly each name, parents first, nothing else runs', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(text, { minLength: 1, maxLength: 4 }),
        fc.array(text, { minLength: 4, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        fc.option(text, { nil: undefined }),
        fc.boolean(),
        fc.boolean(),
        (names, files, parents, vm, validate, fileFromName) => {
          // Each checkpoint's parent is an earlier one (or none): the script must put it first.
          const list = names.map((name, i) => {
            const p = parents[i] as number;
            const parent = i > 0 && p % 3 !== 0 ? names[p % i] : undefined;
            return entry(files[i] as string, name, parent, vm);
          });
          const forest = buildForest(list, { compare: compareNatural });
          const fileOf = fileFromName ? (key: string) => `${key}.xml` : undefined;
          const script = redefineScript(forest, { validate, ...(fileOf ? { fileOf } : {}) });
          // The VM name as libvirt's <domain> reading gives it; with none, the operator sets DOMAIN.
          const named = vm?.trim() || undefined;
          const target = named ?? vm ?? '$(touch canary)';
          const expected = forest.topological.map((key) =>
            expectedCall(
              target,
              fileOf ? fileOf(key) : (forest.entries.get(key) as ForestEntry).file,
              validate,
            ),
          );
          // Comments hold nothing taken from a file: they are those of the same chain plainly named.
          const plain = buildForest(
            list.map((e, i) =>
              entry(
                fileOf?.(e.checkpoint.name as string) === e.file ? `c${i}.xml` : `f${i}.xml`,
                `c${names.indexOf(e.checkpoint.name as string)}`,
                e.checkpoint.parent && `c${names.indexOf(e.checkpoint.parent)}`,
                named && 'vm',
              ),
            ),
          );
          expect(comments(script)).toEqual(
            comments(redefineScript(plain, { validate, ...(fileOf ? { fileOf } : {}) })),
          );
          // The script reads as what it runs: no line break inside a word, no control character,
          // no bidi override.
          expect(script.replaceAll('\n', '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u);
          const run = runScript('sh', script, named ? {} : { DOMAIN: target });
          expect(run.left).toEqual([]);
          expect(run.calls).toEqual(expected);
          expect(run.status, run.stderr).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('shellQuote gives back the word exactly, for any text', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), (words) => {
        const script = `#!/bin/sh\nvirsh ${words.map(shellQuote).join(' ')}\n`;
        const run = runScript('sh', script);
        expect(run.left).toEqual([]);
        expect(run.calls).toEqual([words]);
      }),
      { numRuns: 100 },
    );
  });

  it('shellAssignment sets the variable to the value exactly, in every shell', () => {
    fc.assert(
      fc.property(text, (value) => {
        const script = `#!/bin/sh\n${shellAssignment('v', value)}\nvirsh "$v"\n`;
        for (const shell of SHELLS)
          expect(runScript(shell, script).calls, shell).toEqual([[value]]);
      }),
      { numRuns: 60 },
    );
  });

  it('leaves the working folder as it was when DOMAIN is missing', () => {
    const forest = buildForest([entry('a.xml', 'a', undefined)]);
    const run = runScript('sh', redefineScript(forest));
    expect(run.status).not.toBe(0);
    expect(run.calls).toEqual([]);
    expect(run.stderr).toContain('set DOMAIN to the VM name');
  });
});
