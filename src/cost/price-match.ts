/**
 * Which price-table key a remote run is billed at: the API's host and the model name it was
 * sent, matched to the keys litellm's table uses (api.openai.com + gpt-4o-mini -> "gpt-4o-mini";
 * openrouter.ai + openai/gpt-4o-mini -> "openrouter/openai/gpt-4o-mini"; Groq -> "groq/<model>").
 * Pure: the caller reads the table.
 */

/** Each known API host's key prefix in the price table; the bare model name is tried after it. */
const PRICE_PREFIX_BY_HOST: Readonly<Record<string, string>> = {
  'api.openai.com': 'openai/',
  'openrouter.ai': 'openrouter/',
  'api.together.xyz': 'together_ai/',
  'api.groq.com': 'groq/',
  'generativelanguage.googleapis.com': 'gemini/',
  'api.anthropic.com': 'anthropic/',
  'api.mistral.ai': 'mistral/',
  'api.deepseek.com': 'deepseek/',
  'api.fireworks.ai': 'fireworks_ai/',
};

/**
 * The keys to look for, best first: the host's prefix + model, then the model as named (OpenAI's
 * and Anthropic's keys are bare). Gemini's compatibility endpoint also accepts "models/<name>".
 */
export function priceKeyCandidates(hostname: string | null, model: string): string[] {
  const name = model.replace(/^models\//, '');
  const prefix = hostname === null ? undefined : PRICE_PREFIX_BY_HOST[hostname.toLowerCase()];
  const keys = prefix === undefined ? [model, name] : [`${prefix}${name}`, name, model];
  return [...new Set(keys)];
}

/** The first candidate the table has, or null. `override` (--price-model) wins when the table has it. */
export function matchPriceKey(
  hostname: string | null,
  model: string,
  hasKey: (key: string) => boolean,
  override: string | null = null,
): string | null {
  if (override !== null) return hasKey(override) ? override : null;
  return priceKeyCandidates(hostname, model).find(hasKey) ?? null;
}
