import type { CoreTask, CoreTaskResult } from './core-tasks.ts';
import type { FromCoreWorker, ToCoreWorker } from './core-messages.ts';
import { isFromCoreWorker } from './core-messages.ts';

/** The part of a Worker the pool uses; a real Worker is one. */
export interface CoreWorkerLike {
  postMessage(message: ToCoreWorker): void;
  addEventListener(
    type: 'message' | 'messageerror' | 'error',
    listener: (event: Event) => void,
  ): void;
  terminate(): void;
}

export interface CorePoolOptions {
  /** Workers at most; by default one per core, at least one and at most four. */
  size?: number;
  /** Files per request: small enough for steady progress, large enough to keep messages few. */
  chunkSize?: number;
  /** A request that takes longer is given up: its worker ends and the page does the work itself. */
  timeoutMs?: number;
  /** Starts a worker; undefined where there are none (Node, tests): the work then runs here, in chunks. */
  createWorker?: (() => CoreWorkerLike) | undefined;
}

/** Progress of one job: files done out of all. */
export type OnProgress = (done: number, total: number) => void;

/** Core's work over many files, spread over workers so that the page never stops for it. */
export interface CorePool {
  run<K extends CoreTask['kind']>(
    task: Extract<CoreTask, { kind: K }>,
    onProgress?: OnProgress,
  ): Promise<CoreTaskResult[K]>;
  /** Starts the workers now, so that the first files do not wait for them. */
  warm(): void;
  close(): void;
}

export const DEFAULT_CHUNK_SIZE = 250;
export const DEFAULT_CORE_TIMEOUT_MS = 120_000;

function startCoreWorker(): CoreWorkerLike {
  return new Worker(new URL('./core-worker.ts', import.meta.url), {
    type: 'module',
    name: 'checkpoint-core',
  });
}

function defaultSize(): number {
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  return Math.max(1, Math.min(4, cores));
}

/** Lets the page paint and take input between chunks done here rather than in a worker. */
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The work itself, loaded only when the page has to do it (no workers, or one failed). */
async function runHere<T extends CoreTask>(task: T): Promise<CoreTaskResult[T['kind']]> {
  const { runCoreTask } = await import('./core-tasks.ts');
  return runCoreTask(task);
}

/** The answer for a chunk no worker could finish: each file says why. */
function failedChunk<T extends CoreTask>(task: T, failure: string): CoreTaskResult[T['kind']] {
  type R = CoreTaskResult[T['kind']];
  const message = `the check of this file in a worker failed: ${failure}`;
  const problem = { code: 'worker-failed', severity: 'error' as const, message };
  switch (task.kind) {
    case 'open':
      return task.files.map((f) => ({ fileName: f.fileName, skipped: message })) as R;
    case 'check':
      return task.files.map((f) => ({ problems: [{ ...problem, file: f.fileName }] })) as R;
    case 'format':
      return task.files.map((f) => ({
        fileName: f.fileName,
        problems: [{ ...problem, file: f.fileName }],
      })) as R;
    case 'zip':
      throw new Error(`the zip could not be written: ${failure}`);
  }
}

interface Slot {
  worker: CoreWorkerLike;
  pending?: { id: number; settle: (reply: FromCoreWorker | Error) => void };
}

/**
 * A pool of module workers that run core (read, libvirt's rules, format, zip) over chunks of
 * files, with request ids and a timeout per chunk. A chunk whose worker fails or times out is done
 * on the page instead, so the answer is always complete.
 */
export function createCorePool(options: CorePoolOptions = {}): CorePool {
  const size = options.size ?? defaultSize();
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CORE_TIMEOUT_MS;
  const createWorker =
    'createWorker' in options
      ? options.createWorker
      : typeof Worker === 'undefined'
        ? undefined
        : startCoreWorker;
  const slots: Slot[] = [];
  const idle: Slot[] = [];
  const waiting: ((slot: Slot | undefined) => void)[] = [];
  let nextId = 1;
  let closed = false;

  const retire = (slot: Slot) => {
    slot.worker.terminate();
    slots.splice(slots.indexOf(slot), 1);
    const i = idle.indexOf(slot);
    if (i >= 0) idle.splice(i, 1);
  };

  const spawn = (): Slot | undefined => {
    if (!createWorker) return undefined;
    let worker: CoreWorkerLike;
    try {
      worker = createWorker();
    } catch {
      return undefined;
    }
    const slot: Slot = { worker };
    const fail = (message: string) => {
      const pending = slot.pending;
      retire(slot);
      pending?.settle(new Error(message));
    };
    worker.addEventListener('message', (event) => {
      const data = (event as MessageEvent<unknown>).data;
      if (isFromCoreWorker(data) && data.id === slot.pending?.id) slot.pending.settle(data);
    });
    worker.addEventListener('messageerror', () => fail('unreadable answer'));
    worker.addEventListener('error', (event) =>
      fail((event as Partial<ErrorEvent>).message || 'the worker failed'),
    );
    slots.push(slot);
    return slot;
  };

  /** An idle worker, a new one while the pool has room, or the next to come free. */
  const acquire = (): Promise<Slot | undefined> => {
    const free = idle.pop();
    if (free) return Promise.resolve(free);
    if (slots.length < size) {
      const slot = spawn();
      if (slot || slots.length === 0) return Promise.resolve(slot);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };

  const release = (slot: Slot) => {
    if (!slots.includes(slot)) {
      // It was retired: whoever waits gets a new worker, or the page.
      waiting.shift()?.(slots.length < size ? spawn() : undefined);
      return;
    }
    const next = waiting.shift();
    if (next) next(slot);
    else idle.push(slot);
  };

  const inWorker = <T extends CoreTask>(slot: Slot, task: T): Promise<CoreTaskResult[T['kind']]> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        const pending = slot.pending;
        retire(slot);
        pending?.settle(new Error(`no answer in ${timeoutMs / 1000} s`));
      }, timeoutMs);
      slot.pending = {
        id,
        settle: (reply) => {
          clearTimeout(timer);
          slot.pending = undefined;
          if (reply instanceof Error) reject(reply);
          else if (reply.ok) resolve(reply.result as CoreTaskResult[T['kind']]);
          else reject(new Error(reply.message));
        },
      };
      try {
        slot.worker.postMessage({ id, task });
      } catch (e) {
        slot.pending.settle(e as Error);
      }
    });

  const runChunk = async <T extends CoreTask>(task: T): Promise<CoreTaskResult[T['kind']]> => {
    let failure = '';
    // A worker that fails or hangs is replaced and the chunk tried once more; a chunk that fails
    // twice is not run on the page, where it could hang or crash the page itself.
    for (let attempt = 0; attempt < 2; attempt++) {
      const slot = closed ? undefined : await acquire();
      if (!slot) break;
      try {
        return await inWorker(slot, task);
      } catch (e) {
        failure = (e as Error).message;
      } finally {
        release(slot);
      }
    }
    if (failure) return failedChunk(task, failure);
    // No workers here (Node, tests, a browser without them): the page does the work, a chunk at a time.
    await yieldToPage();
    return runHere(task);
  };

  return {
    async run(task, onProgress) {
      type K = typeof task.kind;
      if (task.kind === 'zip') return runChunk(task) as Promise<CoreTaskResult[K]>;
      const total = task.files.length;
      const chunks: CoreTask[] = [];
      for (let i = 0; i < total; i += chunkSize) {
        chunks.push({ ...task, files: task.files.slice(i, i + chunkSize) } as CoreTask);
      }
      let done = 0;
      onProgress?.(0, total);
      const parts = await Promise.all(
        chunks.map(async (chunk) => {
          const part = (await runChunk(chunk)) as unknown[];
          done += chunk.files.length;
          onProgress?.(done, total);
          return part;
        }),
      );
      return parts.flat() as CoreTaskResult[K];
    },
    warm() {
      while (!closed && slots.length < size) {
        const slot = spawn();
        if (!slot) break;
        // Loading core in the worker is the slow part of its start; an empty chunk makes it happen.
        void inWorker(slot, { kind: 'check', files: [], rules: { profile: 'strict' } }).then(
          () => release(slot),
          () => release(slot),
        );
      }
    },
    close() {
      closed = true;
      for (const slot of [...slots]) {
        slot.pending?.settle(new Error('the pool is closed'));
        retire(slot);
      }
      for (const w of waiting.splice(0)) w(undefined);
    },
  };
}
