import { describe, expect, it } from 'vitest';
import { CACHE_LEAVES_FREE, cacheMayWrite } from '../../src/workers/cache-room.ts';

const MB = 1024 * 1024;

describe('cacheMayWrite: the session keeps its room', () => {
  it('writes where the storage is mostly free', () => {
    expect(cacheMayWrite({ usage: 10 * MB, quota: 10_000 * MB })).toBe(true);
  });

  it('does not write past half the quota', () => {
    expect(cacheMayWrite({ usage: 5_001 * MB, quota: 10_000 * MB })).toBe(false);
    expect(cacheMayWrite({ usage: 5_000 * MB, quota: 10_000 * MB })).toBe(true);
  });

  it('does not write with less than 64 MiB free, however small the quota (a 2 MB quota)', () => {
    expect(cacheMayWrite({ usage: 100_000, quota: 2_000_000 })).toBe(false);
    expect(cacheMayWrite({ usage: 0, quota: CACHE_LEAVES_FREE - 1 })).toBe(false);
    expect(cacheMayWrite({ usage: 0, quota: CACHE_LEAVES_FREE })).toBe(true);
  });

  it('does not write when the browser does not say', () => {
    expect(cacheMayWrite({})).toBe(false);
    expect(cacheMayWrite({ quota: 10_000 * MB })).toBe(false);
    expect(cacheMayWrite({ usage: 0 })).toBe(false);
  });
});
