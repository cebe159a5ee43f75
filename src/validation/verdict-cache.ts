import type { Problem } from '../core/problem.ts';
import type { SchemaSet } from './schema-set.ts';
import type { FileVerdict, Validator } from './validator.ts';
import { SHORTCUT_TEXT_LIMIT, VALIDATION_CODES } from './validator.ts';

/** A verdict as kept: what xmllint said of a text, whatever file held it. */
export interface KeptVerdict {
  valid: boolean;
  problems: Omit<Problem, 'file'>[];
}

/** Where verdicts are kept between visits (the page: IndexedDB); any failure counts as a miss. */
export interface VerdictStore {
  getMany(keys: string[]): Promise<(KeptVerdict | undefined)[]>;
  setMany(entries: [string, KeptVerdict][]): Promise<void>;
}

const encoder = new TextEncoder();

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The schema set's identity: its version, its root and every file's text. */
export function schemaSetKey(schemas: SchemaSet): Promise<string> {
  const files = [...schemas.files].sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
  return sha256(
    JSON.stringify([schemas.version, schemas.root, files.map((f) => [f.fileName, f.contents])]),
  );
}

/** A run that gave no verdict of xmllint's (stopped, out of memory, no worker) is not kept. */
const UNKEPT = new Set<string>([
  VALIDATION_CODES.timeout,
  VALIDATION_CODES.outOfMemory,
  VALIDATION_CODES.failed,
]);

function keepable(v: FileVerdict): boolean {
  return !v.problems.some((p) => UNKEPT.has(p.code));
}

function kept(v: FileVerdict): KeptVerdict {
  return {
    valid: v.valid,
    problems: v.problems.map(({ file: _file, ...rest }) => rest),
  };
}

function restored(fileName: string, v: KeptVerdict): FileVerdict {
  return {
    fileName,
    valid: v.valid,
    problems: v.problems.map((p) => ({ ...p, file: fileName })),
  };
}

/**
 * A validator that asks `inner` only for texts whose verdict under this schema set is not kept:
 * a reopened or reloaded folder is not validated again; another schema set is.
 */
export function withVerdictCache(
  inner: Validator,
  schemas: SchemaSet,
  store: VerdictStore,
): Validator {
  const schemaKey = schemaSetKey(schemas);
  /** Each text's key; none for a large text (neither looked up nor kept). */
  const keysOf = async (texts: string[]) => {
    const set = await schemaKey;
    return Promise.all(
      texts.map(async (t) =>
        t.length > SHORTCUT_TEXT_LIMIT ? undefined : `${set}:${await sha256(t)}`,
      ),
    );
  };
  return {
    async validate(files) {
      let keys: (string | undefined)[];
      let found: (KeptVerdict | undefined)[];
      try {
        keys = await keysOf(files.map((f) => f.contents));
        const asked = keys.filter((k): k is string => k !== undefined);
        const answers = asked.length ? await store.getMany(asked) : [];
        let next = 0;
        found = keys.map((k) => (k === undefined ? undefined : answers[next++]));
      } catch {
        return inner.validate(files);
      }
      const missing = files.flatMap((f, i) => (found[i] ? [] : [i]));
      const answers = missing.length
        ? await inner.validate(missing.map((i) => files[i] as (typeof files)[number]))
        : [];
      const verdicts = files.map((f, i) => {
        const hit = found[i];
        return hit ? restored(f.fileName, hit) : undefined;
      });
      const toKeep: [string, KeptVerdict][] = [];
      missing.forEach((i, k) => {
        const answer = answers[k] as FileVerdict;
        verdicts[i] = answer;
        const key = keys[i];
        if (key !== undefined && keepable(answer)) toKeep.push([key, kept(answer)]);
      });
      // Kept in the background: the verdicts do not wait for the write.
      if (toKeep.length) void store.setMany(toKeep).catch(() => undefined);
      return verdicts as FileVerdict[];
    },
    close() {
      inner.close();
    },
  };
}
