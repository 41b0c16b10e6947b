/**
 * Which models are loaded, with which num_ctx, until when: the part of Ollama's scheduler that
 * decides whether a request pays a (cold) load.
 */
import { elapsedNs, epochNowNs, formatRfc3339Nano, nowNs, sleepMs } from './clock.js';
import { psEntry } from './models.js';
import type { FakeModel } from './types.js';

/** keep_alive as Ollama reads it: 0 unloads, negative keeps forever, else a duration. */
export type KeepAlive = { kind: 'unload' } | { kind: 'forever' } | { kind: 'for'; ns: bigint };

const DEFAULT_KEEP_ALIVE: KeepAlive = { kind: 'for', ns: 5n * 60n * 1_000_000_000n };
/** Go's time.Duration maximum: what Ollama adds for "keep forever". */
const MAX_DURATION_NS = 9_223_372_036_854_775_807n;

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Seconds as a number, a bare number string (seconds) or a Go duration ("5m", "1h30m", "0"). */
export function parseKeepAlive(value: unknown): KeepAlive | undefined {
  let ns: number | undefined;
  if (value === undefined || value === null) return DEFAULT_KEEP_ALIVE;
  if (typeof value === 'number') ns = value * 1e9;
  else if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) ns = Number(value) * 1e9;
  else if (typeof value === 'string' && /^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) {
    const sign = value.startsWith('-') ? -1 : 1;
    ns = 0;
    for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) {
      ns += Number(amount) * (UNIT_NS[unit ?? 's'] ?? 1e9);
    }
    ns *= sign;
  }
  if (ns === undefined || !Number.isFinite(ns)) return undefined;
  if (ns < 0) return { kind: 'forever' };
  if (ns === 0) return { kind: 'unload' };
  return { kind: 'for', ns: BigInt(Math.round(ns)) };
}

interface LoadedModel {
  model: FakeModel;
  numCtx: number;
  /** Epoch ns after which the model counts as unloaded. */
  expiresAtNs: bigint;
  loading: boolean;
  /** Resolves when the load finished (true) or the server closed first (false). */
  ready: Promise<boolean>;
}

function whenAborted(signal: AbortSignal): Promise<false> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(false);
    else signal.addEventListener('abort', () => resolve(false), { once: true });
  });
}

export class ModelLoader {
  private readonly loaded = new Map<string, LoadedModel>();

  constructor(
    private readonly loadMs: number,
    private readonly serverSignal: AbortSignal,
  ) {}

  /**
   * Makes sure `model` is loaded with `numCtx`, loading (again) when it is not, has expired or
   * has another num_ctx. Concurrent requests share one load. Returns the ns this request
   * waited for a load (0 when warm), or null if `signal` aborted first.
   */
  async ensureLoaded(model: FakeModel, numCtx: number, signal: AbortSignal): Promise<number | null> {
    // The clock starts before a load is started, so a pause in between cannot make a load look shorter than loadMs.
    const start = nowNs();
    let entry = this.current(model);
    if (entry !== undefined && entry.numCtx === numCtx && !entry.loading) return 0;
    if (entry === undefined || entry.numCtx !== numCtx) entry = this.startLoad(model, numCtx);
    const ok = await Promise.race([entry.ready, whenAborted(signal)]);
    return ok && !signal.aborted ? elapsedNs(start) : null;
  }

  /** After a request: push the expiry out by keep_alive, or unload on keep_alive 0. */
  touch(model: FakeModel, keepAlive: KeepAlive): void {
    const entry = this.loaded.get(model.name);
    if (entry === undefined) return;
    if (keepAlive.kind === 'unload') this.loaded.delete(model.name);
    else entry.expiresAtNs = expiryFrom(keepAlive);
  }

  unload(model: FakeModel): void {
    this.loaded.delete(model.name);
  }

  unloadAll(): void {
    this.loaded.clear();
  }

  /** GET /api/ps: models whose load has finished and not expired; `context_length` unless told otherwise. */
  psPayload(withContextLength = true): { models: Record<string, unknown>[] } {
    const models: Record<string, unknown>[] = [];
    for (const entry of this.loaded.values()) {
      if (this.current(entry.model) !== entry || entry.loading) continue;
      const ps = psEntry(entry.model, formatRfc3339Nano(entry.expiresAtNs), entry.numCtx);
      if (!withContextLength) delete ps['context_length'];
      models.push(ps);
    }
    return { models };
  }

  private current(model: FakeModel): LoadedModel | undefined {
    const entry = this.loaded.get(model.name);
    if (entry !== undefined && !entry.loading && entry.expiresAtNs <= epochNowNs()) {
      this.loaded.delete(model.name);
      return undefined;
    }
    return entry;
  }

  private startLoad(model: FakeModel, numCtx: number): LoadedModel {
    const entry: LoadedModel = {
      model,
      numCtx,
      expiresAtNs: expiryFrom(DEFAULT_KEEP_ALIVE),
      loading: true,
      ready: Promise.resolve(false),
    };
    entry.ready = sleepMs(this.loadMs, this.serverSignal).then((ok) => {
      entry.loading = false;
      return ok;
    });
    this.loaded.set(model.name, entry);
    return entry;
  }
}

function expiryFrom(keepAlive: KeepAlive): bigint {
  const now = epochNowNs();
  if (keepAlive.kind === 'forever') return now + MAX_DURATION_NS;
  if (keepAlive.kind === 'unload') return now;
  return now + keepAlive.ns;
}
