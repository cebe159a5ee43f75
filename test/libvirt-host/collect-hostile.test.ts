import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../cli/run-cli.ts';
import { createImage, haveQemuUtils, imageDir, QEMU_IMG, qemuImg } from '../images/qemu-img.ts';
import { skipWithout } from '../require.ts';
import { defineGuest, hostRunning, removeGuest, URI, virshOk } from './host.ts';

const SCRIPT = resolve(import.meta.dirname, '..', '..', 'scripts', 'collect.sh');
/** A hang is caught, not a speed measured: a run here takes about a second. */
const CEILING_MS = 30_000;

/**
 * virsh as the script finds it first on PATH: the real one, but a test can have it plant a link
 * (PLANT_AT -> PLANT_TO; with PLANT_HARD a hard link, as of a FIFO) when a subcommand runs, list
 * the hidden entries of the folder the script runs in (LIST_ON), not answer (SLEEP_ON), refuse one
 * (FAIL_ON), add a checkpoint name to checkpoint-list (EXTRA_NAME), and it logs each subcommand.
 */
const WRAPPER = `#!/bin/sh
cmd=
skip=
for a in "$@"; do
  if [ -n "$skip" ]; then skip=; continue; fi
  case $a in
    -q) ;;
    -c) skip=1 ;;
    *) cmd=$a; break ;;
  esac
done
echo "$cmd" >>"$WRAP_LOG"
if [ "$cmd" = "\${PLANT_ON:-}" ]; then
  if [ -n "\${PLANT_HARD:-}" ]; then ln "$PLANT_TO" "$PLANT_AT"; else ln -s "$PLANT_TO" "$PLANT_AT"; fi
fi
if [ "$cmd" = "\${LIST_ON:-}" ]; then
  for f in .[!.]*; do [ -e "$f" ] && stat -c '%a %F %n' "$f"; done >>"$WRAP_LOG.list"
fi
if [ "$cmd" = "\${SLEEP_ON:-}" ]; then exec sleep 30; fi
if [ "$cmd" = "\${FAIL_ON:-}" ]; then echo "error: $cmd refused by the test" >&2; exit 1; fi
if [ "$cmd" = checkpoint-list ] && [ -n "\${EXTRA_NAME:-}" ]; then
  /usr/bin/virsh "$@" || exit
  printf '%s\\n' "$EXTRA_NAME"
  exit 0
fi
exec /usr/bin/virsh "$@"
`;

const exists = (path: string) => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

if (
  !skipWithout(
    haveQemuUtils && hostRunning(),
    'a libvirt host with QEMU (scripts/libvirt-host.sh start) and qemu-utils',
  )
) {
  describe('collect on a real host, against a hostile guest disk and planted links', () => {
    const work = imageDir('collect-hostile');
    const name = `ckpt-trust-${process.pid}-hostile`;
    const bin = join(work.dir, 'bin');
    const log = join(work.dir, 'virsh.log');
    const fifo = join(work.dir, 'fifo');
    const vdb = join(work.dir, 'vdb.raw');
    /** The script's TMPDIR: what it keeps there (virsh's answers) must be gone when it ends. */
    const tmp = join(work.dir, 'tmp');
    let runs = 0;

    beforeAll(() => {
      mkdirSync(bin);
      mkdirSync(tmp);
      writeFileSync(join(bin, 'virsh'), WRAPPER);
      chmodSync(join(bin, 'virsh'), 0o755);
      const vda = createImage(join(work.dir, 'vda.qcow2'));
      createImage(vdb, { format: 'raw' });
      defineGuest(work.dir, name, [
        { target: 'vda', source: vda },
        { target: 'vdb', source: vdb, format: 'raw' },
      ]);
      virshOk('start', name);
      virshOk(
        'checkpoint-create-as',
        name,
        'bk.1',
        '--diskspec',
        'vda,checkpoint=bitmap',
        '--diskspec',
        'vdb,checkpoint=no',
      );
      virshOk('destroy', name);
      // What a guest can write into its raw disk: a qcow2 header whose backing file is a FIFO.
      spawnSync('mkfifo', [fifo]);
      const header = join(work.dir, 'header.qcow2');
      qemuImg('create', '-q', '-f', 'qcow2', '-u', '-b', fifo, '-F', 'raw', header, '1M');
      const bytes = readFileSync(header);
      const fd = openSync(vdb, constants.O_WRONLY);
      writeSync(fd, bytes, 0, bytes.length, 0);
      closeSync(fd);
    });
    afterAll(() => {
      removeGuest(name);
      work.remove();
    });

    /** scripts/collect.sh with dash (or `shell`), in a folder of its own, the wrapper first on PATH. */
    function runScript(
      env: Record<string, string> = {},
      args = ['-c', URI, name],
      shell = 'dash',
      prepare: (cwd: string) => void = () => {},
    ) {
      const cwd = join(work.dir, `run${++runs}`);
      mkdirSync(cwd);
      prepare(cwd);
      writeFileSync(log, '');
      writeFileSync(`${log}.list`, '');
      const start = Date.now();
      const r = spawnSync(shell, [SCRIPT, ...args], {
        cwd,
        encoding: 'utf8',
        timeout: CEILING_MS,
        env: {
          ...process.env,
          PATH: `${bin}:${process.env['PATH']}`,
          WRAP_LOG: log,
          TMPDIR: tmp,
          ...env,
        },
      });
      const folder = join(cwd, `${name}-checkpoints`);
      return { ...r, ms: Date.now() - start, cwd, folder, archive: `${folder}.tar.gz` };
    }
    const called = () => readFileSync(log, 'utf8').split('\n').filter(Boolean);

    it('a raw disk holding a qcow2 header that names a FIFO: read as raw, in time, the FIFO never opened', async () => {
      // qemu-img left to guess the format takes the header at its word and blocks on the FIFO.
      const guessed = spawnSync(QEMU_IMG, ['info', '--output=json', '--backing-chain', '-U', vdb], {
        timeout: 3000,
      });
      expect(guessed.status).toBe(null);

      // Held open both ways, the FIFO never blocks; what is in it shows whether anyone read it.
      const held = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
      try {
        writeSync(held, 'unread');
        const script = runScript();
        expect(readdirSync(tmp)).toEqual([]);
        expect(script.ms).toBeLessThan(CEILING_MS);
        expect(script.stderr).toBe('');
        expect(script.status).toBe(0);
        expect(script.stdout).toContain(`(qemu-img info -f raw of ${vdb})`);
        const info = JSON.parse(readFileSync(join(script.folder, 'images', 'vdb.json'), 'utf8'));
        expect(info).toHaveLength(1);
        expect(info[0]).toMatchObject({ filename: vdb, format: 'raw' });
        expect(info[0]['backing-filename']).toBeUndefined();

        for (const args of [
          ['collect', '--connect', URI, name, join(work.dir, 'cli')],
          ['check', '--connect', URI, name],
        ]) {
          const start = Date.now();
          const r = await runMain(...args);
          expect(Date.now() - start).toBeLessThan(CEILING_MS);
          expect(r.code, r.err + r.out).toBe(0);
        }
        const cli = JSON.parse(readFileSync(join(work.dir, 'cli', 'images', 'vdb.json'), 'utf8'));
        expect(cli).toEqual(info);

        const left = Buffer.alloc(16);
        expect(left.subarray(0, readSync(held, left)).toString()).toBe('unread');
      } finally {
        closeSync(held);
      }
    }, 300_000);

    it('links planted before the run, at the archive (dangling) or at DIR: refused, nothing written through them', () => {
      const nowhere = join(work.dir, 'nowhere');
      const cwd = join(work.dir, `run${runs + 1}`);
      mkdirSync(cwd);
      symlinkSync(nowhere, join(cwd, `${name}-checkpoints.tar.gz`));
      runs++;
      writeFileSync(log, '');
      const r = spawnSync('dash', [SCRIPT, '-c', URI, name], {
        cwd,
        encoding: 'utf8',
        timeout: CEILING_MS,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        `collect.sh: ./${name}-checkpoints.tar.gz already exists: move it away first\n`,
      );
      expect(exists(nowhere)).toBe(false);
      expect(readdirSync(cwd)).toEqual([`${name}-checkpoints.tar.gz`]);

      const victim = join(work.dir, 'victim');
      mkdirSync(victim);
      const cwd2 = join(work.dir, `run${++runs}`);
      mkdirSync(cwd2);
      symlinkSync(victim, join(cwd2, `${name}-checkpoints`));
      const d = spawnSync('dash', [SCRIPT, '-c', URI, name], { cwd: cwd2, encoding: 'utf8' });
      expect(d.status).toBe(1);
      expect(d.stderr).toBe(
        `collect.sh: ./${name}-checkpoints already exists: move it away first\n`,
      );
      expect(readdirSync(victim)).toEqual([]);
    });

    /** What this run made and removed, as the script says it: its private folder. */
    const removed = `collect.sh: removed ./.${name}-checkpoints.`;
    /** A FIFO held open both ways: never blocks a writer, and what is in it shows whether one wrote. */
    function heldFifo(path: string) {
      spawnSync('mkfifo', [path]);
      const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
      return {
        written: () => {
          const got = Buffer.alloc(64);
          try {
            return got.subarray(0, readSync(fd, got)).toString();
          } catch {
            return ''; // EAGAIN: nothing in it
          }
        },
        close: () => closeSync(fd),
      };
    }

    for (const shell of ['dash', 'bash']) {
      it(`${shell}: a FIFO, a link to a FIFO or to a file planted at the archive or DIR during the run: never opened, the run fails naming it, nothing of its own left`, () => {
        const fifoPath = join(work.dir, `held-${shell}.fifo`);
        const fifo = heldFifo(fifoPath);
        const precious = join(work.dir, `precious-${shell}`);
        writeFileSync(precious, 'precious\n');
        const victim = join(work.dir, `victim-${shell}`);
        mkdirSync(victim);
        try {
          const archive = `${name}-checkpoints.tar.gz`;
          const cases = [
            { at: archive, to: fifoPath, hard: true, on: 'domblklist' },
            { at: archive, to: fifoPath, hard: false, on: 'checkpoint-list' },
            { at: archive, to: precious, hard: false, on: 'dumpxml' },
            { at: `${name}-checkpoints`, to: victim, hard: false, on: 'domstate' },
          ];
          for (const c of cases) {
            const cwd = join(work.dir, `run${runs + 1}`);
            const r = runScript(
              {
                PLANT_ON: c.on,
                PLANT_AT: join(cwd, c.at),
                PLANT_TO: c.to,
                ...(c.hard ? { PLANT_HARD: '1' } : {}),
                LIST_ON: 'checkpoint-list',
              },
              ['-c', URI, name],
              shell,
            );
            const what = `${c.hard ? 'FIFO' : `link to ${c.to}`} at ${c.at}, planted on ${c.on}`;
            expect(r.status, what).toBe(1);
            expect(r.stderr, what).toContain(
              `collect.sh: ./${c.at} was there before this run could put its own in place: nothing written to it\n${removed}`,
            );
            // Only what was planted is left, as it was planted.
            expect(readdirSync(r.cwd), what).toEqual([c.at]);
            const planted = lstatSync(join(r.cwd, c.at));
            expect(c.hard ? planted.isFIFO() : planted.isSymbolicLink(), what).toBe(true);
            expect(readdirSync(tmp)).toEqual([]);
            // While it ran, its only entry was its own folder, private.
            expect(readFileSync(`${log}.list`, 'utf8'), what).toMatch(
              new RegExp(`^700 directory \\.${name}-checkpoints\\.[A-Za-z0-9]{6}\n$`),
            );
          }
          expect(fifo.written()).toBe('');
          expect(readFileSync(precious, 'utf8')).toBe('precious\n');
          expect(readdirSync(victim)).toEqual([]);
        } finally {
          fifo.close();
        }
      });

      it(`${shell}: a FIFO or a link to one at the archive before the run: refused at once, never opened`, () => {
        const fifoPath = join(work.dir, `before-${shell}.fifo`);
        const fifo = heldFifo(fifoPath);
        try {
          const archive = `${name}-checkpoints.tar.gz`;
          for (const hard of [true, false]) {
            const r = runScript({}, ['-c', URI, name], shell, (cwd) =>
              hard
                ? linkSync(fifoPath, join(cwd, archive))
                : symlinkSync(fifoPath, join(cwd, archive)),
            );
            expect(r.status).toBe(1);
            expect(r.stderr).toBe(`collect.sh: ./${archive} already exists: move it away first\n`);
            expect(readdirSync(r.cwd)).toEqual([archive]);
            expect(called()).toEqual([]);
          }
          expect(fifo.written()).toBe('');
        } finally {
          fifo.close();
        }
      });
    }

    it('--help prints the usage and runs no virsh; a run that fails half-way leaves nothing, and a rerun works', () => {
      for (const flag of ['--help', '-h']) {
        const help = runScript({}, [flag]);
        expect(help.stdout).toBe('usage: sh collect.sh [-c URI] [--] DOMAIN\n');
        expect(help.status).toBe(0);
        expect(called()).toEqual([]);
      }
      const failed = runScript({ FAIL_ON: 'domblklist' });
      expect(failed.status).toBe(1);
      expect(failed.stderr).toContain('collect.sh: virsh domblklist failed\n');
      expect(failed.stderr).toContain(removed);
      expect(readdirSync(failed.cwd)).toEqual([]);
      const rerun = spawnSync('dash', [SCRIPT, '-c', URI, name], {
        cwd: failed.cwd,
        encoding: 'utf8',
      });
      expect(rerun.status).toBe(0);
      expect(readdirSync(failed.cwd).sort()).toEqual([
        `${name}-checkpoints`,
        `${name}-checkpoints.tar.gz`,
      ]);
    });

    it('a checkpoint name too long for a file name: skipped, said so, the rest collected', () => {
      const long = 'b'.repeat(252);
      const r = runScript({ EXTRA_NAME: long });
      expect(r.stderr).toBe(
        `skipped checkpoint '${long}': NAME.xml is over 255 bytes, too long for a file name\n`,
      );
      expect(r.status).toBe(1);
      expect(readdirSync(join(r.folder, 'checkpoints'))).toEqual(['bk.1.xml']);
      expect(exists(r.archive)).toBe(true);
    });

    it('a running VM whose QMP query is refused: each disk read with qemu-img info -U, said so; the run finishes', () => {
      virshOk('start', name);
      try {
        const r = runScript({ FAIL_ON: 'qemu-monitor-command' });
        expect(r.stderr).toContain(
          'QEMU did not answer (virsh qemu-monitor-command failed): reading each disk with qemu-img info -U instead (bitmaps as of the last shutdown)\n',
        );
        expect(r.status).toBe(0);
        expect(readdirSync(join(r.folder, 'images')).sort()).toEqual(['vda.json', 'vdb.json']);
        const vda = JSON.parse(readFileSync(join(r.folder, 'images', 'vda.json'), 'utf8'));
        expect(vda[0]['format-specific'].data.bitmaps.map((b: { name: string }) => b.name)).toEqual(
          ['bk.1'],
        );
        expect(exists(r.archive)).toBe(true);
      } finally {
        virshOk('destroy', name);
      }
    }, 120_000);

    it('a command that does not answer: stopped after COLLECT_TIMEOUT, named, the folder removed', () => {
      const r = runScript({ SLEEP_ON: 'domblklist', COLLECT_TIMEOUT: '1' });
      expect(r.ms).toBeLessThan(20_000);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('collect.sh: virsh domblklist: no answer in 1 s\n');
      expect(r.stderr).toContain(removed);
      expect(readdirSync(r.cwd)).toEqual([]);
    });

    it('killed (SIGTERM) while virsh runs: ends at once, the command with it, the folder removed', async () => {
      const cwd = join(work.dir, `run${++runs}`);
      mkdirSync(cwd);
      writeFileSync(log, '');
      const child = spawn('dash', [SCRIPT, '-c', URI, name], {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          PATH: `${bin}:${process.env['PATH']}`,
          WRAP_LOG: log,
          TMPDIR: tmp,
          SLEEP_ON: 'domblklist',
        },
      });
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (t: string) => void (err += t));
      const ended = new Promise<number | null>((done) => child.on('close', done));
      const deadline = Date.now() + CEILING_MS;
      while (!called().includes('domblklist') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const start = Date.now();
      child.kill('SIGTERM');
      expect(await ended).toBe(143);
      expect(Date.now() - start).toBeLessThan(10_000);
      expect(err).toContain(removed);
      expect(readdirSync(cwd)).toEqual([]);
      expect(readdirSync(tmp)).toEqual([]);
    });
  });
}
