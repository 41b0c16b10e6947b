import type { RunAnalysis } from '../analysis/analyze-run.js';
import type { CostSummary } from '../cost/cost-summary.js';
import {
  apiTokenSourceWords,
  cachedPriceBasisWords,
  cachedShareSourceWords,
  tokenSourceWords,
} from './source-words.js';

/**
 * A cost section as the JSON reports carry it: its typed sources in words (the keys and their order
 * unchanged, so the JSON stays what it was). Pure.
 */
export function costJson(c: CostSummary): unknown {
  return {
    ...c,
    perTask: { ...c.perTask, tokensCountedBy: tokenSourceWords(c.perTask.tokensCountedBy) },
    cachedShare: { ...c.cachedShare, source: cachedShareSourceWords(c.cachedShare.source) },
    apiTokens: apiTokenSourceWords(c.apiTokens),
    apis: c.apis.map((a) => ({
      ...a,
      task: { ...a.task, cachedPriceBasis: cachedPriceBasisWords(a.task.cachedPriceBasis) },
    })),
  };
}

/** A run's analysis as the JSON reports carry it (see costJson). Pure. */
export function analysisJson(a: RunAnalysis): unknown {
  return a.cost === null ? a : { ...a, cost: costJson(a.cost) };
}
