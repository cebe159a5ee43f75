// Disk images' descriptions cross from the core worker packed (their bitmaps as columns) and are
// objects again on the page a step at a time: the same descriptions as read on the page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImageInfo } from '../../src/core/index.ts';
import { readImageInfo, unpackImageInfo } from '../../src/core/index.ts';
import { runCoreTask } from '../../src/workers/core-tasks.ts';

const QMP = readFileSync(join(import.meta.dirname, '../images/fixtures/web02/qmp.json'), 'utf8');

/** qemu-img info --backing-chain of a top image with `n` bitmaps over a base with two. */
function qemuImg(n: number): string {
  const flags = (i: number) => [['auto'], ['in-use', 'auto'], [], ['in-use']][i % 4];
  const top = Array.from({ length: n }, (_, i) => ({
    name: i % 5 === 0 ? `bk.${i}` : `stray-é-${i}`,
    flags: flags(i),
    ...(i % 3 === 0 ? {} : { granularity: 65536 * (1 + (i % 7)) }),
  }));
  const image = (filename: string, bitmaps: unknown[], backing?: string) => ({
    filename,
    format: 'qcow2',
    ...(backing ? { 'backing-filename': backing } : {}),
    'format-specific': { type: 'qcow2', data: { compat: '1.1', corrupt: false, bitmaps } },
  });
  return JSON.stringify(
    [
      image('/images/vda.top.qcow2', top, '/images/vda.base.qcow2'),
      image('/images/vda.base.qcow2', [{ name: 'bk.0', flags: ['auto'], granularity: 65536 }]),
    ],
    null,
    2,
  );
}

/** What the page gets: the worker's answer, cloned as postMessage does, unpacked `step` at a time. */
async function throughWorker(
  text: string,
  step: number,
): Promise<{ info: ImageInfo | undefined; pauses: number }> {
  const answer = structuredClone(
    await runCoreTask({ kind: 'images', files: [{ fileName: 'vda.json', text }] }),
  );
  const [read] = answer;
  if (!read?.ok) return { info: undefined, pauses: 0 };
  let pauses = 0;
  const info = await unpackImageInfo(read.value, step, async () => {
    pauses++;
  });
  return { info, pauses };
}

describe("disk images' descriptions from the core worker", () => {
  it('are packed: no bitmap crosses as an object', async () => {
    const [read] = await runCoreTask({
      kind: 'images',
      files: [{ fileName: 'vda.json', text: qemuImg(10) }],
    });
    expect(read?.ok).toBe(true);
    const layer = read?.ok ? read.value.layers[0] : undefined;
    expect(layer?.bitmaps.nameLengths).toBeInstanceOf(Uint32Array);
    expect(layer?.bitmaps.nameLengths.length).toBe(10);
  });

  it.each([
    ['qemu-img, 1,000 bitmaps over a base', qemuImg(1_000), 64],
    ['qemu-img, step larger than the bitmaps', qemuImg(7), 1_000],
    ['QMP of a running VM (count, busy, recording, inconsistent)', QMP, 2],
  ])('unpack to what the page reads itself: %s', async (_, text, step) => {
    const expected = readImageInfo(text, 'vda.json');
    expect(expected.ok).toBe(true);
    const { info, pauses } = await throughWorker(text, step);
    expect(info).toEqual(expected.ok ? expected.value : undefined);
    const count = expected.ok ? expected.value.layers.reduce((n, l) => n + l.bitmaps.length, 0) : 0;
    expect(count).toBeGreaterThan(0);
    // A pause after each full step of bitmaps, none after the last.
    expect(pauses).toBe(Math.ceil(count / step) - 1);
  });

  it('gives a refused file back as it is, with its line', async () => {
    const [read] = await runCoreTask({
      kind: 'images',
      files: [{ fileName: 'vda.json', text: '{"filename": 3,\n "format": []}' }],
    });
    expect(read).toEqual(readImageInfo('{"filename": 3,\n "format": []}', 'vda.json'));
    expect(read?.ok).toBe(false);
  });
});
