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

/** A level in words for a report: "concurrency 4", "concurrency 4, threads 8". Pure. */
export function levelLabel(level: Level): string {
  const parts = [`concurrency ${level.concurrency}`];
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
 * itself are read: concurrency and context depth (requests.threads is the run's one thread count,
 * not a level of it). The one place that names which stored columns make a level. Pure.
 */
export function levelOf(row: { concurrency: number; contextDepthTokens?: number | null }): Level {
  const level: Level = { concurrency: row.concurrency };
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
