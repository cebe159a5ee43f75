import { describe, expect, it } from 'vitest';
import { seconds } from '../../src/core/index.ts';

describe('a duration as people say it', () => {
  it('whole seconds from 10 s up, tenths below: never the milliseconds of a timer', () => {
    // issue 26: "no answer in 39.155764 s"
    expect(seconds(39_155.764)).toBe('39 s');
    expect(seconds(60_000)).toBe('60 s');
    expect(seconds(9_960)).toBe('10 s');
    expect(seconds(1_500)).toBe('1.5 s');
    expect(seconds(2_000)).toBe('2 s');
    expect(seconds(250)).toBe('0.3 s');
  });
});
