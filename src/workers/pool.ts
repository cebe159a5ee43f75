import { seconds } from '../core/duration.ts';
import { createLargeTextReader, packLargeTexts } from './large-text.ts';

/** Lets the page run other tasks (paint, input) before going on. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * How long a request may go without an answer, for every worker of the page: then its worker is
 * ended (a runaway schema, file or wasm loop) and the request fails, never the page.
 */
export const WORKER_TIMEOUT_MS = 30_000;

/** The part of a Worker the pool uses; a real Worker is one. */
export interface WorkerLike<In> {
  postMessage(message: In, transfer?: Transferable[]): void;
  addEventListener(
    type: 'message' | 'messageerror' | 'error',
    listener: (event: Event) => void,
  ): void;
  terminate(): void;
}

/** A worker's answer to one request, as the protocol reads it off a message. */
export type WorkerAnswer<Res> =
  { id: number; ok: true; result: Res } | { id: number; ok: false; message: string };

/** How one kind of worker talks: the messages it takes and the answers it gives, typed. */
export interface WorkerProtocol<Req, Res, In> {
  /** Sent once to each new worker, before any request (what it keeps for every request). */
  init?: () => In;
  /** A request as the message the worker takes, under its id; made once a worker is free for it. */
  request(id: number, request: Req): In;
  /** What of that message is handed over rather than copied (when run() was given nothing). */
  transfer?(message: In): Transferable[];
  /** The answer a message from the worker carries, or undefined when it is none. */
  answer(data: unknown): WorkerAnswer<Res> | undefined;
}

/**
 * Why a request got no answer: it took longer than the timeout (the worker was ended), the
 * worker crashed or sent what cannot be read, it refused the request, no worker could be
 * reached, or the pool was closed.
 */
export type WorkerFailureKind =
  'timeout' | 'crashed' | 'unreadable' | 'refused' | 'unreachable' | 'closed';

export class WorkerFailure extends Error {
  constructor(
    readonly kind: WorkerFailureKind,
    message: string,
    /** What the worker or the browser said, when anything: the error event's message, the exception. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export interface WorkerPoolOptions<Req, Res, In> {
  protocol: WorkerProtocol<Req, Res, In>;
  /** Starts a worker; undefined where there are none (Node, tests without fakes). */
  createWorker: (() => WorkerLike<In>) | undefined;
  /** Workers at most. */
  size: number;
  /** A request with no answer this long ends its worker: nothing else stops a runaway loop. */
  timeoutMs: number;
  /** The time a request may take, when it is not `timeoutMs` (more for more work). */
  timeoutFor?: (request: Req) => number;
  /** Tries per request: a failed one is tried again in another (new) worker. */
  attempts?: number;
  /** A worker that refuses a request is ended too, not kept (it could not load what it needs). */
  endRefusing?: boolean;
  /** Does the work on the page where no worker can be started at all. */
  runHere?: (request: Req) => Promise<Res>;
}

export interface WorkerPool<Req, Res> {
  /** The answer to one request; rejects with a WorkerFailure. */
  run(request: Req, transfer?: Transferable[]): Promise<Res>;
  /** Starts the workers now, so that the first request does not wait for them; each gets `request`. */
  warm(request?: Req): void;
  close(): void;
}

interface Slot<In> {
  worker: WorkerLike<In>;
  /** Joins long texts of the worker's answers from their pieces. */
  read: (data: unknown) => unknown;
  pending?: { id: number; settle: (outcome: WorkerAnswer<unknown> | WorkerFailure) => void };
}

/**
 * Workers of one kind, each request under its own id with one timeout policy: a request without
 * an answer in time, or whose worker crashes, ends that worker, and the next request starts a new
 * one. Where no worker can start, the page does the work (`runHere`) or the request says why.
 */
export function createWorkerPool<Req, Res, In>(
  options: WorkerPoolOptions<Req, Res, In>,
): WorkerPool<Req, Res> {
  const { protocol, createWorker, size, timeoutMs } = options;
  const attempts = options.attempts ?? 1;
  const slots: Slot<In>[] = [];
  const idle: Slot<In>[] = [];
  const waiting: ((slot: Slot<In> | WorkerFailure) => void)[] = [];
  let nextId = 1;
  let closed = false;

  const retire = (slot: Slot<In>) => {
    slot.worker.terminate();
    const at = slots.indexOf(slot);
    if (at >= 0) slots.splice(at, 1);
    const i = idle.indexOf(slot);
    if (i >= 0) idle.splice(i, 1);
  };

  const fail = (slot: Slot<In>, failure: WorkerFailure) => {
    const pending = slot.pending;
    retire(slot);
    // A worker that never answered may not be alone: what stopped it (the worker closed itself,
    // the browser's memory) may have stopped the idle ones too, which would each time out in turn.
    if (failure.kind === 'timeout') for (const other of [...idle]) retire(other);
    pending?.settle(failure);
  };

  /** A new worker, or why none could start. */
  const spawn = (): Slot<In> | WorkerFailure => {
    if (!createWorker) return new WorkerFailure('unreachable', 'no workers here');
    let worker: WorkerLike<In>;
    try {
      worker = createWorker();
    } catch (e) {
      return new WorkerFailure('unreachable', (e as Error).message ?? String(e), String(e));
    }
    const slot: Slot<In> = { worker, read: createLargeTextReader() };
    worker.addEventListener('message', (event) => {
      const data = slot.read((event as MessageEvent<unknown>).data);
      if (data === undefined) return;
      const answer = protocol.answer(data);
      if (!answer || answer.id !== slot.pending?.id) return;
      if (!answer.ok && options.endRefusing) retire(slot);
      slot.pending.settle(answer);
    });
    worker.addEventListener('messageerror', () =>
      fail(slot, new WorkerFailure('unreadable', 'unreadable answer')),
    );
    worker.addEventListener('error', (event) => {
      const said = (event as Partial<ErrorEvent>).message;
      fail(slot, new WorkerFailure('crashed', said || 'the worker failed', said));
    });
    slots.push(slot);
    if (protocol.init) {
      try {
        worker.postMessage(protocol.init());
      } catch (e) {
        retire(slot);
        return new WorkerFailure('unreachable', (e as Error).message, String(e));
      }
    }
    return slot;
  };

  /** An idle worker, a new one while the pool has room, or the next to come free. */
  const acquire = (): Promise<Slot<In> | WorkerFailure> => {
    if (closed) return Promise.resolve(new WorkerFailure('closed', 'the pool is closed'));
    const free = idle.pop();
    if (free) return Promise.resolve(free);
    if (slots.length < size) {
      const slot = spawn();
      if (!(slot instanceof WorkerFailure) || slots.length === 0) return Promise.resolve(slot);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };

  const release = (slot: Slot<In>) => {
    if (!slots.includes(slot)) {
      // It was ended: whoever waits gets a new worker, or hears why there is none.
      const next = waiting.shift();
      if (next) next(slots.length < size ? spawn() : new WorkerFailure('unreachable', 'no worker'));
      return;
    }
    const next = waiting.shift();
    if (next) next(slot);
    else idle.push(slot);
  };

  const inWorker = (slot: Slot<In>, request: Req, transfer?: Transferable[]): Promise<Res> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const allowed = options.timeoutFor?.(request) ?? timeoutMs;
      const timer = setTimeout(
        () => fail(slot, new WorkerFailure('timeout', `no answer in ${seconds(allowed)}`)),
        allowed,
      );
      slot.pending = {
        id,
        settle: (outcome) => {
          clearTimeout(timer);
          slot.pending = undefined;
          if (outcome instanceof WorkerFailure) reject(outcome);
          else if (outcome.ok) resolve(outcome.result as Res);
          else reject(new WorkerFailure('refused', outcome.message));
        },
      };
      // Long texts go first, a piece per task, so the page never copies megabytes at once.
      const made = protocol.request(id, request);
      const handOver = transfer ?? protocol.transfer?.(made);
      const { message, pieces } = packLargeTexts(made);
      const send = async () => {
        for (const piece of pieces) {
          (slot.worker as WorkerLike<unknown>).postMessage(piece);
          await nextTask();
          if (slot.pending?.id !== id) return;
        }
        slot.worker.postMessage(message as In, handOver);
      };
      send().catch((e: unknown) =>
        fail(slot, new WorkerFailure('unreachable', (e as Error).message, String(e))),
      );
    });

  return {
    async run(request, transfer) {
      let failure: WorkerFailure | undefined;
      for (let attempt = 0; attempt < attempts; attempt++) {
        const slot = await acquire();
        if (slot instanceof WorkerFailure) {
          // No worker at all: the page does the work, unless a worker already failed at it
          // (on the page it could hang or crash the page itself).
          if (slot.kind === 'unreachable' && !failure && options.runHere) {
            return options.runHere(request);
          }
          throw failure ?? slot;
        }
        try {
          return await inWorker(slot, request, transfer);
        } catch (e) {
          failure = e as WorkerFailure;
          if (failure.kind === 'closed') throw failure;
        } finally {
          release(slot);
        }
      }
      throw failure as WorkerFailure;
    },
    warm(request) {
      while (!closed && slots.length < size) {
        const slot = spawn();
        if (slot instanceof WorkerFailure) break;
        if (request === undefined) release(slot);
        else {
          void inWorker(slot, request).then(
            () => release(slot),
            () => release(slot),
          );
        }
      }
    },
    close() {
      closed = true;
      for (const slot of [...slots]) fail(slot, new WorkerFailure('closed', 'the pool is closed'));
      for (const w of waiting.splice(0)) w(new WorkerFailure('closed', 'the pool is closed'));
    },
  };
}
