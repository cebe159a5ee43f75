import type { BytesFile, Problem, ReadOutcome, RuleSet } from '../core/index.ts';
import { append, compareNatural, fileSizeProblem } from '../core/index.ts';
import type { FileLike } from './read-files.ts';
import { pathOf } from './read-files.ts';
import type { SchemaValidator } from './services.ts';

/** A file opened while its bundle was still being unpacked: core's outcome, the schema's verdict. */
export interface EarlyOpened {
  outcome: ReadOutcome;
  /** Null where the worker gave none (the page validates that text as any other). */
  verdict: { problems: Problem[] } | null;
}

/** What the early opens were made under: the open uses them only where its own is the same. */
export interface EarlyBasis {
  validator: SchemaValidator;
  profile: RuleSet['profile'];
  /** The schema set's generation the verdicts are of. */
  generation: number;
}

/**
 * A bundle's entries opened as they come out of the archive, while the rest is still unpacked: the
 * unpacking takes a core of its own, and the workers would wait for it. Only where the archive
 * lists its entries in the order the open reads them (their paths' natural order, as `collect`
 * packs them): a chain's files then come together, and a worker reads and validates their
 * <domain> once. An archive in the order its disk gave tar holds another <domain> in nearly every
 * entry of a batch: opened as it came, it cost the workers 2.4 times the CPU (measured over the
 * bench's 10,000 checkpoints), so it waits for the whole archive and opens in path order, as
 * before. Entries go in runs of EARLY_RUN (each run compiles the schema set again), the first of
 * EARLY_FIRST; nothing is opened before a second batch comes, so a bundle of one batch opens
 * exactly as before.
 */
export interface EarlyOpens {
  readonly basis: EarlyBasis;
  /** A batch of the bundle's entries, as they come. */
  offer(files: readonly FileLike[]): void;
  /**
   * The archive is read: what waits is opened too where entries before it were, unless `rest`
   * is false (cancelled: nothing of it opens).
   */
  end(rest?: boolean): void;
  /**
   * The file's early open: undefined where it was not opened early; resolves undefined where
   * the early open failed (the open then opens it as any other).
   */
  take(file: FileLike): Promise<EarlyOpened | undefined> | undefined;
}

/** Entries opened early at once: a chunk of the open's size (one xmllint run each). */
export const EARLY_RUN = 1000;
/** The first run is small, as the open's first chunk: the tree shows once they are in. */
export const EARLY_FIRST = 50;

/** A batch whose paths rise from one entry to the next this often counts as in order. */
const IN_ORDER_SHARE = 0.95;

/**
 * Whether a batch lists its entries in the order of their paths, as the open reads them; `after`,
 * the path of the entry before it (the previous batch's last), counts too.
 */
export function inNameOrder(files: readonly FileLike[], after?: string): boolean {
  const list = files.map(pathOf);
  if (after !== undefined) list.unshift(after);
  if (list.length < 2) return false;
  let rising = 0;
  for (let i = 1; i < list.length; i++) {
    if (compareNatural(list[i - 1] as string, list[i] as string) < 0) rising++;
  }
  return rising >= IN_ORDER_SHARE * (list.length - 1);
}

/** An entry an open would read as a checkpoint (readBytes' limit, not the target's domain.xml). */
function opensAsText(file: FileLike): file is FileLike & { inMemory: Uint8Array } {
  return (
    file.inMemory !== undefined &&
    /\.xml$/i.test(file.name) &&
    file.name !== 'domain.xml' &&
    fileSizeProblem(file.inMemory.length) === undefined
  );
}

export function createEarlyOpens(
  basis: EarlyBasis,
  run = EARLY_RUN,
  first = EARLY_FIRST,
): EarlyOpens {
  const opened = new WeakMap<FileLike, Promise<EarlyOpened | undefined>>();
  let waiting: FileLike[] = [];
  let batches = 0;
  let sent = false;
  let last: string | undefined;
  const open = basis.validator.open?.bind(basis.validator);
  const rules: RuleSet = { profile: basis.profile };

  /** Opens the first `count` entries waiting. */
  const send = (count: number) => {
    const files = waiting
      .splice(0, count)
      .filter(opensAsText)
      .map((file) => ({ file, path: pathOf(file) }))
      .sort((a, b) => compareNatural(a.path, b.path));
    if (!open || files.length === 0) return;
    sent = true;
    const answer = open(
      files.map(({ file, path }) => ({ fileName: path, bytes: file.inMemory })),
      rules,
    );
    files.forEach(({ file }, i) => {
      opened.set(
        file,
        answer.then(
          ({ outcomes, verdicts }) => {
            const outcome = outcomes[i];
            return outcome ? { outcome, verdict: verdicts[i] ?? null } : undefined;
          },
          () => undefined,
        ),
      );
    });
  };

  return {
    basis,
    offer(files) {
      const after = last;
      if (files.length) last = pathOf(files[files.length - 1] as FileLike);
      if (!inNameOrder(files, after)) return;
      append(waiting, files);
      // A second batch: the bundle is more than one, and opening early begins.
      if (++batches < 2) return;
      if (!sent) send(first);
      while (waiting.length >= run) send(run);
    },
    end(rest = true) {
      if (sent && rest) send(waiting.length);
      waiting = [];
      batches = 0;
      sent = false;
      last = undefined;
    },
    take: (file) => opened.get(file),
  };
}

/** A chunk's outcomes, and the schema's verdicts where the worker that read them gave them. */
export interface ChunkOpened {
  outcomes: ReadOutcome[];
  verdicts?: ({ problems: Problem[] } | null)[];
}

/**
 * A chunk's files opened, those opened early taken as they came: the rest (and any whose early
 * open failed) opened by `open`, all in the chunk's order.
 */
export async function openWithEarly(
  files: readonly BytesFile[],
  early: readonly (Promise<EarlyOpened | undefined> | undefined)[],
  open: (files: BytesFile[]) => Promise<ChunkOpened>,
): Promise<ChunkOpened> {
  const outcomes: ReadOutcome[] = new Array<ReadOutcome>(files.length);
  const verdicts: ({ problems: Problem[] } | null)[] = files.map(() => null);
  let anyVerdicts = false;
  const openThese = async (at: number[]) => {
    if (at.length === 0) return;
    const done = await open(at.map((k) => files[k] as BytesFile));
    at.forEach((k, j) => {
      outcomes[k] = done.outcomes[j] as ReadOutcome;
      const verdict = done.verdicts?.[j] ?? null;
      if (verdict) anyVerdicts = true;
      verdicts[k] = verdict;
    });
  };
  const late = files.flatMap((_, k) => (early[k] ? [] : [k]));
  const [, found] = await Promise.all([
    openThese(late),
    Promise.all(early.map((p) => p ?? Promise.resolve(undefined))),
  ]);
  const failed: number[] = [];
  found.forEach((f, k) => {
    if (!early[k]) return;
    if (!f) {
      failed.push(k);
      return;
    }
    outcomes[k] = f.outcome;
    verdicts[k] = f.verdict;
    if (f.verdict) anyVerdicts = true;
  });
  await openThese(failed);
  return anyVerdicts ? { outcomes, verdicts } : { outcomes };
}
