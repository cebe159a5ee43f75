import { describe, expect, it } from 'vitest';
import { linesWithin, WRAP_LIMIT } from '../../src/ui/source/long-lines.ts';

describe('linesWithin', () => {
  it('holds for short texts and for long texts of short lines', () => {
    expect(linesWithin('')).toBe(true);
    expect(linesWithin('x'.repeat(WRAP_LIMIT))).toBe(true);
    expect(linesWithin(`${'<a/>\n'.repeat(50_000)}`)).toBe(true);
  });

  it('fails on one line past the limit, first, middle or last', () => {
    const long = 'x'.repeat(WRAP_LIMIT + 1);
    expect(linesWithin(long)).toBe(false);
    expect(linesWithin(`${long}\nshort`)).toBe(false);
    expect(linesWithin(`short\n${long}\nshort`)).toBe(false);
    expect(linesWithin(`short\n${long}`)).toBe(false);
  });

  it('counts a line exactly at the limit as within', () => {
    const at = 'x'.repeat(WRAP_LIMIT);
    expect(linesWithin(`${at}\n${at}\n${at}`)).toBe(true);
    expect(linesWithin(`abc\ndefg`, 3)).toBe(false);
    expect(linesWithin(`abc\ndef`, 3)).toBe(true);
  });
});
