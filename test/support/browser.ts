import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests look for Chromium: $CHROMIUM_PATH, then Debian's package. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = [env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => p !== undefined && p !== '');
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    // A failure, not a skip: CI installs Chromium (.ci/run), so a missing one is a broken setup.
    throw new Error(
      `Chromium not found (looked at ${candidates.join(', ')}): the HTML report's browser test needs it. ` +
        'Install it with `apt-get install chromium` (as .ci/run does) or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  return found;
}

/** Launches headless Chromium through playwright-core (no downloaded browsers). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--headless=new'] });
}
