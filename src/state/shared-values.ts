import type { RuleVerdict } from '../core/index.ts';

/** Strings this long or shorter are kept once; longer ones are messages and texts, seldom repeated. */
const SHARED_STRING_CHARS = 64;

type Plain = string | number | boolean | null | undefined | Plain[] | { [key: string]: Plain };

/**
 * Verdicts come from the workers as copies: each of ten thousand files brings its own 'bitmap' and
 * 'vda', its own `{ line, column }` for every field, its own copy of its chain's <domain> in brief.
 * The page keeps one of each: a value equal to one kept before is replaced by it (kept frozen, as
 * it is shared), so a folder costs the page its texts and little more. One sharing serves one open
 * or one check of many files; nothing is kept once it is done.
 */
export interface ValueSharing {
  /** The verdict with its values shared; it is changed in place (it is the workers' copy). */
  verdict(verdict: RuleVerdict): RuleVerdict;
}

export function createValueSharing(): ValueSharing {
  const strings = new Map<string, string>();
  const positions = new Map<number, Map<number, Plain>>();
  /** Whole subtrees (a <domain> in brief, its facts) by their JSON; and each copy already seen. */
  const subtrees = new Map<string, Plain>();
  const copies = new WeakMap<object, Plain>();

  const position = (line: number, column: number, value: Plain): Plain => {
    let byColumn = positions.get(line);
    if (!byColumn) positions.set(line, (byColumn = new Map()));
    const kept = byColumn.get(column);
    if (kept !== undefined) return kept;
    Object.freeze(value);
    byColumn.set(column, value);
    return value;
  };

  const share = (value: Plain): Plain => {
    if (typeof value === 'string') {
      if (value.length > SHARED_STRING_CHARS) return value;
      const kept = strings.get(value);
      if (kept !== undefined) return kept;
      strings.set(value, value);
      return value;
    }
    if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = share(value[i]);
      return value;
    }
    const keys = Object.keys(value);
    if (
      keys.length === 2 &&
      typeof value['line'] === 'number' &&
      typeof value['column'] === 'number'
    ) {
      return position(value['line'], value['column'], value);
    }
    for (const key of keys) value[key] = share(value[key]);
    return value;
  };

  /** A subtree equal to one kept before becomes that one; a new one is shared, frozen and kept. */
  const shareWhole = (value: Plain): Plain => {
    if (typeof value !== 'object' || value === null) return value;
    const seen = copies.get(value);
    if (seen !== undefined) return seen;
    const key = JSON.stringify(value);
    let kept = subtrees.get(key);
    if (kept === undefined) {
      kept = deepFreeze(share(value));
      subtrees.set(key, kept);
    }
    copies.set(value, kept);
    return kept;
  };

  return {
    verdict(verdict) {
      const v = verdict as unknown as { [key: string]: Plain };
      const checkpoint = v['checkpoint'] as { [key: string]: Plain } | undefined;
      if (checkpoint && typeof checkpoint === 'object' && checkpoint['domain'] !== undefined) {
        checkpoint['domain'] = shareWhole(checkpoint['domain']);
      }
      if (v['domainFacts'] !== undefined) v['domainFacts'] = shareWhole(v['domainFacts']);
      share(v);
      return verdict;
    },
  };
}

function deepFreeze(value: Plain): Plain {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  Object.freeze(value);
  return value;
}
