// Debian's Chromium, headless, as the project's e2e tests launch it.
import type { Browser } from '@playwright/test';
import { chromium } from '@playwright/test';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

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
