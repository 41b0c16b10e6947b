/** What a command may touch of the outside world; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stderr is a terminal (progress bar) or not (plain lines). */
  isTty: boolean;
}

/**
 * A process stream that stops writing once its reader has gone (`costbench report | head`: EPIPE)
 * instead of dying with an unhandled 'error' event: the command goes on, so a run still stores
 * everything it measures.
 */
function guardedWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    closed = true;
    if (error.code !== 'EPIPE' && stream !== process.stderr)
      process.stderr.write(
        `costbench: cannot write to stdout (${error.code ?? error.message}); going on without it\n`,
      );
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/** The real process's io. */
export function processIo(): CliIo {
  return {
    stdout: guardedWriter(process.stdout),
    stderr: guardedWriter(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    isTty: process.stderr.isTTY === true,
  };
}
