/**
 * The one errors module. Every error a user can cause or meet carries a one-line message
 * (what went wrong, where), a hint (how to fix it) and a distinct exit code. Only
 * src/cli/main.ts turns these into output and a process exit.
 */

/** Exit codes, one per kind of failure, so scripts and schedulers can tell them apart. */
export const EXIT = {
  ok: 0,
  /** The run finished but some requests failed, or the run itself failed. */
  runFailed: 1,
  /** Bad flags, bad config, bad input files. */
  config: 2,
  /** The model server could not be reached. */
  backendUnreachable: 3,
  /** The database could not be opened, migrated or written. */
  store: 4,
  /** The server answered, but refused: unknown model, bad request. */
  backend: 5,
  /** Something asked for does not exist (a run id, a suite). */
  notFound: 6,
  /** A model file the embedded engine cannot use: not a GGUF, truncated, unknown architecture, larger than memory. */
  modelFile: 7,
  /** A model could not be downloaded: offline, interrupted, size or checksum mismatch, cache not writable. */
  download: 8,
  /** The embedded engine's process crashed mid-run (finished requests are kept). */
  engineCrashed: 9,
  /** A bundle cannot be imported: truncated, corrupt, a checksum mismatch, or written by a newer costbench. */
  bundle: 10,
  /** A bundle holds a run (same UUID) that the database already has with other content. */
  bundleConflict: 11,
  /** A bug in costbench. */
  internal: 70,
  /** Another run holds the lock: this one was skipped (EX_TEMPFAIL: try again later). */
  busy: 75,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Base class: a failure with a user-facing message, a hint and an exit code. */
export class CostbenchError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, options: { hint?: string; exitCode: ExitCode; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.exitCode = options.exitCode;
  }
}

/** Invalid configuration, flags or input files (exit 2). */
export class ConfigError extends CostbenchError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { hint, exitCode: EXIT.config, cause });
  }
}

/** The model server did not answer at all (exit 3). */
export class BackendUnreachableError extends CostbenchError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { hint, exitCode: EXIT.backendUnreachable, cause });
  }
}

/** The model server answered with a refusal: unknown model, bad request, server error (exit 5). */
export class BackendError extends CostbenchError {
  /** HTTP status, when the server sent one. */
  readonly status: number | undefined;

  constructor(message: string, options: { hint?: string; status?: number; cause?: unknown } = {}) {
    super(message, { hint: options.hint, exitCode: EXIT.backend, cause: options.cause });
    this.status = options.status;
  }
}

/** The database could not be opened, migrated or written (exit 4). */
export class StoreError extends CostbenchError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { hint, exitCode: EXIT.store, cause });
  }
}

/** A named thing (run, suite, model) does not exist (exit 6). */
export class NotFoundError extends CostbenchError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: EXIT.notFound });
  }
}

/** A model file the embedded engine cannot use (exit 7). */
export class ModelFileError extends CostbenchError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { hint, exitCode: EXIT.modelFile, cause });
  }
}

/** A model could not be downloaded into the cache (exit 8); nothing half-written is left there. */
export class ModelDownloadError extends CostbenchError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { hint, exitCode: EXIT.download, cause });
  }
}

/** A bundle (`costbench import`) that cannot be read or written: nothing of it was imported (exit 10). */
export class BundleError extends CostbenchError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { hint, exitCode: EXIT.bundle, cause });
  }
}

/** A bundle's run has the UUID of a stored run but other content: nothing of the bundle was imported (exit 11). */
export class BundleConflictError extends CostbenchError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: EXIT.bundleConflict });
  }
}

/** Returns a short, single-line description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message.split('\n')[0] ?? error.name;
  }
  return String(error).split('\n')[0] ?? 'unknown error';
}
