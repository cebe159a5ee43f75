import { describe, expect, it } from 'vitest';
import type { BytesFile, ReadOutcome, RuleSet } from '../core/index.ts';
import { openFile } from '../core/index.ts';
import { backupFolder } from '../samples/index.ts';
import type { CorePool } from '../workers/index.ts';
import { createEditorStore, openFiles } from './index.ts';

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A core pool whose answers to 'open' come when the test says, each a chunk's outcomes. */
function heldPool() {
  const held: (() => void)[] = [];
  const pool = {
    warm() {},
    close() {},
    run(task: { kind: string; files: BytesFile[]; rules: RuleSet }) {
      if (task.kind !== 'open') return Promise.reject(new Error(`not here: ${task.kind}`));
      return new Promise<ReadOutcome[]>((resolve) =>
        held.push(() => resolve(task.files.map((f) => openFile(f, task.rules)))),
      );
    },
  };
  return { pool: pool as unknown as CorePool, held };
}

describe('an open of a folder', () => {
  it("grows the tree in a task of its own, not in the one that takes in a chunk's answer", async () => {
    const { pool, held } = heldPool();
    const store = createEditorStore({ createCorePool: () => pool });
    const files = backupFolder(120).map((c) => new File([c.contents], c.fileName));
    const opening = openFiles(store, files);
    while (held.length === 0) await nextTask();
    // The first chunk's answer comes: the page takes it in, and what follows in its microtasks.
    held.shift()?.();
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(store.getState().documentOrder).toHaveLength(0);
    await nextTask();
    expect(store.getState().documentOrder.length).toBeGreaterThan(0);
    let finished = false;
    void opening.then(() => (finished = true));
    while (!finished) {
      held.shift()?.();
      await nextTask();
    }
    expect(store.getState().documentOrder).toHaveLength(120);
  });
});
