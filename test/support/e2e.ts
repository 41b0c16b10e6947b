import { afterAll, beforeAll } from 'vitest';
import { runCli, type CliResult } from './cli.js';
import { startFakeOllama, type FakeOllama, type FakeOllamaOptions } from './fake-ollama/index.js';
import { makeTempDir } from './temp.js';

/** The end-to-end setup of a describe block: a temp directory and a fake Ollama, both there for its tests. */
export interface FakeOllamaBench {
  /** The temp directory: the data directory (XDG_DATA_HOME) of every run, and room for databases and configs. */
  readonly path: string;
  /** The fake server (started in beforeAll). */
  readonly server: FakeOllama;
  /**
   * Runs the built CLI against the fake server: `--host <server> --db <db>` appended, XDG_DATA_HOME the
   * temp directory, `env` on top.
   */
  cli(args: string[], db: string, env?: NodeJS.ProcessEnv): Promise<CliResult>;
}

/**
 * Starts a fake Ollama before a describe block's tests (before its own beforeAll hooks registered
 * after this call) in a fresh temp directory, and closes and removes both after them.
 */
export function useFakeOllamaBench(options: FakeOllamaOptions): FakeOllamaBench {
  const dir = makeTempDir();
  let server: FakeOllama | null = null;
  beforeAll(async () => {
    server = await startFakeOllama(options);
  });
  afterAll(async () => {
    await server?.close();
    dir.remove();
  });
  const started = (): FakeOllama => {
    if (server === null) throw new Error('the fake Ollama starts in beforeAll: use it inside a hook or test');
    return server;
  };
  return {
    path: dir.path,
    get server() {
      return started();
    },
    cli: (args, db, env = {}) =>
      runCli([...args, '--host', started().url, '--db', db], { XDG_DATA_HOME: dir.path, ...env }),
  };
}
