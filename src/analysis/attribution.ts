/** A request's time on the run clock and its share weight. */
export interface RequestWindow {
  seq: number;
  startMs: number;
  endMs: number;
  /** Output tokens; requests that overlap share energy in proportion to this. */
  weight: number;
}

/**
 * Splits energy among requests. The timeline is cut at every request start and end; each piece's
 * energy goes to the requests running during it, in proportion to their weights (equal shares
 * when all weights are 0). Sequential requests each get exactly their own window. Time when no
 * request runs is left unattributed. Pure; `energyBetween` returns joules for [a, b]. A sweep over
 * the sorted cuts keeps only the running requests at hand, so 100k requests cost n log n, not n².
 */
export function attributeEnergy(
  windows: readonly RequestWindow[],
  energyBetween: (fromMs: number, toMs: number) => number,
): Map<number, number> {
  const shares = new Map<number, number>(windows.map((w) => [w.seq, 0]));
  const cuts = [...new Set(windows.flatMap((w) => [w.startMs, w.endMs]))].sort((a, b) => a - b);
  const byStart = [...windows].sort((a, b) => a.startMs - b.startMs);
  let nextStart = 0;
  let active: RequestWindow[] = [];
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const from = cuts[i] as number;
    const to = cuts[i + 1] as number;
    while (nextStart < byStart.length && (byStart[nextStart] as RequestWindow).startMs <= from) {
      active.push(byStart[nextStart] as RequestWindow);
      nextStart += 1;
    }
    active = active.filter((w) => w.endMs >= to);
    if (active.length === 0) continue;
    const energyJ = energyBetween(from, to);
    const total = active.reduce((acc, w) => acc + w.weight, 0);
    for (const w of active) {
      const share = total > 0 ? w.weight / total : 1 / active.length;
      shares.set(w.seq, (shares.get(w.seq) ?? 0) + energyJ * share);
    }
  }
  return shares;
}
