/** How long a writer waits for another process's lock before giving up (no SQLite import, so the CLI entry can name it cheaply). */
export const BUSY_TIMEOUT_MS = 5_000;
