/** What the standalone fake servers (fake-ollama, fake-openai) share: number flags and a run-until-signal main. */

/** A non-negative number flag; undefined when not given; throws naming the flag otherwise. */
export function toNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new Error(`--${flag} must be a non-negative number, got "${value}"`);
  }
  return n;
}

/** Options without the keys left undefined, so the server's defaults apply. */
export function definedOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Parses the flags, starts the server and keeps it until SIGINT/SIGTERM. Bad flags print the
 * message and the usage (exit 2).
 */
export function serveUntilSignal<P>(
  name: string,
  usage: string,
  parse: (argv: string[]) => P | 'help',
  start: (parsed: P) => Promise<{ url: string; close: () => Promise<void> }>,
): void {
  const main = async (): Promise<void> => {
    let parsed: P | 'help';
    try {
      parsed = parse(process.argv.slice(2));
    } catch (error: unknown) {
      console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
      process.exitCode = 2;
      return;
    }
    if (parsed === 'help') {
      console.log(usage);
      return;
    }
    const server = await start(parsed);
    console.log(`${name} listening on ${server.url}`);
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(() => console.log(`${name} stopped`));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  };
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
