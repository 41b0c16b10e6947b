/**
 * One level of a run: the load its requests were measured under. Today a run varies only
 * concurrency within itself (the embedded engine's thread count is per run: a threads sweep is one
 * run per count); arrival rate and context depth are the dimensions a later load shape adds. A
 * dimension a level does not vary is absent (undefined), so it neither enters the key nor the JSON.
 */
export interface Level {
  /** Requests in flight together. */
  concurrency: number;
  /** The embedded engine's decode threads, where the level is one of a threads sweep. */
  threads?: number;
  /** Open-loop arrivals per second. */
  arrivalRatePerS?: number;
  /** Tokens of context already in each request. */
  contextDepthTokens?: number;
}

/**
 * The key of a level, the same for every level with the same dimensions: the concurrency alone
 * ("4") when it is the only dimension, as resume keys were before the other dimensions existed;
 * else with each other dimension named ("4,threads=8"). Pure.
 */
export function levelKey(level: Level): string {
  const parts = [String(level.concurrency)];
  if (level.threads !== undefined) parts.push(`threads=${level.threads}`);
  if (level.arrivalRatePerS !== undefined) parts.push(`rate=${level.arrivalRatePerS}/s`);
  if (level.contextDepthTokens !== undefined) parts.push(`depth=${level.contextDepthTokens}`);
  return parts.join(',');
}

/**
 * The cap on requests in flight of an open-loop level (its stored concurrency): high enough that
 * only an over-saturated server reaches it (the over-saturation stop comes first).
 */
export const OPEN_LOOP_MAX_IN_FLIGHT = 256;

/**
 * A level in words for a report: "concurrency 4", "concurrency 4, threads 8"; an open-loop level:
 * "open loop, 2.5 arrivals/s" (with ", at most N in flight" under another cap than
 * OPEN_LOOP_MAX_IN_FLIGHT). Pure.
 */
export function levelLabel(level: Level): string {
  const open = level.arrivalRatePerS !== undefined;
  const capped = open && level.concurrency !== OPEN_LOOP_MAX_IN_FLIGHT;
  const parts = [
    open
      ? `open loop${capped ? `, at most ${level.concurrency} in flight` : ''}`
      : `concurrency ${level.concurrency}`,
  ];
  if (level.threads !== undefined) parts.push(`threads ${level.threads}`);
  if (level.arrivalRatePerS !== undefined) parts.push(`${level.arrivalRatePerS} arrivals/s`);
  if (level.contextDepthTokens !== undefined) parts.push(`context depth ${level.contextDepthTokens} tokens`);
  return parts.join(', ');
}

/** Whether two levels are the same level (every dimension equal). Pure. */
export function sameLevel(a: Level, b: Level): boolean {
  return levelKey(a) === levelKey(b);
}

/**
 * The level a stored request or phase was measured at. Only the dimensions a run varies within
 * itself are read: concurrency, for an open-loop level the offered arrival rate, and context depth
 * (requests.threads is the run's one thread count, not a level of it). An open-loop level's
 * concurrency is its cap on requests in flight. The one place that names which stored columns
 * make a level. Pure.
 */
export function levelOf(row: {
  concurrency: number;
  arrivalRatePerS?: number | null;
  contextDepthTokens?: number | null;
}): Level {
  const level: Level = { concurrency: row.concurrency };
  if (row.arrivalRatePerS != null) level.arrivalRatePerS = row.arrivalRatePerS;
  if (row.contextDepthTokens != null) level.contextDepthTokens = row.contextDepthTokens;
  return level;
}

/** The level of something that carries one (a level's summary, its energy): its dimensions alone. Pure. */
export function pickLevel(level: Level): Level {
  const picked: Level = { concurrency: level.concurrency };
  if (level.threads !== undefined) picked.threads = level.threads;
  if (level.arrivalRatePerS !== undefined) picked.arrivalRatePerS = level.arrivalRatePerS;
  if (level.contextDepthTokens !== undefined) picked.contextDepthTokens = level.contextDepthTokens;
  return picked;
}
