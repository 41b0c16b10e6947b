import { createServer } from 'node:http';
import { ConfigError } from '../errors.js';

/** Where to listen: a host (loopback by default) and a port (0: any free one). */
export interface ListenAddress {
  host: string;
  port: number;
}

/** The exposition format's content type. */
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** "9464", ":9464", "127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464": a bare port listens on loopback only. */
export function parseListenAddress(text: string): ListenAddress {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):)?(\d{1,5})$/.exec(text.trim());
  const port = match === null ? NaN : Number(match[2]);
  if (match === null || port > 65535)
    throw new ConfigError(
      `"${text}" is not an address to listen on`,
      'Give a port (9464: loopback only) or host:port, e.g. 127.0.0.1:9464 or 0.0.0.0:9464 to be reached from other machines.',
    );
  const host = (match[1] ?? '').replace(/^\[|\]$/g, '');
  return { host: host === '' ? '127.0.0.1' : host, port };
}

/** A running /metrics server: where it listens, and how to stop it. */
export interface MetricsServer {
  /** host:port as bound (the real port when 0 was asked). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves GET /metrics with `render()`'s text, computed per scrape; anything else is 404. A render
 * that throws answers 500 with the error's first line, and the server keeps serving.
 */
export function serveMetrics(address: ListenAddress, render: () => string): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('only GET /metrics here\n');
      return;
    }
    let body: string;
    try {
      body = render();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      response
        .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`${reason.split('\n')[0]}\n`);
      return;
    }
    response
      .writeHead(200, { 'content-type': CONTENT_TYPE })
      .end(request.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ConfigError(
          `cannot listen on ${address.host}:${address.port}: ${error.code ?? error.message}`,
          'Choose another port, or stop what listens there.',
        ),
      ),
    );
    server.listen(address.port, address.host, () => {
      const bound = server.address();
      const port = typeof bound === 'object' && bound !== null ? bound.port : address.port;
      const host = address.host.includes(':') ? `[${address.host}]` : address.host;
      resolveServer({
        url: `${host}:${port}`,
        port,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
