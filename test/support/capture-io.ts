import type { CliIo } from '../../src/cli/io.js';

/** A command's io for an in-process test: what it prints is kept; not a terminal. */
export interface CapturedIo {
  io: CliIo;
  /** Everything printed so far on stdout / stderr. */
  stdout: () => string;
  stderr: () => string;
}

/** An io that keeps stdout and stderr, with `env` and `cwd` as given and no terminal. */
export function captureIo(env: NodeJS.ProcessEnv, cwd: string): CapturedIo {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      env,
      cwd,
      isTty: false,
    },
    stdout: () => stdout,
    stderr: () => stderr,
  };
}
