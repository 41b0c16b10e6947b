import { describe, expect, it } from 'vitest';
import { chooseChromium, type ChromiumLookup } from './support/browser.js';

const DEBIAN = '/usr/bin/chromium';

type Prefer = 'system' | 'npm';

function choose(platform: string, present: string[], env: NodeJS.ProcessEnv = {}, prefer?: Prefer): unknown {
  const lookup: ChromiumLookup = { env, exists: (p) => present.includes(p), platform, prefer };
  return chooseChromium(lookup);
}

describe('which Chromium the browser tests run', () => {
  it('a system one first, else the npm-shipped one on linux-x64', () => {
    expect(choose('linux-x64', [DEBIAN])).toEqual({ kind: 'system', path: DEBIAN });
    const chrome = '/usr/bin/google-chrome';
    expect(choose('linux-x64', [chrome])).toEqual({ kind: 'system', path: chrome });
    expect(choose('linux-x64', []), 'a fresh machine').toEqual({ kind: 'npm' });
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(choose('darwin-arm64', [mac])).toEqual({ kind: 'system', path: mac });
  });

  it('the npm-shipped one when preferred or forced, only where the package ships one', () => {
    expect(choose('linux-x64', [DEBIAN], {}, 'npm')).toEqual({ kind: 'npm' });
    const forced = { COSTBENCH_TEST_BROWSER: 'npm' };
    expect(choose('linux-x64', [DEBIAN], forced), 'skips the system lookup').toEqual({ kind: 'npm' });
    expect(choose('linux-arm64', [DEBIAN], {}, 'npm'), 'none for arm64').toEqual({
      kind: 'system',
      path: DEBIAN,
    });
    expect(choose('linux-x64', [], { COSTBENCH_TEST_BROWSER: 'system' })).toMatchObject({ kind: 'none' });
  });

  it('$CHROMIUM_PATH wins, and a wrong one is an error rather than a silent fallback', () => {
    const env = { CHROMIUM_PATH: '/opt/c' };
    expect(choose('linux-x64', ['/opt/c', DEBIAN], env, 'npm')).toEqual({ kind: 'system', path: '/opt/c' });
    const reason = 'CHROMIUM_PATH=/opt/c does not exist';
    expect(choose('linux-x64', [DEBIAN], env)).toEqual({ kind: 'none', reason });
  });

  it('no browser at all: one line naming where it looked and what to set', () => {
    expect(choose('linux-arm64', [])).toEqual({
      kind: 'none',
      reason:
        'no Chromium for the browser tests on linux-arm64 (looked at /usr/bin/chromium, ' +
        '/usr/bin/chromium-browser, /usr/bin/google-chrome, /usr/bin/google-chrome-stable; @sparticuz/chromium ' +
        'ships one only for linux-x64): set CHROMIUM_PATH to a Chromium or Chrome binary',
    });
    expect(choose('win32-x64', [], { COSTBENCH_TEST_BROWSER: 'npm' })).toEqual({
      kind: 'none',
      reason:
        'no Chromium for the browser tests on win32-x64 (COSTBENCH_TEST_BROWSER=npm; @sparticuz/chromium ' +
        'ships one only for linux-x64): set CHROMIUM_PATH to a Chromium or Chrome binary',
    });
  });
});
