// The repair script of a large report is written in a core worker from the packed report: the
// same bytes as written on the page, and the same report on the other side.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BitmapReport, ForestEntry, ScriptReport } from '../../src/core/index.ts';
import {
  backupVm,
  bitmapVerdicts,
  matchImages,
  packScriptReport,
  repairScript,
  scriptExcerpt,
  unpackScriptReport,
} from '../../src/core/index.ts';
import type { CoreWorkerLike } from '../../src/workers/index.ts';
import { createCorePool } from '../../src/workers/index.ts';
import type { ToCoreWorker } from '../../src/workers/core-messages.ts';
import { runCoreTask } from '../../src/workers/core-tasks.ts';
import { createLargeTextReader, postWithLargeTexts } from '../../src/workers/large-text.ts';
import type { Qcow2Bitmap, VmDisk } from '../images/scenario.ts';
import { imageInfoOf, qcow2Info, writeChain } from '../images/scenario.ts';

type Listener = (event: Event) => void;

/** A core worker on this thread that reads and answers as core-worker.ts does, behind clones. */
class ClonedWorker implements CoreWorkerLike {
  private listeners: Listener[] = [];
  private read = createLargeTextReader();
  addEventListener(type: string, listener: Listener): void {
    if (type === 'message') this.listeners.push(listener);
  }
  postMessage(message: ToCoreWorker): void {
    const request = this.read(structuredClone(message)) as ToCoreWorker | undefined;
    if (!request) return;
    void runCoreTask(request.task).then((result) =>
      postWithLargeTexts(
        (m) => {
          const event = new MessageEvent('message', { data: structuredClone(m) });
          for (const l of this.listeners) l(event);
        },
        { id: request.id, ok: true, result },
      ),
    );
  }
  terminate(): void {}
}

const dir = mkdtempSync(join(tmpdir(), 'repair-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DISKS: VmDisk[] = [
  { target: 'vda', source: '/var/lib/libvirt/images/vda.qcow2' },
  { target: 'vdb', source: '/var/lib/libvirt/images/vdb.qcow2' },
];
const CHECKPOINTS = ['bk.1', 'bk.2', 'bk.3', 'bk.4', 'bk.5'];
const STRAYS = 3_000;

const bitmap = (name: string, flags = ['auto']): Qcow2Bitmap => ({ name, flags });
const layer = (filename: string, bitmaps: Qcow2Bitmap[], backing?: string) =>
  qcow2Info(filename, bitmaps, {
    'virtual-size': 1073741824,
    ...(backing ? { 'backing-filename': backing } : {}),
  });

/**
 * web01 with two disks: vda's chain of three images, where bk.2 has a gap, bk.3 is disabled, bk.4
 * in-use, a bitmap sits in the base image only, and 3,000 strays sit in the top image and 100 in
 * the base; vdb holds bk.1-bk.5 and strays of its own.
 */
function report(running: boolean): BitmapReport {
  const entries: ForestEntry[] = writeChain(dir, 'web01', DISKS, CHECKPOINTS);
  const strays = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => bitmap(`${prefix}.${i}`));
  const vda = imageInfoOf(
    JSON.stringify([
      layer(
        'vda.qcow2',
        [
          bitmap('bk.1'),
          bitmap('bk.2'),
          bitmap('bk.3', []),
          bitmap('bk.4', ['in-use', 'auto']),
          bitmap('bk.5'),
          ...strays('stray', STRAYS),
        ],
        'vda.mid.qcow2',
      ),
      layer('vda.mid.qcow2', [bitmap('bk.1')], 'vda.base.qcow2'),
      layer('vda.base.qcow2', [
        bitmap('bk.1'),
        bitmap('bk.2'),
        bitmap('only.in.base'),
        ...strays('old', 100),
      ]),
    ]),
    'vda.json',
  );
  const vdb = imageInfoOf(
    JSON.stringify(
      layer('vdb.qcow2', [...CHECKPOINTS.map((n) => bitmap(n)), ...strays('vdb-stray', 50)]),
    ),
    'vdb.json',
  );
  const vm = backupVm(entries);
  return bitmapVerdicts(entries, matchImages(vm.disks, [vda, vdb]), {
    running,
    currentDefinition: true,
    vm: 'web01',
  });
}

const OPTIONS = { domain: 'web01', uuid: '9e1c7d0a-3b2f-4c5d-8e6f-7a8b9c0d1e2f' };

describe('the repair script of a large report, written in a worker', () => {
  const shutOff = report(false);

  it('has what the test needs: broken checkpoints of each kind, strays in two images', () => {
    const verdicts = new Set(shutOff.rows.flatMap((r) => r.cells.map((c) => c.verdict)));
    expect([...verdicts].sort()).toEqual(['disabled', 'gap', 'in-use', 'ok']);
    expect(shutOff.orphans.length).toBe(STRAYS + 1 + 100 + 50);
    expect(new Set(shutOff.orphans.map((o) => o.image.filename)).size).toBe(3);
  });

  it('gets the report back whole from its packed form, each image one object again', () => {
    // Each stray compared by its image's name: compared whole, each would compare its image's
    // 3,000 bitmaps again (the images themselves are compared once, under the disks).
    const strays = (r: ScriptReport) => r.orphans.map((o) => ({ ...o, image: o.image.filename }));
    for (const running of [false, true]) {
      const r = report(running);
      const { problems, orphans, ...rest } = r;
      if (!running) expect(problems.length).toBeGreaterThan(STRAYS);
      const back = unpackScriptReport(structuredClone(packScriptReport(r)));
      expect({ ...back, orphans: [] }).toEqual({ ...rest, orphans: [] });
      expect(strays(back)).toEqual(strays({ ...rest, orphans }));
      const layers = new Set(back.disks.flatMap((d) => d.layers));
      expect(
        back.orphans.every((o) => layers.has(o.image) && o.image.bitmaps.includes(o.bitmap)),
      ).toBe(true);
      const top = back.disks[0]?.layers[0];
      const gap = back.rows[1]?.cells[0]?.chain;
      expect(gap?.verdict === 'gap' && gap.above).toBe(top);
    }
  });

  it('writes the same bytes as the page did, shut off and running', async () => {
    const pool = createCorePool({ size: 1, createWorker: () => new ClonedWorker() });
    for (const running of [false, true]) {
      const r = report(running);
      const direct = repairScript(r, OPTIONS);
      const written = await pool.run({
        kind: 'repair-script',
        report: packScriptReport(r),
        options: OPTIONS,
        lines: 500,
      });
      const bytes = Buffer.from(await written.script.arrayBuffer());
      expect(bytes.toString()).toBe(direct);
      expect(bytes.equals(Buffer.from(direct))).toBe(true);
      expect(written.excerpt).toEqual(scriptExcerpt(direct, 500));
    }
    pool.close();
  });

  it("shows the script's first lines and its plan's, which starts after a check per action", () => {
    const script = repairScript(shutOff, OPTIONS);
    const { head, plan, lines, length } = scriptExcerpt(script, 500);
    expect(head.split('\n')).toHaveLength(501);
    expect(script.startsWith(head)).toBe(true);
    expect(length).toBe(script.length);
    expect(lines).toBe(script.split('\n').length - 1);
    const planLine = script.split('\n').findIndex((l) => l.startsWith("printf 'Plan for VM "));
    expect(plan?.line).toBe(planLine + 1);
    expect(plan?.text.split('\n')[0]).toBe(
      `printf 'Plan for VM %s: %s\\n' "$DOMAIN" '${STRAYS + 1 + 100 + 50 + 3} steps'`,
    );
    expect(plan?.text.split('\n')).toHaveLength(501);
  });
});
