import { it } from 'vitest';

/**
 * Whether the tests that need `what` are to be skipped here. Without it they are skipped, saying
 * so, on a developer's machine; with CI=true a missing tool or data set fails the run instead (a
 * test that says what is missing), so that these tests cannot quietly vanish from it.
 */
export function skipWithout(available: boolean, what: string): boolean {
  if (available) return false;
  if (process.env['CI']) {
    it(`needs ${what}`, () => {
      throw new Error(`${what} is missing: with CI=true its tests fail rather than skip`);
    });
  } else {
    console.log(`skipped: the tests that need ${what}, which is missing`);
    // Listed as skipped, and a file whose tests all need it is not a file without tests.
    it.skip(`needs ${what}`, () => {});
  }
  return true;
}
