import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SchemaSet, Validator, WorkerLike } from '../../src/validation/index.ts';
import { createWorkerValidator } from '../../src/validation/index.ts';
import { createNodeValidator, loadSchemaSet } from '../../src/validation/node.ts';
import { loadNodeEngine } from '../../src/validation/node-engine.ts';
import { findDomain, openFile } from '../../src/core/index.ts';
import type { BytesFile, RuleSet } from '../../src/core/index.ts';
import { createHash } from 'node:crypto';
import type { KeptVerdict, VerdictStore } from '../../src/validation/index.ts';
import { STAND_IN_DOMAIN, withStandIn } from '../../src/validation/domain-shortcut.ts';
import { schemaSetKey } from '../../src/validation/verdict-cache.ts';
import { createWorkerHost } from '../../src/validation/worker-host.ts';
import type { XmllintEngine } from '../../src/validation/xmllint-run.ts';
import type { ToWorker } from '../../src/validation/worker-messages.ts';
import { conformanceFile, fixture } from './files.ts';

type Listener = (event: Event) => void;

/** A worker on this thread: worker.ts's host behind structured clones, as a real worker is. */
class FakeWorker implements WorkerLike {
  readonly received: ToWorker[] = [];
  /** What each message handed over. */
  readonly transfers: Transferable[][] = [];
  terminated = false;
  private listeners = new Map<string, Listener[]>();
  private readonly handle: ReturnType<typeof createWorkerHost>;

  constructor(private readonly mode: 'answers' | 'stuck' | 'no-wasm' = 'answers') {
    this.handle = createWorkerHost(
      mode === 'no-wasm'
        ? () => Promise.reject(new Error('xmllint.wasm: HTTP 404'))
        : loadNodeEngine,
    );
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  postMessage(message: ToWorker, transfer: Transferable[] = []): void {
    this.transfers.push(transfer);
    this.received.push(structuredClone(message));
    if (this.mode === 'stuck' && message.type === 'validate') return;
    void this.handle(structuredClone(message)).then((reply) => {
      if (reply && !this.terminated) {
        this.emit('message', new MessageEvent('message', { data: structuredClone(reply) }));
      }
    });
  }

  terminate(): void {
    this.terminated = true;
  }

  /** Resolves once a run has reached this worker. */
  async running(): Promise<void> {
    await vi.waitFor(() => expect(this.received.some((m) => m.type === 'validate')).toBe(true));
  }

  emit(type: string, event: Event): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

describe('the validation worker', () => {
  it('validates each distinct <domain> once: a later file holding it gets the stand-in', async () => {
    const schemas = await loadSchemaSet();
    const seen: string[] = [];
    const handle = createWorkerHost(async () => {
      const engine = await loadNodeEngine();
      const factory: XmllintEngine['factory'] = (options) => {
        for (const f of options.inputFiles ?? []) {
          if (!f.fileName.endsWith('.rng'))
            seen.push(
              typeof f.contents === 'string' ? f.contents : new TextDecoder().decode(f.contents),
            );
        }
        return engine.factory(options);
      };
      return { ...engine, factory };
    });
    const redefine = conformanceFile('libvirt-tests/out/redefine.xml');
    const again = {
      fileName: 'again.xml',
      contents: redefine.contents.replace(/<name>[^<]*<\/name>/, '<name>again</name>'),
    };
    await handle({ type: 'init', schemas, maxMemoryMiB: 256, keepVerdicts: false });
    const first = await handle({ type: 'validate', id: 1, files: [redefine] });
    const second = await handle({ type: 'validate', id: 2, files: [again] });
    const reference = await createNodeValidator(schemas);
    expect(first).toEqual({
      type: 'verdicts',
      id: 1,
      verdicts: await reference.validate([redefine]),
    });
    expect(second).toEqual({
      type: 'verdicts',
      id: 2,
      verdicts: await reference.validate([again]),
    });
    reference.close();
    // The first file as it is (then the stand-in's probe); the second with the stand-in.
    expect(seen[0]).toBe(redefine.contents);
    expect(findDomain(redefine.contents)).toBeDefined();
    expect(seen.at(-1)).toContain('<name>again</name>');
    expect(seen.at(-1)).toContain(STAND_IN_DOMAIN);
  });
});

describe('the validation worker keeping verdicts', () => {
  it('keeps the verdicts of the texts xmllint reads: a known domain’s files by their stand-in text; a second visit runs xmllint not once', async () => {
    const schemas = await loadSchemaSet();
    const kept = new Map<string, KeptVerdict>();
    const store: VerdictStore = {
      getMany: async (keys) => keys.map((k) => kept.get(k)),
      setMany: async (entries) => {
        for (const [k, v] of entries) kept.set(k, v);
      },
    };
    let runs = 0;
    const engineCounting = async (): Promise<XmllintEngine> => {
      const engine = await loadNodeEngine();
      return {
        ...engine,
        factory: (options) => {
          runs++;
          return engine.factory(options);
        },
      };
    };
    const redefine = conformanceFile('libvirt-tests/out/redefine.xml');
    const again = {
      fileName: 'again.xml',
      contents: redefine.contents.replace(/<name>[^<]*<\/name>/, '<name>again</name>'),
    };
    // The same domain, a checkpoint part the schema refuses: its problem keeps its line.
    const wrong = {
      fileName: 'wrong.xml',
      contents: redefine.contents.replace(/<name>[^<]*<\/name>/, '<name>wrong</name><bogus/>'),
    };
    const files = [redefine, again, wrong];
    const reference = await createNodeValidator(schemas);
    const expected = await reference.validate(files);
    reference.close();
    expect(expected.map((v) => v.valid)).toEqual([true, true, false]);

    const visit = async () => {
      const handle = createWorkerHost(engineCounting, () => store);
      await handle({ type: 'init', schemas, maxMemoryMiB: 256, keepVerdicts: true });
      return handle({ type: 'validate', id: 1, files });
    };
    expect(await visit()).toEqual({ type: 'verdicts', id: 1, verdicts: expected });
    await vi.waitFor(() => expect(kept.size).toBeGreaterThanOrEqual(files.length));
    const setKey = await schemaSetKey(schemas);
    const keyOf = (text: string) => `${setKey}:${createHash('sha256').update(text).digest('hex')}`;
    const span = findDomain(again.contents);
    expect(span).toBeDefined();
    // The first file whole; the others by their stand-in text, not their whole text.
    expect(kept.has(keyOf(redefine.contents))).toBe(true);
    expect(kept.has(keyOf(withStandIn(again.contents, span!)))).toBe(true);
    expect(kept.has(keyOf(again.contents))).toBe(false);

    const before = runs;
    expect(await visit()).toEqual({ type: 'verdicts', id: 1, verdicts: expected });
    expect(runs).toBe(before);
  });
});

describe('the worker validator', () => {
  let schemas: SchemaSet;
  let reference: Validator;
  const open: Validator[] = [];
  const files = [
    fixture('minimal.xml'),
    fixture('malformed-entity.xml'),
    conformanceFile('libvirt-tests/in/disk-invalid.xml'),
    conformanceFile('libvirt-tests/out/internal-active-invalid.xml'),
    fixture('truncated.xml'),
  ];

  beforeAll(async () => {
    schemas = await loadSchemaSet();
    reference = await createNodeValidator(schemas);
  });
  afterEach(() => {
    for (const v of open.splice(0)) v.close();
  });

  function validatorWith(
    workers: FakeWorker[],
    options: Parameters<typeof createWorkerValidator>[1] = {},
  ) {
    let started = 0;
    const v = createWorkerValidator(schemas, {
      ...options,
      createWorker: () => {
        const next = workers[started++];
        if (!next) throw new Error('no more workers');
        return next;
      },
    });
    open.push(v);
    return v;
  }

  it('gives the verdicts of the Node validator, from one long-lived worker', async () => {
    const worker = new FakeWorker();
    const v = validatorWith([worker]);
    expect(await v.validate(files)).toEqual(await reference.validate(files));
    expect(await v.validate(files.slice(0, 1))).toEqual(
      await reference.validate(files.slice(0, 1)),
    );
    expect(worker.received.map((m) => m.type)).toEqual(['init', 'validate', 'validate']);
    expect(worker.received[0]).toMatchObject({
      type: 'init',
      schemas: { version: schemas.version },
    });
  });

  it('opens files as core does and validates each text in the same worker: the texts go there as bytes and come back once', async () => {
    const worker = new FakeWorker();
    // Runs of two: the worker splits an open's texts into runs within the limits too.
    const v = validatorWith([worker], { maxFilesPerRun: 2 });
    const encoder = new TextEncoder();
    const bytes: BytesFile[] = files.map((f) => ({
      fileName: `web01-checkpoints/checkpoints/${f.fileName}`,
      bytes: encoder.encode(f.contents),
    }));
    // Not text: no outcome with a text, so no verdict.
    bytes.splice(2, 0, {
      fileName: 'web01-checkpoints/binary.xml',
      bytes: new Uint8Array([65, 0, 0]),
    });
    const rules: RuleSet = { profile: 'allow-no-domain' };
    const opened = await v.open(bytes, rules);
    expect(opened.outcomes).toEqual(bytes.map((f) => openFile(f, rules)));
    expect(opened.outcomes[2]).toEqual({
      fileName: 'web01-checkpoints/binary.xml',
      skipped: expect.stringContaining('binary data'),
    });
    const texts = opened.outcomes.flatMap((o) =>
      'text' in o ? [{ fileName: o.fileName, contents: o.text }] : [],
    );
    expect(texts).toHaveLength(files.length);
    const expected = await reference.validate(texts);
    expect(expected.map((e) => e.valid)).toContain(false);
    expect(opened.verdicts).toEqual([...expected.slice(0, 2), null, ...expected.slice(2)]);
    // One request: nothing validated apart from the open.
    expect(worker.received.map((m) => m.type)).toEqual(['init', 'open']);
    // Its bytes in one buffer handed over, a copy: the caller's own are left as they were.
    const total = bytes.reduce((n, f) => n + f.bytes.length, 0);
    expect(worker.transfers[1]?.map((t) => (t as ArrayBuffer).byteLength)).toEqual([total]);
    expect(bytes[0]?.bytes.length).toBeGreaterThan(0);
    expect(new TextDecoder().decode(bytes[0]?.bytes)).toBe(files[0]?.contents);
  });

  it('splits a large batch into runs with their own request ids, in order', async () => {
    const worker = new FakeWorker();
    const v = validatorWith([worker], { maxFilesPerRun: 2 });
    const [first, second] = await Promise.all([v.validate(files), v.validate(files.slice(1, 2))]);
    expect(first).toEqual(await reference.validate(files));
    expect(second).toEqual(await reference.validate(files.slice(1, 2)));
    const ids = worker.received.flatMap((m) =>
      m.type === 'validate' ? [[m.id, m.files.length]] : [],
    );
    expect(ids).toEqual([
      [1, 2],
      [2, 2],
      [3, 1],
      [4, 1],
    ]);
  });

  it('with two workers, one call is split between them and its verdicts stay in order', async () => {
    const [a, b] = [new FakeWorker(), new FakeWorker()];
    const v = validatorWith([a, b], { workers: 2 });
    expect(await v.validate(files)).toEqual(await reference.validate(files));
    const sizes = (w: FakeWorker) =>
      w.received.flatMap((m) => (m.type === 'validate' ? [m.files.length] : []));
    expect([...sizes(a), ...sizes(b)].sort()).toEqual([2, 3]);
  });

  it('ends a stuck run: its files get a timeout problem and the next run gets a new worker', async () => {
    const stuck = new FakeWorker('stuck');
    const fresh = new FakeWorker();
    // Long enough for the fresh worker's first run (compiling xmllint.wasm) on a busy machine.
    const v = validatorWith([stuck, fresh], { timeoutMs: 1_000 });
    const timedOut = await v.validate(files.slice(0, 2));
    expect(timedOut).toEqual(
      files.slice(0, 2).map((f) => ({
        fileName: f.fileName,
        valid: false,
        problems: [
          {
            code: 'validation-timeout',
            severity: 'error',
            message: 'Validation took longer than 1 s and was stopped',
            file: f.fileName,
          },
        ],
      })),
    );
    expect(stuck.terminated).toBe(true);
    expect(await v.validate(files)).toEqual(await reference.validate(files));
    expect(fresh.received.map((m) => m.type)).toEqual(['init', 'validate']);
  });

  it('after a run times out, the idle workers are started again too: the next run validates', async () => {
    // Both workers of the pool stopped answering (closed themselves without a word).
    const [a, b] = [new FakeWorker('stuck'), new FakeWorker('stuck')];
    const [c, d] = [new FakeWorker(), new FakeWorker()];
    const v = validatorWith([a, b, c, d], { workers: 2, timeoutMs: 1_000 });
    await vi.waitFor(() => expect(b.received.map((m) => m.type)).toEqual(['init']));
    const [timedOut] = await v.validate(files.slice(0, 1));
    expect(timedOut?.problems.map((p) => p.code)).toEqual(['validation-timeout']);
    expect([a.terminated, b.terminated]).toEqual([true, true]);
    expect(await v.validate(files)).toEqual(await reference.validate(files));
  });

  it('reports a worker that fails as a problem of the files it had, then starts another', async () => {
    const failing = new FakeWorker('stuck');
    const fresh = new FakeWorker();
    const v = validatorWith([failing, fresh]);
    const pending = v.validate(files.slice(0, 1));
    await failing.running();
    // Node has no ErrorEvent; the client reads only its message.
    failing.emit('error', Object.assign(new Event('error'), { message: 'wasm did not load' }));
    expect(await pending).toEqual([
      {
        fileName: files[0]?.fileName,
        valid: false,
        problems: [
          expect.objectContaining({
            code: 'validation-failed',
            message: 'the validation worker failed: wasm did not load',
          }),
        ],
      },
    ]);
    expect(await v.validate(files.slice(0, 1))).toEqual(
      await reference.validate(files.slice(0, 1)),
    );
  });

  it('says why when the worker cannot load xmllint, and tries a new worker next time', async () => {
    const broken = new FakeWorker('no-wasm');
    const fresh = new FakeWorker();
    const v = validatorWith([broken, fresh]);
    const [verdict] = await v.validate(files.slice(0, 1));
    expect(verdict?.problems).toEqual([
      expect.objectContaining({
        code: 'validation-failed',
        message: 'xmllint did not load: Error: xmllint.wasm: HTTP 404',
      }),
    ]);
    expect(broken.terminated).toBe(true);
    expect(await v.validate(files.slice(0, 1))).toEqual(
      await reference.validate(files.slice(0, 1)),
    );
  });

  it('answers with a problem, not an exception, where no worker can start', async () => {
    const v = createWorkerValidator(schemas);
    open.push(v);
    const [verdict] = await v.validate(files.slice(0, 1));
    expect(verdict?.valid).toBe(false);
    expect(verdict?.problems[0]).toMatchObject({
      code: 'validation-failed',
      message: expect.stringContaining('the validation worker could not be reached'),
    });
  });

  it('rejects what is pending or asked after close', async () => {
    const stuck = new FakeWorker('stuck');
    const v = validatorWith([stuck]);
    const pending = v.validate(files.slice(0, 1));
    const queued = v.validate(files.slice(1, 2));
    await stuck.running();
    v.close();
    await expect(pending).rejects.toThrow(/closed/);
    await expect(queued).rejects.toThrow(/closed/);
    await expect(v.validate(files)).rejects.toThrow(/closed/);
    expect(stuck.terminated).toBe(true);
  });
});
