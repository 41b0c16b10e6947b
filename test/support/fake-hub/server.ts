import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeHub, HubFault, HubFile, HubRequestRecord } from './types.js';

interface State {
  files: Map<string, HubFile>; // "user/repo/path"
  blobs: Map<string, Buffer>; // sha256 -> bytes
  plain: Map<string, { bytes: Buffer; etag: string | null }>;
  faults: HubFault[];
  linkedOverride: string | null | undefined;
  requests: HubRequestRecord[];
  cdnUrl: string;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function record(state: State, server: 'hub' | 'cdn', req: IncomingMessage): void {
  const h = req.headers;
  state.requests.push({
    server,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    range: h.range ?? null,
    authorization: h.authorization ?? null,
  });
}

function notFound(res: ServerResponse, code = 'EntryNotFound'): void {
  res.writeHead(404, { 'Content-Type': 'application/json', 'X-Error-Code': code });
  const error = code === 'EntryNotFound' ? 'Entry not found' : 'Repository not found';
  res.end(JSON.stringify({ error }));
}

function handleHub(state: State, req: IncomingMessage, res: ServerResponse): void {
  record(state, 'hub', req);
  const url = new URL(req.url ?? '/', 'http://hub');
  const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(url.pathname);
  if (tree !== null) return listTree(state, tree[1] ?? '', res);
  const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
  const key = resolve === null ? '' : `${resolve[1]}/${decodeURIComponent(resolve[3] ?? '')}`;
  const file = state.files.get(key);
  if (file === undefined) return notFound(res);
  const oid = sha256(file.bytes);
  const linked = state.linkedOverride === undefined ? oid : state.linkedOverride;
  const headers: Record<string, string> = {
    Location: `${state.cdnUrl}/blobs/${oid}?X-Amz-Signature=fake`,
    'X-Repo-Commit': 'f'.repeat(40),
    'X-Linked-Size': String(file.bytes.length),
    'Content-Type': 'text/plain; charset=utf-8',
  };
  if (linked !== null) Object.assign(headers, { 'X-Linked-Etag': `"${linked}"`, ETag: `"${linked}"` });
  res.writeHead(302, headers);
  res.end(`Found. Redirecting to ${headers['Location']}`);
}

function listTree(state: State, repo: string, res: ServerResponse): void {
  const items = [...state.files.values()]
    .filter((f) => f.repo === repo)
    .map((f) => ({
      type: 'file',
      path: f.path,
      size: f.bytes.length,
      oid: 'a'.repeat(40),
      lfs: { oid: sha256(f.bytes), size: f.bytes.length, pointerSize: 135 },
    }));
  if (items.length === 0) return notFound(res, 'RepoNotFound');
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(items));
}

function handleCdn(state: State, req: IncomingMessage, res: ServerResponse): void {
  record(state, 'cdn', req);
  const path = new URL(req.url ?? '/', 'http://cdn').pathname;
  const blob = /^\/blobs\/([0-9a-f]{64})$/.exec(path);
  const plain = /^\/files\/(.+)$/.exec(path);
  if (blob !== null) {
    const bytes = state.blobs.get(blob[1] ?? '');
    if (bytes === undefined) return notFound(res);
    // The CDN's ETag is its own (S3-like), never the sha256.
    return serveBytes(state, req, res, bytes, `"${createHash('md5').update(bytes).digest('hex')}"`);
  }
  const file = state.plain.get(decodeURIComponent(plain?.[1] ?? ''));
  if (file === undefined) return notFound(res);
  serveBytes(state, req, res, file.bytes, file.etag);
}

function serveBytes(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  bytes: Buffer,
  etag: string | null,
): void {
  const fault = state.faults.shift();
  if (fault?.kind === 'no-answer') return;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = range !== null && fault?.kind !== 'ignore-range' ? Number(range[1]) : 0;
  const headers: Record<string, string> = {
    'Content-Type': 'application/octet-stream',
    'Accept-Ranges': 'bytes',
  };
  if (etag !== null) headers['ETag'] = etag;
  if (start >= bytes.length && start > 0) {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${bytes.length}` });
    return void res.end();
  }
  let body = bytes.subarray(start);
  if (fault?.kind === 'corrupt') body = Buffer.from(body.map((b, i) => (i === 0 ? b ^ 0xff : b)));
  headers['Content-Length'] = String(body.length);
  if (start > 0) headers['Content-Range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
  res.writeHead(start > 0 ? 206 : 200, headers);
  if (fault?.kind === 'cut') {
    res.write(body.subarray(0, fault.afterBytes), () => res.destroy());
  } else if (fault?.kind === 'stall') {
    res.write(body.subarray(0, fault.afterBytes));
  } else {
    res.end(body);
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Starts a fake hub and CDN on 127.0.0.1 (see index.ts). */
export async function startFakeHub(): Promise<FakeHub> {
  const state: State = {
    files: new Map(),
    blobs: new Map(),
    plain: new Map(),
    faults: [],
    linkedOverride: undefined,
    requests: [],
    cdnUrl: '',
  };
  const hub = createServer((req, res) => handleHub(state, req, res));
  const cdn = createServer((req, res) => handleCdn(state, req, res));
  const url = await listen(hub);
  state.cdnUrl = await listen(cdn);
  return {
    url,
    cdnUrl: state.cdnUrl,
    setFile(repo, path, bytes) {
      state.files.set(`${repo}/${path}`, { repo, path, bytes });
      const oid = sha256(bytes);
      state.blobs.set(oid, bytes);
      return oid;
    },
    setPlainFile(name, bytes, etag) {
      state.plain.set(name, { bytes, etag: etag ?? null });
      return `${state.cdnUrl}/files/${encodeURIComponent(name)}`;
    },
    injectFault(fault, times = 1) {
      for (let i = 0; i < times; i += 1) state.faults.push(fault);
    },
    overrideLinkedSha256(value) {
      state.linkedOverride = value;
    },
    requests: state.requests,
    async close() {
      await Promise.all(
        [hub, cdn].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}
