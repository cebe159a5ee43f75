import { describe, expect, it } from 'vitest';
import type { CorePool } from '../workers/index.ts';
import { createCorePool } from '../workers/index.ts';
import type { EditorState, SchemaValidator } from './index.ts';
import { EXAMPLE_CHAIN } from '../samples/index.ts';
import {
  createEditorStore,
  resetEditorStore,
  setDescription,
  startSchemaValidation,
} from './index.ts';

const TARGET = `<domain><name>web01</name><uuid>4b6f8a3e-2d1c-4e5f-9a7b-3c2d1e0f9a8b</uuid><devices><disk><source file='/x'/><target dev='vda'/></disk></devices></domain>`;

/** The state without its actions: what a store holds. */
const dataOf = (s: EditorState) =>
  Object.fromEntries(Object.entries(s).filter(([, v]) => typeof v !== 'function'));

/** A core pool that remembers whether it was closed. */
function closingPool(): CorePool & { closed: boolean } {
  const pool = createCorePool({ createWorker: undefined });
  return Object.assign(pool, {
    closed: false,
    close() {
      this.closed = true;
    },
  });
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the editor store', () => {
  it('shares nothing with another store: documents, chain, targets, workers', () => {
    const a = createEditorStore();
    const b = createEditorStore();
    a.getState().openDocuments(EXAMPLE_CHAIN, 'file');
    a.getState().loadTarget('vm.xml', TARGET);
    expect(b.getState().documentOrder).toEqual([]);
    expect(b.getState().rows).toEqual([]);
    expect(a.getState().rows).toHaveLength(3);
    expect(a.services.corePool()).not.toBe(b.services.corePool());
    b.getState().loadTarget('vm.xml', TARGET);
    expect(b.getState().target?.generation).toBe(1);
    a.getState().loadTarget('vm.xml', TARGET);
    expect(a.getState().target?.generation).toBe(2);
  });

  it('starts clean after a reset: state, history, workers, validator, jobs, saves', async () => {
    const pools: ReturnType<typeof closingPool>[] = [];
    const store = createEditorStore({
      createCorePool: () => {
        const pool = closingPool();
        pools.push(pool);
        return pool;
      },
    });
    const fresh = dataOf(createEditorStore().getState());

    const [id] = store.getState().openDocuments(EXAMPLE_CHAIN, 'file');
    store.getState().editCheckpoint(id as string, setDescription('edited'));
    store.getState().loadTarget('vm.xml', TARGET);
    store.getState().setProfile('allow-no-domain');
    store.services.corePool();
    let validated = 0;
    let closed = false;
    const validator: SchemaValidator = {
      validate: async (files) => {
        validated++;
        return files.map((f) => ({ fileName: f.fileName, valid: true, problems: [] }));
      },
      close: () => {
        closed = true;
      },
    };
    store.services.useValidator(validator);
    store.getState().setSchemaSet({ label: 'test', status: 'ready' }, true);
    await startSchemaValidation(store, () => store.services.validator(), 0).flush();
    expect(validated).toBe(1);
    store.services.written.oldLayoutKept = false;

    resetEditorStore(store);

    expect(dataOf(store.getState())).toEqual(fresh);
    expect(store.temporal.getState().pastStates).toEqual([]);
    expect(pools[0]?.closed).toBe(true);
    expect(store.services.corePool()).not.toBe(pools[0]);
    expect(closed).toBe(true);
    expect(store.services.validator()).toBeUndefined();
    expect(store.services.written).toEqual({
      documents: new Map(),
      session: undefined,
      refused: new Map(),
      oldLayoutKept: true,
      identities: { ids: expect.any(WeakMap), next: 0 },
    });
    // The validation job of before the reset is stopped: new documents do not reach it.
    store.getState().openDocuments(EXAMPLE_CHAIN, 'file');
    await tick();
    expect(validated).toBe(1);
    // The next target counts from the start again.
    store.getState().loadTarget('vm.xml', TARGET);
    expect(store.getState().target?.generation).toBe(1);
  });
});
