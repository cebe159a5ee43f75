import { describe, expect, it } from 'vitest';
import type { RuleVerdict } from '../core/index.ts';
import { checkRules } from '../core/index.ts';
import { backupFolder } from '../samples/index.ts';
import { createValueSharing } from './shared-values.ts';

/** Verdicts as they reach the page from a worker: each a copy of its own. */
function verdictsOf(count: number): RuleVerdict[] {
  return backupFolder(count).map((f) =>
    structuredClone(checkRules(f.contents, f.fileName, { profile: 'strict' })),
  );
}

describe('values shared across the verdicts of a folder', () => {
  it('leaves every verdict equal to what the worker sent', () => {
    const sent = verdictsOf(60);
    const sharing = createValueSharing();
    const shared = sent.map((v) => sharing.verdict(structuredClone(v)));
    expect(shared).toEqual(sent);
  });

  it('keeps one of each equal <domain> in brief, position and domain facts, frozen', () => {
    const sharing = createValueSharing();
    const [a, b] = verdictsOf(4)
      .slice(2)
      .map((v) => sharing.verdict(v));
    const domainA = a?.checkpoint?.domain;
    expect(domainA).toBeDefined();
    expect(domainA).toEqual(b?.checkpoint?.domain);
    expect(b?.checkpoint?.domain).toBe(domainA);
    expect(b?.domainFacts).toBe(a?.domainFacts);
    expect(b?.checkpoint?.positions.root).toBe(a?.checkpoint?.positions.root);
    expect(b?.checkpoint?.disks?.[0]?.position).toBe(a?.checkpoint?.disks?.[0]?.position);
    expect(Object.isFrozen(domainA)).toBe(true);
    expect(Object.isFrozen(a?.checkpoint?.positions.root)).toBe(true);
    // What differs stays each file's own.
    expect(b?.checkpoint?.name).not.toBe(a?.checkpoint?.name);
    expect(Object.isFrozen(a?.checkpoint)).toBe(false);
  });

  it('shares a domain only with an equal one: another chain keeps its own', () => {
    const sharing = createValueSharing();
    const shared = verdictsOf(200).map((v) => sharing.verdict(v));
    const domains = new Set(shared.map((v) => v.checkpoint?.domain));
    const distinct = new Set(shared.map((v) => JSON.stringify(v.checkpoint?.domain)));
    expect(distinct.size).toBeGreaterThan(1);
    expect(domains.size).toBe(distinct.size);
  });
});
