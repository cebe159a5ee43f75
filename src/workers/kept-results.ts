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

/**
 * The SHA-256 of everything a chunk's verdicts rest on: the build, the rules' profile, and each
 * file's path (problems name the file) and bytes, each part preceded by its length.
 */
async function chunkKey(version: string, profile: string, files: readonly BytesFile[]) {
  const parts: Uint8Array[] = [encoder.encode(`${version}\n${profile}\n`)];
  for (const f of files) {
    const name = encoder.encode(f.fileName);
    parts.push(
      encoder.encode(`${name.length}\n`),
      name,
      encoder.encode(`\n${f.bytes.length}\n`),
      f.bytes,
    );
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
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
