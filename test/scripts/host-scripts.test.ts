// The repair and redefine scripts check on the host before they change it: run here with the real
// qemu-img on real images and a stand-in for virsh (fake-virsh.mjs), under dash and bash. Each
// failed check must leave everything as it was and say why; a dry run changes nothing; --apply
// does what the dry run said; a rerun after a failure finishes the job.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForestEntry, ImageInfo } from '../../src/core/index.ts';
import {
  backupReadiness,
  backupVm,
  bitmapVerdicts,
  buildForest,
  matchImages,
  parseCheckpoint,
  qemuJsonString,
  readImageInfo,
  redefineScript,
  repairScript,
} from '../../src/core/index.ts';
import {
  addBitmap,
  bitmapNames,
  createImage,
  haveQemuUtils,
  imageDir,
  imageInfo,
  qemuImg,
} from '../images/qemu-img.ts';
import { imageInfoOf, writeChain } from '../images/scenario.ts';
import { runMain } from '../cli/run-cli.ts';
import { skipWithout } from '../require.ts';

const UUID = '9e1c7d0a-3b2f-4c5d-8e6f-7a8b9c0d1e2f';
const FAKE = join(import.meta.dirname, 'fake-virsh.mjs');
const SHELLS = ['dash', ...(spawnSync('bash', ['-c', 'true']).status === 0 ? ['bash'] : [])];

interface FakeVm {
  name: string;
  uuid: string;
  state: string;
  checkpoints: string[];
  disks: { target: string; source: string }[];
  failNext?: string;
  /** The bitmaps the running VM's QEMU holds, as query-named-block-nodes answers. */
  qmpBitmaps?: string[];
  calls: string[][];
}

interface Run {
  status: number | null;
  out: string;
  err: string;
  /** virsh's calls that change something. */
  changes: string[][];
  vm: FakeVm;
}

/** Made once, with the names an operator's files may hold (a quote, a space, a newline). */
const VM = "web01 $(touch pwned)'";

function checkpointXml(name: string, parent: string | undefined, source: string, bitmap = true) {
  const esc = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;');
  return `<domaincheckpoint>
  <name>${esc(name)}</name>
${parent ? `  <parent><name>${esc(parent)}</name></parent>\n` : ''}  <creationTime>${1700000000 + name.length}</creationTime>
  <disks>
    <disk name='vda' checkpoint='${bitmap ? 'bitmap' : 'no'}'${bitmap ? ` bitmap='${esc(name)}'` : ''}/>
  </disks>
  <domain type='qemu'>
    <name>${esc(VM)}</name>
    <uuid>${UUID}</uuid>
    <devices>
      <disk type='file' device='disk'>
        <driver name='qemu' type='qcow2'/>
        <source file='${esc(source)}'/>
        <target dev='vda' bus='virtio'/>
      </disk>
    </devices>
  </domain>
</domaincheckpoint>
`;
}

if (!skipWithout(haveQemuUtils, 'qemu-img (qemu-utils)')) {
  describe('generated scripts check on the host before they change it', () => {
    const d = imageDir('host-scripts');
    let bin: string;
    let runs = 0;
    beforeAll(() => {
      bin = join(d.dir, 'bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'virsh'), `#!/bin/sh\nexec '${process.execPath}' '${FAKE}' "$@"\n`);
      chmodSync(join(bin, 'virsh'), 0o755);
    });
    afterAll(d.remove);

    /** A folder with one image (hostile name: a space, a quote), as the VM's vda. */
    function setup(bitmaps: { name: string; disable?: boolean }[]) {
      const dir = join(d.dir, `case-${++runs}`);
      mkdirSync(dir);
      const image = createImage(join(dir, "vda it's.qcow2"));
      for (const b of bitmaps) addBitmap(image, b.name, b.disable ? { disable: true } : {});
      return { dir, image };
    }

    /** qemu-img info of the image run from its folder on a relative path, as an operator may. */
    function infoOf(image: string, dir: string): ImageInfo {
      const r = spawnSync(
        'qemu-img',
        ['info', '--output=json', '--backing-chain', "vda it's.qcow2"],
        {
          cwd: dir,
          encoding: 'utf8',
        },
      );
      const read = readImageInfo(r.stdout, 'images.json');
      if (!read.ok) throw new Error(read.problems[0]?.message);
      expect(read.value.layers[0]?.filename).not.toBe(image);
      return read.value;
    }

    function entries(list: [string, string | undefined, boolean?][], image: string): ForestEntry[] {
      return list.map(([name, parent, bitmap]) => {
        const parsed = parseCheckpoint(checkpointXml(name, parent, image, bitmap ?? true));
        if (!parsed.ok) throw new Error(parsed.problems[0]?.message);
        return { file: `${name}.xml`, checkpoint: parsed.value };
      });
    }

    function repair(list: ForestEntry[], info: ImageInfo, running = false) {
      const vm = backupVm(list);
      const report = bitmapVerdicts(list, matchImages(vm.disks, [info]), {
        running,
        ...(vm.name !== undefined ? { vm: vm.name } : {}),
      });
      return repairScript(report, vm.uuid !== undefined ? { uuid: vm.uuid } : {});
    }

    /** Runs `script` from an empty folder elsewhere, with the fake VM `vm`. */
    function run(
      shell: string,
      script: string,
      vm: Partial<FakeVm>,
      args: string[] = [],
      dir?: string,
    ): Run {
      const where = dir ?? join(d.dir, `script-${++runs}`);
      mkdirSync(where, { recursive: true });
      const work = join(d.dir, `work-${++runs}`);
      mkdirSync(work);
      const state = join(work, '..', `vm-${runs}.json`);
      const file = join(where, 'script.sh');
      writeFileSync(file, script);
      writeFileSync(
        state,
        JSON.stringify({
          name: VM,
          uuid: UUID,
          state: 'shut off',
          checkpoints: [],
          disks: [],
          ...vm,
          calls: [],
        }),
      );
      const syntax = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      expect(syntax.status, syntax.stderr).toBe(0);
      const r = spawnSync(shell, [file, ...args], {
        cwd: work,
        encoding: 'utf8',
        env: { PATH: `${bin}:/usr/bin:/bin`, HOME: work, FAKE_VIRSH_STATE: state },
      });
      const after = JSON.parse(readFileSync(state, 'utf8')) as FakeVm;
      expect(() => readFileSync(join(work, 'pwned'))).toThrow();
      return {
        status: r.status,
        out: r.stdout,
        err: r.stderr,
        changes: after.calls.filter((c) => /checkpoint-(delete|create)/.test(c.join(' '))),
        vm: after,
      };
    }

    describe('the repair script: a stray bitmap on a shut-off VM', () => {
      const STRAY = 'stray "1"\t日';
      const { dir, image } = setup([{ name: 'bk.1' }, { name: STRAY }]);
      const list = entries([['bk.1', undefined]], image);
      const script = repair(list, infoOf(image, dir));
      const vm = { checkpoints: ['bk.1'], disks: [{ target: 'vda', source: image }] };

      it.each(SHELLS)('%s: a dry run checks, prints the plan and changes nothing', (shell) => {
        const r = run(shell, script, vm);
        expect(r.err).toBe('');
        expect(r.status).toBe(0);
        expect(r.out).toContain(`[to do] remove bitmap ${STRAY} from image ${image}`);
        expect(r.out).toContain('Dry run: nothing was changed');
        expect(bitmapNames(image)).toEqual(['bk.1', STRAY]);
        expect(r.changes).toEqual([]);
      });

      it.each([
        [
          'the VM started meanwhile',
          { state: 'running' },
          `is running, but the plan needs it shut off`,
        ],
        [
          'the image replaced',
          { disks: [{ target: 'vda', source: `${image}.new` }] },
          `disk vda: its image is now ${image}.new, but the plan was made for ${image}`,
        ],
        [
          'another VM of that name',
          { uuid: '11111111-2222-3333-4444-555555555555' },
          'but the plan was made for uuid',
        ],
        [
          'a checkpoint of the bitmap’s name made meanwhile',
          { checkpoints: ['bk.1', STRAY] },
          `libvirt has a checkpoint ${STRAY} now`,
        ],
        ['no such VM', { name: 'other' }, `no VM ${VM} on this host`],
      ])('refused, changing nothing, when %s', (_, change, reason) => {
        for (const shell of SHELLS) {
          const r = run(shell, script, { ...vm, ...change }, ['--apply']);
          expect(r.status, shell).toBe(1);
          expect(r.err).toContain(reason);
          expect(r.err).toContain('Nothing was changed');
          expect(bitmapNames(image)).toEqual(['bk.1', STRAY]);
          expect(r.changes).toEqual([]);
        }
      });

      it('--apply removes it; run again, it is already done', () => {
        const r = run('dash', script, vm, ['--apply']);
        expect(r.err).toBe('');
        expect(r.status).toBe(0);
        expect(bitmapNames(image)).toEqual(['bk.1']);
        const again = run('bash', script, vm, ['-c', 'qemu:///system', '--apply']);
        expect(again.status).toBe(0);
        expect(again.out).toContain(`[already done] remove bitmap ${STRAY}`);
        expect(again.vm.calls.every((c) => c[0] === '-c' && c[1] === 'qemu:///system')).toBe(true);
      });
    });

    describe('the repair script: a disabled bitmap (libvirt refuses its checkpoint)', () => {
      function fresh() {
        const { dir, image } = setup([{ name: 'bk.1' }, { name: 'bk.2', disable: true }]);
        const list = entries(
          [
            ['bk.1', undefined],
            ['bk.2', 'bk.1'],
          ],
          image,
        );
        return {
          image,
          script: repair(list, infoOf(image, dir)),
          vm: { checkpoints: ['bk.1', 'bk.2'], disks: [{ target: 'vda', source: image }] },
        };
      }

      it('the bitmap goes first, then the metadata; a failure half-way is finished by a rerun', () => {
        const { image, script, vm } = fresh();
        const dry = run('dash', script, vm);
        expect(dry.out).toMatch(/remove bitmap bk\.2 .*\n.*delete checkpoint bk\.2/);
        const failed = run('dash', script, { ...vm, failNext: 'checkpoint-delete' }, ['--apply']);
        expect(failed.status).toBe(1);
        expect(failed.err).toContain('injected failure of checkpoint-delete');
        expect(failed.err).toContain('run the script again');
        // Stopped half-way: libvirt still lists the checkpoint (refused for backups already).
        expect(bitmapNames(image)).toEqual(['bk.1']);
        const again = run('bash', script, vm, ['--apply']);
        expect(again.err).toBe('');
        expect(again.status).toBe(0);
        expect(again.out).toContain('[already done] remove bitmap bk.2');
        expect(again.out).toContain('[to do] delete checkpoint bk.2');
        expect(again.vm.checkpoints).toEqual(['bk.1']);
        expect(bitmapNames(image)).toEqual(['bk.1']);
      });

      it('refused when the checkpoint is gone but its bitmap is not: not as a run of it leaves them', () => {
        const { image, script, vm } = fresh();
        const r = run('dash', script, { ...vm, checkpoints: ['bk.1'] }, ['--apply']);
        expect(r.status).toBe(1);
        expect(r.err).toContain('step 1 is partly done, but not as a run of this script leaves it');
        expect(bitmapNames(image)).toEqual(['bk.1', 'bk.2']);
      });

      it('refused when the bitmap is not as the plan saw it (enabled meanwhile)', () => {
        const { image, script, vm } = fresh();
        qemuImg('bitmap', '--enable', '-f', 'qcow2', image, 'bk.2');
        const r = run('bash', script, vm, ['--apply']);
        expect(r.status).toBe(1);
        expect(r.err).toContain(
          `bitmap bk.2 in ${image} has flags auto now, but the plan saw none`,
        );
        expect(r.changes).toEqual([]);
        expect(bitmapNames(image)).toEqual(['bk.1', 'bk.2']);
      });
    });

    describe('the repair script: metadata without bitmap', () => {
      const { dir, image } = setup([{ name: 'bk.1' }]);
      const list = entries(
        [
          ['bk.1', undefined],
          ['bk.2', 'bk.1'],
        ],
        image,
      );
      const script = repair(list, infoOf(image, dir));
      const vm = { checkpoints: ['bk.1', 'bk.2'], disks: [{ target: 'vda', source: image }] };

      it('refused when the bitmap is there now; else deletes the metadata, once', () => {
        const copy = join(dir, 'copy.qcow2');
        qemuImg('convert', '-O', 'qcow2', '--bitmaps', image, copy);
        addBitmap(copy, 'bk.2');
        const there = run('dash', script, { ...vm, disks: [{ target: 'vda', source: copy }] }, [
          '--apply',
        ]);
        expect(there.status).toBe(1);
        expect(there.changes).toEqual([]);
        const applied = run('dash', script, vm, ['--apply']);
        expect(applied.err).toBe('');
        expect(applied.changes).toEqual([
          ['checkpoint-delete', '--domain', VM, '--checkpointname', 'bk.2', '--metadata'],
        ]);
        const again = run('dash', script, applied.vm, ['--apply']);
        expect(again.out).toContain('[already done] delete checkpoint bk.2');
        expect(again.changes).toEqual([]);
      });

      it('is never built from qemu-img info -U of a running VM (stale), and the plan says so', () => {
        const stale = repair(list, infoOf(image, dir), true);
        expect(stale).not.toMatch(/^act /m);
        const r = run('dash', stale, { ...vm, state: 'running' }, ['--apply']);
        expect(r.status).toBe(0);
        expect(r.out).toContain(
          'Not planned: checkpoint bk.2 on disk vda: not judged, so nothing is built for it (VM running',
        );
        expect(r.changes).toEqual([]);
      });
    });

    describe('the repair script: metadata without bitmap on a running VM, judged from QMP', () => {
      /** QEMU's answer to query-named-block-nodes for the image, holding `bitmaps` live. */
      const qmpInfo = (image: string, bitmaps: string[]): ImageInfo => {
        const answer = {
          return: [
            {
              'node-name': 'libvirt-1-format',
              drv: 'qcow2',
              file: image,
              image: {
                filename: image,
                format: 'qcow2',
                'virtual-size': 67108864,
                'format-specific': { type: 'qcow2', data: { compat: '1.1', corrupt: false } },
              },
              'dirty-bitmaps': bitmaps.map((name) => ({
                name,
                recording: true,
                persistent: true,
                busy: false,
                granularity: 65536,
                count: 0,
              })),
            },
          ],
        };
        const read = readImageInfo(JSON.stringify(answer, null, 2), 'qmp.json');
        if (!read.ok) throw new Error(read.problems[0]?.message);
        return read.value;
      };
      const { image } = setup([]);

      it('refused while a bitmap of its name is back in the running VM; acts with --apply once it is gone', () => {
        const list = entries(
          [
            ['bk.1', undefined],
            ['bk.2', 'bk.1'],
          ],
          image,
        );
        const script = repair(list, qmpInfo(image, ['bk.1']), true);
        expect(script).toMatch(/^check_live_gone /m);
        const vm = {
          state: 'running',
          checkpoints: ['bk.1', 'bk.2'],
          disks: [{ target: 'vda', source: image }],
        };
        const back = run('dash', script, { ...vm, qmpBitmaps: ['bk.1', 'bk.2'] }, [
          '-c',
          'qemu:///system',
          '--apply',
        ]);
        expect(back.status).toBe(1);
        expect(back.err).toContain(
          'Check failed: bitmap bk.2 is in the running VM now (query-named-block-nodes), but the plan relies on it being gone',
        );
        expect(back.err).toContain('Nothing was changed');
        expect(back.changes).toEqual([]);
        expect(back.vm.calls).toContainEqual([
          '-c',
          'qemu:///system',
          'qemu-monitor-command',
          '--domain',
          VM,
          '--pretty',
          '{"execute":"query-named-block-nodes","arguments":{"flat":true}}',
        ]);
        // bk.20 is not bk.2.
        const dry = run('dash', script, { ...vm, qmpBitmaps: ['bk.1', 'bk.20'] });
        expect(dry.err).toBe('');
        expect(dry.out).toContain('[to do] delete checkpoint bk.2');
        expect(dry.changes).toEqual([]);
        for (const shell of SHELLS) {
          const applied = run(shell, script, { ...vm, qmpBitmaps: ['bk.1'] }, ['--apply']);
          expect(applied.err).toBe('');
          expect(applied.status).toBe(0);
          expect(applied.changes).toEqual([
            ['checkpoint-delete', '--domain', VM, '--checkpointname', 'bk.2', '--metadata'],
          ]);
        }
        const failing = run(
          'dash',
          script,
          { ...vm, qmpBitmaps: ['bk.1'], failNext: 'qemu-monitor-command' },
          ['--apply'],
        );
        expect(failing.status).toBe(1);
        expect(failing.err).toContain(
          'cannot verify on the running VM that bitmap bk.2 is gone (virsh qemu-monitor-command failed: error: injected failure',
        );
        expect(failing.changes).toEqual([]);
      });

      it('a name that cannot be matched safely in sh is refused as unverifiable', () => {
        const list = entries(
          [
            ['bk.1', undefined],
            ['bk 2', 'bk.1'],
          ],
          image,
        );
        const script = repair(list, qmpInfo(image, ['bk.1']), true);
        const r = run(
          'dash',
          script,
          { state: 'running', checkpoints: ['bk.1', 'bk 2'], qmpBitmaps: ['bk.1'] },
          ['--apply'],
        );
        expect(r.status).toBe(1);
        expect(r.err).toContain(
          'Check failed: cannot verify on the running VM that bitmap bk 2 is gone: shut it off, collect again',
        );
        expect(r.changes).toEqual([]);
        expect(r.vm.calls.some((c) => c.includes('qemu-monitor-command'))).toBe(false);
      });
    });

    it('defensively, builds no step from qemu-img info -U even where a finding is not marked unproven', () => {
      const { dir, image } = setup([{ name: 'bk.1' }, { name: 'stray' }]);
      const list = entries(
        [
          ['bk.1', undefined],
          ['bk.2', 'bk.1'],
        ],
        image,
      );
      const vm = backupVm(list);
      const report = bitmapVerdicts(list, matchImages(vm.disks, [infoOf(image, dir)]), {
        running: true,
      });
      expect(report.disks[0]?.evidence).toBe('qemu-img -U');
      // As a report that did not mark them would read.
      for (const cell of report.rows[1]?.cells ?? []) {
        delete cell.unproven;
        cell.verdict = 'missing';
      }
      for (const orphan of report.orphans) delete orphan.unproven;
      const script = repairScript(report, { domain: VM });
      expect(script).not.toMatch(/^act /m);
      const r = run('dash', script, { state: 'running', checkpoints: ['bk.1', 'bk.2'] }, [
        '--apply',
      ]);
      expect(r.out).toContain(
        'Not planned: deleting checkpoint bk.2: the images of the running VM were read with qemu-img info -U',
      );
      expect(r.out).toContain('Not planned: removing bitmap stray: the images of the running VM');
      expect(r.changes).toEqual([]);
      expect(bitmapNames(image)).toEqual(['bk.1', 'stray']);
    });

    it("keeps each disk's readiness base, though another disk refuses it: one backup job still starts from them", () => {
      // vda is ok since bk.2 (bk.1 disabled there), vdb since bk.1 (bk.2 disabled there): libvirt
      // 9.0 takes one backup job, vda incremental='bk.2', vdb incremental='bk.1'. bk.3 is refused
      // on both and rests under no disk's readiness: it goes.
      const dir = join(d.dir, `case-${++runs}`);
      mkdirSync(dir);
      const vda = createImage(join(dir, 'vda.qcow2'));
      const vdb = createImage(join(dir, 'vdb.qcow2'));
      addBitmap(vda, 'bk.1', { disable: true });
      addBitmap(vda, 'bk.2');
      addBitmap(vda, 'bk.3', { disable: true });
      addBitmap(vdb, 'bk.1');
      addBitmap(vdb, 'bk.2', { disable: true });
      addBitmap(vdb, 'bk.3', { disable: true });
      const disks = [
        { target: 'vda', source: vda },
        { target: 'vdb', source: vdb },
      ];
      const list = writeChain(dir, 'apart', disks, ['bk.1', 'bk.2', 'bk.3']);
      const vm = backupVm(list);
      const report = bitmapVerdicts(
        list,
        matchImages(vm.disks, [imageInfoOf(imageInfo(vda) + imageInfo(vdb))]),
        { vm: 'apart' },
      );
      expect(backupReadiness(report).vm.line).toBe(
        'apart: one backup job: vda incremental since bk.2, vdb since bk.1',
      );
      const script = repairScript(report, { uuid: UUID });
      const state = { name: 'apart', checkpoints: ['bk.1', 'bk.2', 'bk.3'], disks };
      const dry = run('dash', script, state);
      expect(dry.err).toBe('');
      expect(dry.out).toContain(
        "Kept: checkpoint bk.1, though libvirt refuses it on vda: vdb's incremental since bk.1 rests on it",
      );
      expect(dry.out).toContain(
        "Kept: checkpoint bk.2, though libvirt refuses it on vdb: vda's incremental since bk.2 rests on it",
      );
      const applied = run('dash', script, state, ['--apply']);
      expect(applied.err).toBe('');
      expect(applied.status).toBe(0);
      expect(applied.changes).toEqual([
        ['checkpoint-delete', '--domain', 'apart', '--checkpointname', 'bk.3', '--metadata'],
      ]);
      expect(applied.vm.checkpoints).toEqual(['bk.1', 'bk.2']);
      expect(bitmapNames(vda)).toEqual(['bk.1', 'bk.2']);
      expect(bitmapNames(vdb)).toEqual(['bk.1', 'bk.2']);
      // Made again from what is left: no step, and its header says what it keeps.
      const left = writeChain(dir, 'apart', disks, ['bk.1', 'bk.2']);
      const keeps = repairScript(
        bitmapVerdicts(
          left,
          matchImages(backupVm(left).disks, [imageInfoOf(imageInfo(vda) + imageInfo(vdb))]),
          { vm: 'apart' },
        ),
        { uuid: UUID },
      );
      const kept = run('dash', keeps, { ...state, checkpoints: ['bk.1', 'bk.2'] });
      expect(kept.err).toBe('');
      expect(kept.out).toContain(
        'Plan for VM apart: no step; it keeps checkpoints bk.1, bk.2 (why below)\n',
      );
      expect(kept.out).not.toContain('nothing to repair');
    });

    describe('the redefine script', () => {
      const { dir, image } = setup([{ name: 'bk.1' }, { name: 'bk.2' }]);
      const list = entries(
        [
          ['bk.1', undefined],
          ['bk.2', 'bk.1'],
        ],
        image,
      );
      for (const e of list)
        writeFileSync(
          join(dir, e.file),
          checkpointXml(e.checkpoint.name as string, e.checkpoint.parent, image),
        );
      const forest = buildForest(list);
      const vmDef = { uuid: UUID, disks: backupVm(list).disks };
      const script = redefineScript(forest, { vm: vmDef });
      const validating = redefineScript(forest, { vm: vmDef, validate: true });
      const vm = { disks: [{ target: 'vda', source: image }] };
      const created = (r: Run) => r.changes.map((c) => c[4]);

      it.each(SHELLS)(
        '%s: dry run, then --apply parents first, then a rerun that has nothing to do',
        (shell) => {
          const dry = run(shell, script, vm, [], dir);
          expect(dry.err).toBe('');
          expect(dry.out).toContain('[to do] redefine checkpoint bk.1 from bk.1.xml');
          expect(dry.changes).toEqual([]);
          const applied = run(shell, script, vm, ['--apply'], dir);
          expect(applied.err).toBe('');
          expect(created(applied)).toEqual(['bk.1.xml', 'bk.2.xml']);
          const again = run(shell, script, applied.vm, ['--apply'], dir);
          expect(again.out).toContain('[already done] redefine checkpoint bk.2');
          expect(again.changes).toEqual([]);
        },
      );

      it('stopped by libvirt at a checkpoint, a rerun finishes from there', () => {
        const failed = run(
          'dash',
          script,
          { ...vm, failNext: 'checkpoint-create' },
          ['--apply'],
          dir,
        );
        expect(failed.status).toBe(1);
        expect(failed.err).toContain('Stopped at checkpoint bk.1 (file bk.1.xml)');
        const half = run('dash', script, { ...vm, checkpoints: ['bk.1'] }, ['--apply'], dir);
        expect(created(half)).toEqual(['bk.2.xml']);
        const wrong = run('dash', script, { ...vm, checkpoints: ['bk.2'] }, ['--apply'], dir);
        expect(wrong.err).toContain('partly done, but not as a run of this script leaves it');
        expect(wrong.changes).toEqual([]);
      });

      it.each([
        ['a bitmap is gone', {}, 'bitmap bk.2 in', 'gone now, but the plan relies on auto'],
        [
          'the VM runs (qemu-img cannot read its images)',
          { state: 'running' },
          'is running, but the plan needs it shut off',
          '',
        ],
        [
          'the image was replaced',
          { disks: [{ target: 'vda', source: '/elsewhere.qcow2' }] },
          'disk vda: its image is now /elsewhere.qcow2',
          '',
        ],
        [
          'the uuid differs',
          { uuid: '11111111-2222-3333-4444-555555555555' },
          'but the plan was made for uuid',
          '',
        ],
      ])('refused, changing nothing, when %s', (what, change, reason, more) => {
        const copy = join(dir, 'copy.qcow2');
        qemuImg('convert', '-O', 'qcow2', '--bitmaps', image, copy);
        if (what === 'a bitmap is gone') qemuImg('bitmap', '--remove', '-f', 'qcow2', copy, 'bk.2');
        const s = redefineScript(forest, {
          vm: { uuid: UUID, disks: [{ ...vmDef.disks[0]!, source: copy }] },
        });
        for (const shell of SHELLS) {
          const r = run(
            shell,
            s,
            { disks: [{ target: 'vda', source: copy }], ...change },
            ['--apply'],
            dir,
          );
          expect(r.status).toBe(1);
          expect(r.err).toContain(reason);
          expect(r.err).toContain(more);
          expect(r.changes).toEqual([]);
        }
      });

      it('--redefine-validate needs the VM running, and says so', () => {
        const off = run('dash', validating, vm, ['--apply'], dir);
        expect(off.status).toBe(1);
        expect(off.err).toContain(
          'is shut off, but the plan needs it running: libvirt checks the bitmaps of --redefine-validate in the running VM',
        );
        expect(off.changes).toEqual([]);
        const on = run('dash', validating, { ...vm, state: 'running' }, ['--apply'], dir);
        expect(on.err).toBe('');
        expect(on.changes.map((c) => c.slice(-2))).toEqual([
          ['--redefine', '--redefine-validate'],
          ['--redefine', '--redefine-validate'],
        ]);
      });
    });

    it('bitmap names are matched whole: bk.20 and bk.2x are not bk.2', () => {
      const { dir, image } = setup([{ name: 'bk.1' }, { name: 'bk.20' }, { name: 'bk.2x' }]);
      const list = entries(
        [
          ['bk.1', undefined],
          ['bk.2', 'bk.1'],
        ],
        image,
      );
      const script = repair(list, infoOf(image, dir));
      const vm = { checkpoints: ['bk.1', 'bk.2'], disks: [{ target: 'vda', source: image }] };
      const r = run('dash', script, vm, ['--apply']);
      expect(r.err).toBe('');
      expect(r.out).toContain('[to do] delete checkpoint bk.2');
      expect(r.vm.checkpoints).toEqual(['bk.1']);
      expect(bitmapNames(image)).toEqual(['bk.1']);
    });

    it('the CLI writes the same repair script: check --repair-script, the lines on stderr', async () => {
      const { dir, image } = setup([{ name: 'bk.1' }, { name: 'bk.2', disable: true }]);
      const list = entries(
        [
          ['bk.1', undefined],
          ['bk.2', 'bk.1'],
        ],
        image,
      );
      for (const e of list)
        writeFileSync(
          join(dir, e.file),
          checkpointXml(e.checkpoint.name as string, e.checkpoint.parent, image),
        );
      const json = qemuImg('info', '--output=json', '--backing-chain', image);
      writeFileSync(join(dir, 'images.json'), json);
      const cli = await runMain('check', '--repair-script', dir);
      expect(cli.err).toContain('bk.2: vda disabled');
      expect(cli.out).toMatch(/^#!\/bin\/sh\n/);
      expect(cli.out.match(/^act .*$/gm)).toEqual([
        `act 1 qemu-img bitmap --remove -f qcow2 -- '${image.replace(/'/g, "'\\''")}' bk.2`,
        'act 2 run_virsh checkpoint-delete --domain "$DOMAIN" --checkpointname bk.2 --metadata',
      ]);
      const both = await runMain('check', '--repair-script', '--backup-xml', dir);
      expect(both.code).toBe(2);
      expect(both.err).toContain('--backup-xml and --repair-script exclude each other');
    });

    it('a bitmap name is matched whole, as real qemu-img writes it in JSON', () => {
      const names = ['bk.1', 'bk.10', 'a"b\\c\té日😀\u202ex', 'x/y'];
      const { image } = setup(names.map((name) => ({ name })));
      const json = qemuImg('info', '--output=json', '-f', 'qcow2', image);
      for (const name of names) expect(json).toContain(`"name": ${qemuJsonString(name)}`);
    });
  });
}
