// libvirt's verdicts on opened files, kept in this browser between visits as the schema verdicts
// are (src/validation/verdict-cache.ts): a folder opened again is decoded, not checked again.
import type { BytesFile, DomainReuse, ReadOutcome, RuleSet, RuleVerdict } from '../core/index.ts';
import { openFile } from '../core/index.ts';

/** Where results are kept (a worker: IndexedDB); any failure counts as a miss. */
export interface KeptResultStore {
  getMany(keys: string[]): Promise<unknown[]>;
  setMany(entries: [string, unknown][]): Promise<void>;
}

export interface KeptResults {
  /** The files' outcomes: verdicts kept for the same files (bytes, paths), rules and code, or checked now. */
  open(files: readonly BytesFile[], rules: RuleSet, domains?: DomainReuse): Promise<ReadOutcome[]>;
  /** Writes what is waiting now (tests; the worker writes on its own once the files stop coming). */
  flush(): Promise<void>;
}

/** Results wait this long after the last files for the write, so that an open is not slowed by it. */
export const KEEP_AFTER_MS = 1_000;

/** Each file's verdict, in order; null for a file that could not be read (checked again: cheap). */
type KeptChunk = (RuleVerdict | null)[];

function isKeptChunk(v: unknown, files: number): v is KeptChunk {
  return (
    Array.isArray(v) &&
    v.length === files &&
    v.every(
      (e) => e === null || (typeof e === 'object' && Array.isArray((e as RuleVerdict).problems)),
    )
  );
}

const encoder = new TextEncoder();

/** The files' bytes one after the other: as they are where they lie so in one buffer, else copied. */
function allBytes(files: readonly BytesFile[]): Uint8Array<ArrayBuffer> {
  const first = files[0]?.bytes;
  let length = 0;
  let contiguous = first !== undefined;
  for (const { bytes } of files) {
    contiguous &&= bytes.buffer === first?.buffer && bytes.byteOffset === first.byteOffset + length;
    length += bytes.length;
  }
  if (contiguous && first)
    return new Uint8Array(first.buffer as ArrayBuffer, first.byteOffset, length);
  const all = new Uint8Array(length);
  let at = 0;
  for (const { bytes } of files) {
    all.set(bytes, at);
    at += bytes.length;
  }
  return all;
}

const hex = (digest: ArrayBuffer) => {
  let out = '';
  for (const b of new Uint8Array(digest)) out += b.toString(16).padStart(2, '0');
  return out;
};

/**
 * The SHA-256 of everything a chunk's verdicts rest on: the build, the rules' profile, each
 * file's path (problems name the file) and length, then that of all the files' bytes in order
 * (the lengths say where each ends). Bytes handed over in one buffer are hashed where they lie.
 */
async function chunkKey(version: string, profile: string, files: readonly BytesFile[]) {
  let head = `${version}\n${profile}\n`;
  for (const f of files) head += `${f.fileName.length}\n${f.fileName}\n${f.bytes.length}\n`;
  const [names, bytes] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(head)),
    crypto.subtle.digest('SHA-256', allBytes(files)),
  ]);
  return `${hex(names)}${hex(bytes)}`;
}

/**
 * Kept results for one build of the core worker, a chunk of files at a time (an open hands the
 * same folder over in the same chunks; one entry per chunk keeps IndexedDB's requests few, and the
 * verdicts' shared <domain> in brief shared). `version` names the build (the worker's own hashed
 * file name): another build, whose rules may differ, finds nothing kept. A chunk checked against a
 * target VM is never kept (the target changes by the minute).
 */
export function createKeptResults(
  store: KeptResultStore,
  version: string,
  keepAfterMs = KEEP_AFTER_MS,
): KeptResults {
  let waiting: [string, unknown][] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = async () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const entries = waiting;
    waiting = [];
    if (entries.length) await store.setMany(entries).catch(() => undefined);
  };
  const keep = (entry: [string, unknown]) => {
    waiting.push(entry);
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => void flush(), keepAfterMs);
  };
  const lookUp = async (key: string, files: number): Promise<KeptChunk | undefined> => {
    try {
      const [found] = await store.getMany([key]);
      return isKeptChunk(found, files) ? found : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    async open(files, rules, reuse) {
      if (rules.target || files.length === 0) return files.map((f) => openFile(f, rules, reuse));
      const key = await chunkKey(version, rules.profile, files);
      const kept = await lookUp(key, files.length);
      const outcomes = files.map((f, i) => openFile(f, rules, reuse, kept?.[i] ?? undefined));
      if (!kept) keep([key, outcomes.map((o) => ('verdict' in o ? o.verdict : null))]);
      return outcomes;
    },
    flush,
  };
}
