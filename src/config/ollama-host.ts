import { ConfigError } from '../errors.js';

const OLLAMA_DEFAULT_PORT = '11434';

/**
 * Turns a host the way OLLAMA_HOST is written ("0.0.0.0", "host:port", ":11434",
 * "https://example.com") into a base URL a client can call. Without a scheme the port
 * defaults to 11434, as Ollama itself does; with http:// or https:// it defaults to 80 / 443.
 * A bind-all address (0.0.0.0, [::]) is turned into loopback, since a client cannot call it.
 */
export function parseOllamaHost(raw: string): string {
  let text = raw.trim();
  let explicitScheme = text.includes('://');
  if (text.startsWith(':')) {
    text = `http://127.0.0.1${text}`;
    explicitScheme = true;
  }
  if (!explicitScheme) text = `http://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(
      `config: backend.host = ${JSON.stringify(raw)} is not a valid address`,
      'Use the form OLLAMA_HOST takes, e.g. http://127.0.0.1:11434 or 192.168.1.5:11434.',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(
      `config: backend.host = ${JSON.stringify(raw)} uses ${url.protocol.replace(':', '')}://; only http and https are supported`,
      'Use http://host:port.',
    );
  }
  const port =
    url.port || (explicitScheme ? (url.protocol === 'https:' ? '443' : '80') : OLLAMA_DEFAULT_PORT);
  const host = url.hostname === '0.0.0.0' ? '127.0.0.1' : url.hostname === '[::]' ? '[::1]' : url.hostname;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${host}:${port}${path}`;
}
