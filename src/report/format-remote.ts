import type { RemoteBilling } from '../analysis/remote-billing.js';
import { formatCount, formatMoney } from './cost-words.js';
import { formatNumber } from './format-number.js';

/** What a remote run does not measure: said in every format, so no blank reads as zero. */
export const REMOTE_NOT_MEASURED =
  'Not measured for a run against a remote API: power, energy, roofline and capacity (the machines are the provider’s); its cost is its bill.';

function usd(b: RemoteBilling, value: number | null): string {
  const c = b.currency;
  const text = `${formatMoney(value)} USD`;
  return c === null || value === null ? text : `${text} (${formatMoney(value * c.perUsd)} ${c.name})`;
}

/** The billed section of a remote run, line by line, without a heading. Pure. */
export function formatRemoteLines(b: RemoteBilling): string[] {
  const p = b.price;
  const failed = b.requestsBilled - b.okTasks + b.okUnbilled;
  const lines = [
    `Price: ${p.priceModel} (${p.provider}${p.batch ? ', batch' : ''}), USD per 1M tokens: ${p.inputUsdPerMTok} input, ${p.outputUsdPerMTok} output, ${p.cachedInputUsdPerMTok ?? '— (input price)'} cached input; ${p.priceSource}${p.priceAsOf === null ? '' : ` ${p.priceAsOf}`}`,
    `Spend: ${usd(b, b.totalSpendUsd)} over ${formatCount(b.requestsBilled)} billed requests${failed > 0 ? `, ${usd(b, b.failedSpendUsd)} of it on ${failed} that failed` : ''}; spend cap ${p.maxSpendUsd} USD${p.stopReason === null ? '' : `; stopped early: ${p.stopReason}`}`,
    `Per task: ${usd(b, b.perTaskUsd)} (total spend / ${formatCount(b.okTasks)} answered tasks: a failed request that was billed is money spent)`,
    `Per correct task: ${b.perCorrectTaskUsd === null ? '— (no accuracy measured)' : `${usd(b, b.perCorrectTaskUsd)} (per task / accuracy ${formatNumber((b.accuracy ?? 0) * 100)}%)`}`,
    `Tokens per task: ${b.reasoningTokensPerTask === null ? '— (not reported)' : formatNumber(b.reasoningTokensPerTask)} reasoning, ${b.cachedPromptTokensPerTask === null ? '— (not reported)' : formatNumber(b.cachedPromptTokensPerTask)} cached prompt`,
    `Rate limits: ${b.retries} retries after HTTP 429, ${formatNumber(b.retryWaitMs / 1000)} s waited`,
  ];
  if (b.okUnbilled > 0)
    lines.push(
      `${b.okUnbilled} answered requests reported no usage: their cost, and so the per-task cost, is unknown`,
    );
  return lines;
}
