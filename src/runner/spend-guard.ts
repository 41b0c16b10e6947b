/**
 * The spend cap of a run against a remote, per-token-billed API, and each request's billed cost.
 * Before a request is sent, its worst-case cost is reserved: every byte of its messages (as JSON,
 * roles and quotes included, which also covers the few tokens a chat template adds per message)
 * counted as one input token, since no real tokenizer makes more tokens than bytes, plus the most
 * output tokens the request allows (max_tokens / max_completion_tokens, which bounds reasoning
 * tokens too). A request is not sent when what is spent, plus what requests in flight reserved,
 * plus its own reservation would pass the cap. When it finishes, its reservation becomes its billed
 * cost; one with no usage counts as its whole reservation (it may have been billed), except an HTTP
 * error before any output (a refused request is not billed). Pure: no clock, no I/O.
 */
import type { ChatMessage } from '../backends/backend.js';

/** A price in USD per 1M tokens; cached input null: billed at the input price. */
export interface BilledPrice {
  inputUsdPerMTok: number;
  outputUsdPerMTok: number;
  cachedInputUsdPerMTok: number | null;
}

/** Billed usage of one request; null where the API did not report it. */
export interface BilledUsage {
  promptTokens: number | null;
  cachedPromptTokens: number | null;
  /** completion_tokens: reasoning tokens are already part of it (not added again). */
  outputTokens: number | null;
}

/**
 * ((prompt - cached) x input + cached x cachedInput (input when null) + completion x output) / 1e6,
 * USD; null when the prompt or completion count is unknown. Cached above prompt counts as prompt.
 */
export function computeRequestCostUsd(usage: BilledUsage, price: BilledPrice): number | null {
  const { promptTokens, outputTokens } = usage;
  if (promptTokens === null || outputTokens === null || promptTokens < 0 || outputTokens < 0) return null;
  const cached = Math.min(Math.max(usage.cachedPromptTokens ?? 0, 0), promptTokens);
  const cachedPrice = price.cachedInputUsdPerMTok ?? price.inputUsdPerMTok;
  return (
    ((promptTokens - cached) * price.inputUsdPerMTok +
      cached * cachedPrice +
      outputTokens * price.outputUsdPerMTok) /
    1e6
  );
}

/** UTF-8 bytes of the messages as JSON: an upper bound on their prompt tokens. */
export function promptBytesOf(messages: readonly ChatMessage[]): number {
  return new TextEncoder().encode(JSON.stringify(messages)).length;
}

/** The most a request can cost: promptBytes at the dearer input price + maxOutputTokens at the output price. */
export function worstCaseCostUsd(promptBytes: number, maxOutputTokens: number, price: BilledPrice): number {
  const input = Math.max(price.inputUsdPerMTok, price.cachedInputUsdPerMTok ?? 0);
  return (promptBytes * input + maxOutputTokens * price.outputUsdPerMTok) / 1e6;
}

/** A reservation granted (its amount, to settle later) or refused (why, in one line). */
export type Reservation = { ok: true; usd: number } | { ok: false; reason: string };

/** Tracks what a run spent and reserved against its cap. Works with any number of requests in flight. */
export class SpendGuard {
  private spentUsd: number;
  private reservedUsd = 0;

  constructor(
    readonly capUsd: number,
    /** What the run spent before (a resumed run's finished requests). */
    spentUsd = 0,
  ) {
    this.spentUsd = spentUsd;
  }

  /** Reserves `worstUsd` for a request about to be sent, unless that could pass the cap. */
  reserve(worstUsd: number): Reservation {
    if (this.spentUsd + this.reservedUsd + worstUsd > this.capUsd) {
      const inFlight = this.reservedUsd > 0 ? ` (+${this.reservedUsd.toFixed(4)} reserved in flight)` : '';
      return {
        ok: false,
        reason: `spend cap: ${this.spentUsd.toFixed(4)} USD spent${inFlight} of ${formatCap(this.capUsd)}; the next request could cost up to ${worstUsd.toFixed(4)}`,
      };
    }
    this.reservedUsd += worstUsd;
    return { ok: true, usd: worstUsd };
  }

  /** A request finished: its reservation is released and what it cost (`billedUsd`) is spent. */
  settle(reservedUsd: number, billedUsd: number): void {
    this.reservedUsd = Math.max(0, this.reservedUsd - reservedUsd);
    this.spentUsd += billedUsd;
  }

  get spent(): number {
    return this.spentUsd;
  }
}

/** A cap in whole cents as 1.00, a finer one (0.001) with four decimals. */
function formatCap(usd: number): string {
  return Number.isInteger(Math.round(usd * 1e6) / 1e4) ? usd.toFixed(2) : usd.toFixed(4);
}
