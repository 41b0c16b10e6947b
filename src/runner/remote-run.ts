/**
 * What makes a run a remote one, and the price it is billed at: decided once, at the start, from
 * the config, the host and the price table the caller read. Throws a one-line ConfigError for a
 * remote run that cannot be: another backend, plain http, or no price for the model.
 */
import { isRemoteBackend } from '../backends/remote-hosts.js';
import { matchPriceKey, priceKeyCandidates } from '../cost/price-match.js';
import type { PriceTable } from '../cost/price-types.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import type { RemoteRun } from '../types/run-rows.js';

/**
 * Whether this run is remote; throws when --remote asks it of a backend that is no API, or when a
 * remote host is plain http without backend.allowInsecure.
 */
export function checkRemoteRun(backend: Config['backend'], host: string): boolean {
  if (backend.kind !== 'openai') {
    if (backend.remote === true)
      throw new ConfigError(
        `--remote needs --backend openai (an OpenAI-compatible API); backend ${backend.kind} runs a local model`,
        'Run a remote API with --backend openai --host https://api.openai.com/v1 --model <model>.',
      );
    return false;
  }
  if (!isRemoteBackend(backend, host)) return false;
  if (host.startsWith('http://') && !backend.allowInsecure)
    throw new ConfigError(
      `a remote run needs https: ${host} would send the API key in clear text`,
      'Use the https:// address, or --allow-insecure for a test server on this machine (--no-remote for a self-hosted server).',
    );
  return true;
}

/** The price a remote run is billed at, as stored (setRemoteRun), and a note when --batch found no batch price. */
export function resolveRemoteRun(
  config: Config,
  host: string,
  model: string,
  table: PriceTable,
): { remote: RemoteRun; note: string | null } {
  const hostname = hostnameOf(host);
  const byKey = new Map(table.prices.map((p) => [p.model, p]));
  const key = matchPriceKey(hostname, model, (k) => byKey.has(k), config.run.priceModel);
  const price = key === null ? undefined : byKey.get(key);
  if (price === undefined) {
    const looked = config.run.priceModel ?? priceKeyCandidates(hostname, model).join('", "');
    throw new ConfigError(
      `no price for model "${model}" at ${hostname ?? host} (looked for "${looked}" in the price table)`,
      `Add one to the config: "cost": {"customPrices": [{"model": "${model}", "inputPerMTok": <USD>, "outputPerMTok": <USD>}]}, ` +
        'import a newer table with `costbench prices import <litellm json>`, or name a table key with --price-model (see `costbench prices list`).',
    );
  }
  const batchPrices =
    price.batchInputUsdPerMTok !== null && price.batchOutputUsdPerMTok !== null
      ? { input: price.batchInputUsdPerMTok, output: price.batchOutputUsdPerMTok }
      : null;
  const batch = config.cost.batch && batchPrices !== null;
  const note =
    config.cost.batch && batchPrices === null
      ? `--batch: the price table has no batch price for ${price.model}; billed at its standard price`
      : null;
  return {
    note,
    remote: {
      priceModel: price.model,
      provider: price.provider,
      inputUsdPerMTok: batch && batchPrices !== null ? batchPrices.input : price.inputUsdPerMTok,
      outputUsdPerMTok: batch && batchPrices !== null ? batchPrices.output : price.outputUsdPerMTok,
      cachedInputUsdPerMTok: price.cachedInputUsdPerMTok,
      batch,
      priceSource: price.source,
      priceAsOf: price.asOf,
      maxSpendUsd: config.run.maxSpendUsd,
      stopReason: null,
    },
  };
}

function hostnameOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}
