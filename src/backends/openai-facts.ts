/**
 * Asks an OpenAI-compatible server how it serves a model, through the endpoints its flavor has:
 * llama.cpp GET /props + /v1/models; vLLM GET /version + /v1/models; LM Studio GET /api/v1/models
 * (0.4.0+), else GET /api/v0/models/{model}. Flavor 'auto' tries them in that order and settles on
 * the first that answers as only that server does; none: 'openai-compatible', /v1/models only.
 */
import { fetchFact, type FactReply, type FactRequest } from './fact-fetch.js';
import {
  findModelEntry,
  readLlamaCppModel,
  readLlamaCppProps,
  readLmStudioV0,
  readLmStudioV1,
  readVllmModel,
} from './openai-facts-parse.js';
import { emptyServerFacts, type ServerFacts } from './server-facts.js';

export interface OpenAiFactsRequest {
  /** The backend's host, ending in /v1. */
  host: string;
  /** The configured flavor; 'auto' probes. */
  flavor: 'auto' | 'llama.cpp' | 'vllm' | 'lmstudio';
  model: string;
  fetch: typeof fetch;
  /** Sent with every request (the API key's Authorization header). */
  headers: Record<string, string>;
  signal?: AbortSignal;
}

type Get = (url: string, label: string) => Promise<FactReply>;

interface Reader {
  get: Get;
  /** The server root: the host without /v1. */
  root: string;
  host: string;
  model: string;
}

/** Facts about `r.model`; errors name each endpoint that did not answer, and why. */
export async function readOpenAiFacts(r: OpenAiFactsRequest): Promise<ServerFacts> {
  const request: FactRequest = { fetch: r.fetch, headers: r.headers };
  if (r.signal !== undefined) request.signal = r.signal;
  const host = r.host.replace(/\/+$/, '');
  const reader: Reader = {
    get: (url, label) => fetchFact(url, label, request),
    root: host.replace(/\/v1$/, ''),
    host,
    model: r.model,
  };
  if (r.flavor === 'llama.cpp') return llamaCppFacts(reader);
  if (r.flavor === 'vllm') return vllmFacts(reader);
  if (r.flavor === 'lmstudio') return lmStudioFacts(reader);
  return probedFacts(reader);
}

function getProps(r: Reader): Promise<FactReply> {
  return r.get(`${r.root}/props`, 'GET /props');
}

function getVersion(r: Reader): Promise<FactReply> {
  return r.get(`${r.root}/version`, 'GET /version');
}

function getLmStudioModels(r: Reader): Promise<FactReply> {
  return r.get(`${r.root}/api/v1/models`, 'GET /api/v1/models');
}

function getModels(r: Reader): Promise<FactReply> {
  return r.get(`${r.host}/models`, 'GET /v1/models');
}

/** The model's /v1/models entry, or null with the reason recorded. */
function entryOf(
  facts: ServerFacts,
  list: FactReply,
  r: Reader,
  onlyModel: boolean,
): Record<string, unknown> | null {
  if (!list.ok) {
    facts.errors.push(list.error);
    return null;
  }
  const entry = findModelEntry(list.value, r.model, onlyModel);
  if (entry === null) facts.errors.push(`GET /v1/models: ${r.model} is not listed`);
  return entry;
}

async function llamaCppFacts(r: Reader, knownProps?: FactReply): Promise<ServerFacts> {
  const facts = emptyServerFacts('llama.cpp');
  const [props, list] = await Promise.all([knownProps ?? getProps(r), getModels(r)]);
  if (props.ok) readLlamaCppProps(facts, props.value);
  else facts.errors.push(props.error);
  const entry = entryOf(facts, list, r, true);
  if (entry !== null) readLlamaCppModel(facts, entry);
  return facts;
}

async function vllmFacts(r: Reader, knownVersion?: FactReply): Promise<ServerFacts> {
  const facts = emptyServerFacts('vllm');
  const [version, list] = await Promise.all([knownVersion ?? getVersion(r), getModels(r)]);
  if (!version.ok) facts.errors.push(version.error);
  else if (typeof version.value['version'] === 'string') facts.version = version.value['version'];
  else facts.errors.push('GET /version: no version');
  const entry = entryOf(facts, list, r, false);
  if (entry !== null) readVllmModel(facts, entry);
  return facts;
}

/** LM Studio serves no version of itself: version stays null (not an error). */
async function lmStudioFacts(r: Reader, knownV1?: FactReply): Promise<ServerFacts> {
  const facts = emptyServerFacts('lmstudio');
  const v1 = knownV1 ?? (await getLmStudioModels(r));
  if (v1.ok) {
    readLmStudioV1(facts, v1.value, r.model);
    return facts;
  }
  facts.errors.push(v1.error);
  const label = `GET /api/v0/models/${r.model}`;
  const v0 = await r.get(`${r.root}/api/v0/models/${encodeURIComponent(r.model)}`, label);
  if (v0.ok) readLmStudioV0(facts, v0.value);
  else facts.errors.push(v0.error);
  return facts;
}

/** Flavor 'auto': the first endpoint only one server has decides; a 404 while probing is no error. */
async function probedFacts(r: Reader): Promise<ServerFacts> {
  const props = await getProps(r);
  if (props.ok && typeof props.value['build_info'] === 'string') return llamaCppFacts(r, props);
  const version = await getVersion(r);
  if (version.ok && typeof version.value['version'] === 'string') return vllmFacts(r, version);
  const v1 = await getLmStudioModels(r);
  if (v1.ok && Array.isArray(v1.value['models'])) return lmStudioFacts(r, v1);
  const v0 = await r.get(`${r.root}/api/v0/models`, 'GET /api/v0/models');
  if (v0.ok && Array.isArray(v0.value['data'])) return lmStudioFacts(r, v1);
  const facts = emptyServerFacts('openai-compatible');
  entryOf(facts, await getModels(r), r, false);
  return facts;
}
