// Debian's Chromium, headless, as the project's e2e tests launch it.
import type { Browser } from '@playwright/test';
import { chromium } from '@playwright/test';

import { CHROMIUM, CHROMIUM_ARGS as ARGS } from '../playwright.config.ts';

export { CHROMIUM };

/**
 * `unthrottled` lifts the 60 Hz cap so that a frame's time is the work it took, not the wait for
 * the next vsync (a capped frame can never come in under 16.7 ms).
 */
export function launchChromium(options: { unthrottled?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: options.unthrottled
      ? [...ARGS, '--disable-gpu-vsync', '--disable-frame-rate-limit']
      : ARGS,
  });
}
