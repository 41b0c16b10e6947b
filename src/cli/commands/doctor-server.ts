import type { Backend, ChatResult } from '../../backends/backend.js';
import type { OpenAiBackend } from '../../backends/openai.js';
import { CostbenchError, EXIT } from '../../errors.js';

/** One line of `costbench doctor`. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  hint: string | null;
}

/** The probe request: two tokens, enough to see which counts and timings the server sends. */
export const PROBE_TIMEOUT_MS = 60_000;

/** What a probe's result says about the figures a run on this server will have. Pure. */
export function describeProbe(result: ChatResult, model: string): Check {
  if (result.state !== 'ok') {
    return {
      name: 'server metrics',
      ok: false,
      detail: `a 2-token request to ${model} failed: ${result.error}`,
      hint: 'Check that the model is loaded and that the server accepts streaming chat completions.',
    };
  }
  const timed = result.metrics.evalMs !== null;
  switch (result.metricsSource) {
    case 'server':
      return {
        name: 'server metrics',
        ok: true,
        detail: `token counts and decode time from the server itself (llama.cpp timings)${timed ? '' : ', but no decode duration: decode is client-timed'}`,
        hint: null,
      };
    case 'usage':
      return {
        name: 'server metrics',
        ok: true,
        detail:
          "token counts from the server's usage block (its tokenizer); it reports no decode duration, so decode speed is client-timed (first to last streamed token)",
        hint: null,
      };
    default:
      return {
        name: 'server metrics',
        ok: true,
        detail:
          'no usage in the stream: output tokens will be counted one per chunk (ESTIMATE), prompt tokens are unknown, and API costs will come out understated',
        hint: 'LM Studio sends no usage when streaming; llama.cpp server and vLLM do (exact counts). The run still works, with every token figure marked as an estimate.',
      };
  }
}

/**
 * The checks of an OpenAI-compatible server: which one answers (llama.cpp /props, vLLM /version),
 * the models it lists, and one 2-token probe request showing which counts and timings a run will get.
 * Returns the checks and the exit code of the first failure (EXIT.ok when none).
 */
export async function checkOpenAiServer(
  backend: OpenAiBackend,
  model: string | null,
): Promise<{ checks: Check[]; code: number }> {
  let identity: Awaited<ReturnType<OpenAiBackend['identify']>>;
  let models: string[];
  try {
    [identity, models] = await Promise.all([
      backend.identify(),
      backend.listModels().then((list) => list.map((m) => m.name)),
    ]);
  } catch (error) {
    const e = error instanceof CostbenchError ? error : null;
    return {
      checks: [{ name: 'server', ok: false, detail: e?.message ?? String(error), hint: e?.hint ?? null }],
      code: e?.exitCode ?? EXIT.internal,
    };
  }
  const which =
    identity.flavor === 'llama.cpp'
      ? `llama.cpp server ${identity.version} (from /props)`
      : identity.flavor === 'vllm'
        ? `vLLM ${identity.version} (from /version)`
        : "an OpenAI-compatible server without llama.cpp's /props or vLLM's /version (LM Studio or another)";
  const checks: Check[] = [
    {
      name: 'server',
      ok: models.length > 0,
      detail: `${which} at ${backend.host}; ${models.length} model(s) listed${models.length === 0 ? '' : `: ${models.slice(0, 5).join(', ')}${models.length > 5 ? ', …' : ''}`}`,
      hint:
        models.length === 0
          ? 'The server lists no model: load one (llama-server -m, vllm serve <model>, or load it in LM Studio).'
          : null,
    },
  ];
  if (models.length === 0) return { checks, code: EXIT.backend };
  const probeModel = model ?? models[0] ?? '';
  if (!models.includes(probeModel)) {
    checks.push({
      name: 'server metrics',
      ok: false,
      detail: `model "${probeModel}" is not listed by the server`,
      hint: `Use one of: ${models.join(', ')}`,
    });
    return { checks, code: EXIT.backend };
  }
  const result = await backend.chat({
    model: probeModel,
    messages: [{ role: 'user', content: 'Hi' }],
    options: { numPredict: 2, temperature: 0 },
    timeoutMs: PROBE_TIMEOUT_MS,
  });
  const probe = describeProbe(result, probeModel);
  checks.push(probe);
  const code = probe.ok
    ? EXIT.ok
    : result.state !== 'ok' && result.errorKind === 'unreachable'
      ? EXIT.backendUnreachable
      : EXIT.backend;
  return { checks, code };
}

/** The Ollama check: its version and how many models are installed. */
export async function checkOllamaServer(
  backend: Backend,
  host: string,
): Promise<{ checks: Check[]; code: number }> {
  try {
    const [version, models] = await Promise.all([backend.version(), backend.listModels()]);
    return {
      checks: [
        {
          name: 'ollama',
          ok: true,
          detail: `Ollama ${version} at ${host}, ${models.length} model(s) installed`,
          hint: models.length === 0 ? 'ollama pull llama3.2' : null,
        },
      ],
      code: EXIT.ok,
    };
  } catch (error) {
    const e = error instanceof CostbenchError ? error : null;
    return {
      checks: [{ name: 'ollama', ok: false, detail: e?.message ?? String(error), hint: e?.hint ?? null }],
      code: e?.exitCode ?? EXIT.internal,
    };
  }
}
