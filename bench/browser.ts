// Debian's Chromium, headless, as the project's e2e tests launch it.
import type { Browser } from '@playwright/test';
import { chromium } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';

import { CHROMIUM, CHROMIUM_ARGS as ARGS } from '../playwright.config.ts';

export { CHROMIUM };

/**
 * `unthrottled` lifts the 60 Hz cap so that a frame's time is the work it took, not the wait for
 * the next vsync (a capped frame can never come in under 16.7 ms).
 */
export function launchChromium(
  options: { unthrottled?: boolean; marker?: string } = {},
): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...ARGS,
      ...(options.unthrottled ? ['--disable-gpu-vsync', '--disable-frame-rate-limit'] : []),
      // A switch Chromium ignores, to find its browser process in /proc (see browserPid).
      ...(options.marker ? [`--bench-marker=${options.marker}`] : []),
    ],
  });
}

/** The pid of the browser launched with `marker`, from the command lines in /proc. */
export function browserPid(marker: string): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(`--bench-marker=${marker}`) && !cmdline.includes('--type=')) {
        return Number(name);
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}
