import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';

/** Where a system Chromium or Chrome is looked for, per platform, in order. */
export const SYSTEM_CHROMIUM_PATHS: Readonly<Record<string, readonly string[]>> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ],
  darwin: [
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
};

/** The only platform for which @sparticuz/chromium (a devDependency) ships a headless Chromium. */
export const NPM_CHROMIUM_PLATFORM = 'linux-x64';

/** The Chromium the browser tests run: one on this machine, the npm-shipped one, or none (and why). */
export type ChromiumChoice =
  { kind: 'system'; path: string } | { kind: 'npm' } | { kind: 'none'; reason: string };

/** What decides the choice; `exists` and `platform` are parameters so that the order is testable. */
export interface ChromiumLookup {
  env: NodeJS.ProcessEnv;
  exists: (path: string) => boolean;
  /** `${process.platform}-${process.arch}` */
  platform: string;
  /** 'npm': the npm-shipped build where this platform has one, else a system one. Default 'system'. */
  prefer?: 'system' | 'npm';
}

function systemPaths(platform: string): readonly string[] {
  return SYSTEM_CHROMIUM_PATHS[platform.split('-')[0] ?? ''] ?? [];
}

/**
 * Chooses the browser: $CHROMIUM_PATH when set (and then only it); $COSTBENCH_TEST_BROWSER=npm or =system
 * forces one source; otherwise a system Chromium first, then the npm-shipped one. Pure.
 */
export function chooseChromium(lookup: ChromiumLookup): ChromiumChoice {
  const { env, exists, platform } = lookup;
  const explicit = env['CHROMIUM_PATH'];
  if (explicit !== undefined && explicit !== '') {
    if (exists(explicit)) return { kind: 'system', path: explicit };
    return { kind: 'none', reason: `CHROMIUM_PATH=${explicit} does not exist` };
  }
  const forced = env['COSTBENCH_TEST_BROWSER'];
  const npmHere = platform === NPM_CHROMIUM_PLATFORM && forced !== 'system';
  if (npmHere && (forced === 'npm' || lookup.prefer === 'npm')) return { kind: 'npm' };
  const paths = forced === 'npm' ? [] : systemPaths(platform);
  const found = paths.find((p) => exists(p));
  if (found !== undefined) return { kind: 'system', path: found };
  if (npmHere) return { kind: 'npm' };
  const looked = forced === 'npm' ? 'COSTBENCH_TEST_BROWSER=npm' : `looked at ${paths.join(', ') || '-'}`;
  return {
    kind: 'none',
    reason:
      `no Chromium for the browser tests on ${platform} (${looked}; @sparticuz/chromium ships one ` +
      `only for ${NPM_CHROMIUM_PLATFORM}): set CHROMIUM_PATH to a Chromium or Chrome binary`,
  };
}

/** The unpacked npm-shipped Chromium: its binary and what it needs in its environment. */
interface NpmChromium {
  executablePath: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

function npmPackageRoot(): string {
  // The package exports no package.json; its CommonJS entry is build/cjs/index.cjs.
  return join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
}

/** Runs the package's own `executablePath()` with TMPDIR pointed at `dir`: it unpacks into tmpdir(). */
async function inflateInto(dir: string): Promise<string> {
  const saved = process.env['TMPDIR'];
  process.env['TMPDIR'] = dir;
  try {
    const { default: Chromium } = await import('@sparticuz/chromium');
    return await Chromium.executablePath();
  } finally {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
  }
}

/**
 * Unpacks the npm-shipped Chromium once per machine into `<tmpdir>/costbench-chromium-<version>`: the
 * binary, SwiftShader and fonts through the package's `executablePath()`, and the NSS/expat libraries it
 * links (its `al2023.tar.br`, which the package unpacks only on AWS) so that it needs nothing installed.
 * Unpacked in a private folder renamed into place, so an interrupted or concurrent first run leaves no
 * half-written binary behind.
 */
async function unpackNpmChromium(): Promise<NpmChromium> {
  const root = npmPackageRoot();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const dir = join(tmpdir(), `costbench-chromium-${version}`);
  if (!existsSync(join(dir, 'chromium'))) {
    const stage = mkdtempSync(`${dir}.partial-`);
    try {
      await inflateInto(stage);
      mkdirSync(join(stage, 'al2023'));
      const libs = brotliDecompressSync(readFileSync(join(root, 'bin', 'al2023.tar.br')));
      execFileSync('tar', ['-x', '-C', join(stage, 'al2023')], { input: libs });
      // The package's fonts.conf names /tmp/fonts; this one names the fonts where they are.
      const conf = `<fontconfig><dir>${dir}/fonts</dir><cachedir>${dir}/fonts-cache</cachedir></fontconfig>`;
      writeFileSync(join(stage, 'fonts.conf'), `<?xml version="1.0"?>\n${conf}\n`);
      renameSync(stage, dir);
    } catch (error) {
      rmSync(stage, { recursive: true, force: true });
      if (!existsSync(join(dir, 'chromium'))) throw error; // else another process finished first
    }
  }
  const { default: Chromium } = await import('@sparticuz/chromium');
  const libs = join(dir, 'al2023', 'lib');
  const ldPath = process.env['LD_LIBRARY_PATH'];
  return {
    executablePath: join(dir, 'chromium'),
    // The package's flags (headless shell, single process, SwiftShader); --no-sandbox is among them (root).
    args: Chromium.args,
    env: {
      ...process.env,
      LD_LIBRARY_PATH: ldPath ? `${libs}:${ldPath}` : libs,
      FONTCONFIG_FILE: join(dir, 'fonts.conf'),
    },
  };
}

function chooseHere(options: { prefer?: 'system' | 'npm' }): ChromiumChoice {
  const platform = `${process.platform}-${process.arch}`;
  return chooseChromium({ env: process.env, exists: existsSync, platform, ...options });
}

/** The first line of an error, for a one-line failure. */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * Launches headless Chromium through playwright-core (it downloads no browsers): see {@link chooseChromium}.
 * No browser at all is an error with a one-line reason, not a skip: the HTML report's charts are tested here.
 */
export async function launchChromium(options: { prefer?: 'system' | 'npm' } = {}): Promise<Browser> {
  const choice = chooseHere(options);
  if (choice.kind === 'none') throw new Error(choice.reason);
  if (choice.kind === 'system') {
    return chromium.launch({ executablePath: choice.path, args: ['--no-sandbox', '--headless=new'] });
  }
  let npm: NpmChromium;
  try {
    npm = await unpackNpmChromium();
  } catch (error) {
    const why = firstLine(error);
    throw new Error(`cannot unpack the npm-shipped Chromium (@sparticuz/chromium): ${why}`, { cause: error });
  }
  try {
    return await chromium.launch(npm);
  } catch (error) {
    const why = firstLine(error);
    throw new Error(`the npm-shipped Chromium ${npm.executablePath} did not start: ${why}`, { cause: error });
  }
}

/** Which browser {@link launchChromium} would run, in words (for a test's name or message). */
export function describeChromium(options: { prefer?: 'system' | 'npm' } = {}): string {
  const choice = chooseHere(options);
  if (choice.kind === 'system') return choice.path;
  return choice.kind === 'npm' ? 'the npm-shipped Chromium' : 'no Chromium';
}
