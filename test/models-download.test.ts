import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CostbenchError, ModelDownloadError, ModelFileError } from '../src/errors.js';
import type { DownloadProgress } from '../src/models/download-file.js';
import { buildNoiseGguf } from '../src/models/noise-gguf.js';
import { formatPartRecord } from '../src/models/part-record.js';
import { resolveModelFile, type ResolveModelOptions } from '../src/models/resolve-model-file.js';
import { startFakeHub, type FakeHub } from './support/fake-hub/index.js';
import { closedPort } from './support/ports.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();
const MODEL = buildNoiseGguf(); // 1.45 MB, GGUF v3
const SHA = createHash('sha256').update(MODEL).digest('hex');

let hub: FakeHub;
let cache: string;
let resolveUrl: string;
let finalPath: string;

beforeEach(async () => {
  hub = await startFakeHub();
  hub.setFile('u/r', 'noise.gguf', MODEL);
  cache = tempDir();
  resolveUrl = `${hub.url}/u/r/resolve/main/noise.gguf`;
  finalPath = join(cache, 'hf', 'u', 'r', 'main', 'noise.gguf');
});
afterEach(() => hub.close());

const options = (extra: ResolveModelOptions = {}): ResolveModelOptions => ({
  cacheDir: cache,
  env: { HF_ENDPOINT: hub.url },
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<CostbenchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'a CostbenchError').toBeInstanceOf(CostbenchError);
  const e = error as CostbenchError;
  expect(e.message, 'one line').not.toContain('\n');
  return e;
}

/** Files left in the repo's cache directory. */
const leftInCache = (): string[] =>
  existsSync(join(cache, 'hf', 'u', 'r', 'main'))
    ? readdirSync(join(cache, 'hf', 'u', 'r', 'main')).sort()
    : [];

describe('downloading from the hub', () => {
  it('downloads byte-identical, checks the hub sha256, then uses the cache with no network call', async () => {
    const progress: DownloadProgress[] = [];
    const first = await resolveModelFile(
      'hf:u/r/noise.gguf',
      options({ onProgress: (p) => progress.push(p) }),
    );
    expect(first.source, 'source').toBe('download');
    expect(first.path, 'cache path').toBe(finalPath);
    expect(readFileSync(finalPath).equals(MODEL), 'byte-identical').toBe(true);
    expect(first.sha256, 'sha256').toBe(SHA);
    expect(first.sha256Verified, 'the hub stated it (X-Linked-Etag) and it matched').toBe(true);
    expect(first.sizeBytes, 'size').toBe(MODEL.length);
    expect(first.gguf.parameterCount, 'checked as a GGUF').toBe(362_112);
    expect(progress.at(-1)?.receivedBytes, 'last progress: all bytes').toBe(MODEL.length);
    expect(progress.at(-1)?.totalBytes, 'total from X-Linked-Size').toBe(MODEL.length);
    expect(
      hub.requests.map((r) => `${r.server} ${r.path}`),
      'hub redirect, then the CDN',
    ).toEqual(['hub /u/r/resolve/main/noise.gguf', `cdn /blobs/${SHA}?X-Amz-Signature=fake`]);
    expect(leftInCache(), 'no part file left').toEqual(['noise.gguf', 'noise.gguf.source.json']);

    const offline = async (): Promise<Response> => {
      throw new Error('no network call expected');
    };
    const second = await resolveModelFile('hf:u/r/noise.gguf', options({ fetch: offline }));
    expect(second.source, 'from the cache').toBe('cache');
    expect(second.sha256, 'remembered sha256').toBe(SHA);
    expect(hub.requests, 'no new request').toHaveLength(2);
  });

  it('sends HF_TOKEN to the hub only, never to the CDN, and stores it nowhere', async () => {
    await resolveModelFile(
      'hf:u/r/noise.gguf',
      options({ env: { HF_ENDPOINT: hub.url, HF_TOKEN: 'hf_secret' } }),
    );
    expect(hub.requests.map((r) => `${r.server} ${r.authorization}`)).toEqual([
      'hub Bearer hf_secret',
      'cdn null',
    ]);
    expect(readFileSync(`${finalPath}.source.json`, 'utf8'), 'source record').not.toContain('hf_secret');
  });

  it('resumes after a dropped connection with a Range request', async () => {
    hub.injectFault({ kind: 'cut', afterBytes: 500_000 });
    const e = await failure(resolveModelFile('hf:u/r/noise.gguf', options()));
    expect(e, 'ModelDownloadError').toBeInstanceOf(ModelDownloadError);
    expect(e.exitCode, 'exit 8').toBe(8);
    // The server sent 500 000 bytes; the client keeps what reached its stream before the drop was
    // seen (a WHATWG stream discards chunks still queued when it errors), so N <= 500 000.
    const m = new RegExp(
      `^download of ${resolveUrl} was interrupted \\(other side closed\\) at (\\d+) of ${MODEL.length} bytes; the part is kept$`,
    ).exec(e.message);
    expect(m, e.message).not.toBeNull();
    const kept = Number(m?.[1]);
    expect(kept > 0 && kept <= 500_000, `0 < ${kept} <= 500000`).toBe(true);
    expect(existsSync(finalPath), 'nothing at the final path').toBe(false);
    expect(statSync(`${finalPath}.part`).size, 'part kept: the bytes received').toBe(kept);
    expect(JSON.parse(readFileSync(`${finalPath}.part.json`, 'utf8')), 'sidecar').toEqual({
      url: resolveUrl,
      sizeBytes: MODEL.length,
      sha256: SHA,
      etag: `${createHash('md5').update(MODEL).digest('hex')}`,
    });

    const resumed = await resolveModelFile('hf:u/r/noise.gguf', options());
    expect(
      hub.requests.slice(2).map((r) => `${r.server} ${r.range}`),
      'second call asks from byte N',
    ).toEqual([`hub bytes=${kept}-`, `cdn bytes=${kept}-`]);
    expect(resumed.resumedFromBytes, 'resumed from').toBe(kept);
    expect(readFileSync(finalPath).equals(MODEL), 'final file equals the source').toBe(true);
    expect(resumed.sha256Verified, 'sha256 over the whole file, prefix included').toBe(true);
    expect(leftInCache(), 'part and sidecar gone').toEqual(['noise.gguf', 'noise.gguf.source.json']);
  });

  it('starts again when the server ignores the range (200)', async () => {
    hub.injectFault({ kind: 'cut', afterBytes: 300_000 });
    await failure(resolveModelFile('hf:u/r/noise.gguf', options()));
    // What reached the part before the drop was seen (<= 300 000: a stream discards queued chunks).
    const kept = statSync(`${finalPath}.part`).size;
    expect(kept > 0 && kept <= 300_000, `0 < ${kept} <= 300000`).toBe(true);
    hub.injectFault({ kind: 'ignore-range' });
    const result = await resolveModelFile('hf:u/r/noise.gguf', options());
    expect(hub.requests.at(-1)?.range, 'a range was asked from the part').toBe(`bytes=${kept}-`);
    expect(result.resumedFromBytes, 'started from 0').toBe(0);
    expect(readFileSync(finalPath).equals(MODEL), 'not the old prefix twice').toBe(true);
  });

  it('starts again when the file changed on the hub since the part was written', async () => {
    hub.injectFault({ kind: 'cut', afterBytes: 300_000 });
    await failure(resolveModelFile('hf:u/r/noise.gguf', options()));
    const newer = buildNoiseGguf({
      ...(await import('../src/models/noise-gguf.js')).DEFAULT_NOISE_SHAPE,
      seed: 7,
    });
    hub.setFile('u/r', 'noise.gguf', newer);
    const result = await resolveModelFile('hf:u/r/noise.gguf', options());
    expect(result.resumedFromBytes, 'the old part is not a prefix of the new file').toBe(0);
    expect(readFileSync(finalPath).equals(newer), 'the new file').toBe(true);
  });

  it('a checksum mismatch deletes everything: exit 8, nothing at the final path, no part file', async () => {
    hub.injectFault({ kind: 'corrupt' });
    const e = await failure(resolveModelFile('hf:u/r/noise.gguf', options()));
    const got = createHash('sha256')
      .update(Buffer.from(MODEL.map((b, i) => (i === 0 ? b ^ 0xff : b))))
      .digest('hex');
    expect(e.message).toBe(
      `download of ${resolveUrl} failed its check: sha256 ${got} differs from the ${SHA} the server states; the partial file was deleted`,
    );
    expect(e.exitCode, 'exit 8').toBe(8);
    expect(leftInCache(), 'nothing left').toEqual([]);
  });

  it('a complete part that was never renamed (a crash at the end): 416, then a fresh download', async () => {
    mkdirSync(join(cache, 'hf', 'u', 'r', 'main'), { recursive: true });
    writeFileSync(`${finalPath}.part`, MODEL);
    const record = { url: resolveUrl, sizeBytes: MODEL.length, sha256: SHA, etag: null };
    writeFileSync(`${finalPath}.part.json`, formatPartRecord(record));
    const result = await resolveModelFile('hf:u/r/noise.gguf', options());
    expect(
      hub.requests.map((r) => `${r.server} ${r.range}`),
      'a range from the end (416), then the whole file',
    ).toEqual([`hub bytes=${MODEL.length}-`, `cdn bytes=${MODEL.length}-`, 'hub null', 'cdn null']);
    expect(result.resumedFromBytes, 'from 0').toBe(0);
    expect(readFileSync(finalPath).equals(MODEL), 'complete').toBe(true);
  });

  it('no sha256 stated by the hub: size checked, sha256 computed, not "verified"', async () => {
    hub.overrideLinkedSha256(null);
    const result = await resolveModelFile('hf:u/r/noise.gguf', options());
    expect(result.sha256, 'computed').toBe(SHA);
    expect(result.sha256Verified, 'nothing to verify against').toBe(false);
  });

  it('a 404 is one line with a hint', async () => {
    const e = await failure(resolveModelFile('hf:u/r/missing.gguf', options()));
    expect(e.message).toBe(`cannot download ${hub.url}/u/r/resolve/main/missing.gguf: HTTP 404 Not Found`);
    expect(e.hint).toBe('Check the user, repo, file name and revision (names are case-sensitive).');
    expect(e.exitCode, 'exit 8').toBe(8);
  });
});

describe('no network, stalls, Ctrl-C, an unwritable cache', () => {
  it('connection refused: "no network", exit 8, one line', async () => {
    const port = await closedPort();
    const e = await failure(
      resolveModelFile('hf:u/r/noise.gguf', options({ env: { HF_ENDPOINT: `http://127.0.0.1:${port}` } })),
    );
    expect(e.message).toBe(
      `cannot download http://127.0.0.1:${port}/u/r/resolve/main/noise.gguf: no network (connection refused, ECONNREFUSED)`,
    );
    expect(e.exitCode).toBe(8);
    expect(e.hint).toBe(
      `Connect and run again, or pass a local GGUF path; a model downloaded once is used from ${cache} offline.`,
    );
  });

  it('an unresolvable host (injected fetch failing as undici does): "no network"', async () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND huggingface.co'), { code: 'ENOTFOUND' });
    const offline = async (): Promise<Response> => {
      throw new TypeError('fetch failed', { cause: dns });
    };
    const e = await failure(
      resolveModelFile('hf:u/r/noise.gguf', { cacheDir: cache, env: {}, fetch: offline }),
    );
    expect(e.message).toBe(
      'cannot download https://huggingface.co/u/r/resolve/main/noise.gguf: no network (host not found, ENOTFOUND)',
    );
  });

  it('a server that stalls mid-body: idle timeout, part kept', async () => {
    hub.injectFault({ kind: 'stall', afterBytes: 1000 });
    const e = await failure(resolveModelFile('hf:u/r/noise.gguf', options({ idleTimeoutMs: 200 })));
    expect(e.message).toBe(
      `download of ${resolveUrl} stalled (no data for 0.2 s) at 1000 of ${MODEL.length} bytes; the part is kept`,
    );
    expect(statSync(`${finalPath}.part`).size, 'part kept').toBe(1000);
    expect(existsSync(finalPath), 'no final file').toBe(false);
  });

  it('a server that never answers: idle timeout', async () => {
    hub.injectFault({ kind: 'no-answer' });
    const e = await failure(resolveModelFile('hf:u/r/noise.gguf', options({ idleTimeoutMs: 200 })));
    expect(e.message).toBe(
      `download of ${resolveUrl} stalled (no answer for 0.2 s) at 0 bytes; the part is kept`,
    );
  });

  it('Ctrl-C (an aborted signal) stops it: exit 8, part kept, resumable', async () => {
    const controller = new AbortController();
    const onProgress = (p: DownloadProgress): void => {
      if (p.receivedBytes > 0) controller.abort();
    };
    const e = await failure(
      resolveModelFile('hf:u/r/noise.gguf', options({ signal: controller.signal, onProgress })),
    );
    expect(e.exitCode, 'exit 8').toBe(8);
    const m = new RegExp(
      `^download of ${resolveUrl} was stopped at (\\d+) of ${MODEL.length} bytes; the part is kept$`,
    ).exec(e.message);
    expect(m, e.message).not.toBeNull();
    expect(statSync(`${finalPath}.part`).size, 'the part holds what was received').toBe(Number(m?.[1]));
    const resumed = await resolveModelFile('hf:u/r/noise.gguf', options());
    expect(resumed.resumedFromBytes, 'resumed').toBe(Number(m?.[1]));
    expect(readFileSync(finalPath).equals(MODEL), 'complete').toBe(true);
  });

  it('a cache directory that cannot be made (a file where a directory must be)', async () => {
    const blocker = join(tempDir(), 'not-a-dir');
    writeFileSync(blocker, 'x');
    const e = await failure(
      resolveModelFile('hf:u/r/noise.gguf', options({ cacheDir: join(blocker, 'cache') })),
    );
    expect(e.message).toBe(
      `cannot write the model cache at ${join(blocker, 'cache', 'hf', 'u', 'r', 'main')}: ${blocker} is not a directory`,
    );
    expect(e.exitCode, 'exit 8').toBe(8);
  });

  it('a write that fails mid-download (disk full, injected)', async () => {
    let writes = 0;
    const openFile = async () => ({
      write: async () => {
        writes += 1;
        if (writes > 1)
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
      close: async () => undefined,
    });
    const e = await failure(resolveModelFile('hf:u/r/noise.gguf', options({ openFile })));
    expect(e.message).toBe(
      `cannot write the model cache at ${finalPath}.part: ENOSPC: no space left on device, write`,
    );
    expect(e.exitCode, 'exit 8').toBe(8);
    expect(existsSync(finalPath), 'no final file').toBe(false);
  });
});

describe('plain URLs, quantization picks and files that are not models', () => {
  it('a plain https-style URL: size checked, sha256 computed (none stated)', async () => {
    const url = hub.setPlainFile('noise.gguf', MODEL, '"v1"');
    const result = await resolveModelFile(url, options());
    expect(result.source, 'downloaded').toBe('download');
    expect(result.sha256, 'computed').toBe(SHA);
    expect(result.sha256Verified, 'no stated sha256').toBe(false);
    expect(readFileSync(result.path).equals(MODEL), 'byte-identical').toBe(true);
  });

  it('an HTML page served as a .gguf never enters the cache (exit 7)', async () => {
    const url = hub.setPlainFile(
      'page.gguf',
      Buffer.from('<!DOCTYPE html><html><body>Sign in</body></html>'),
    );
    const e = await failure(resolveModelFile(url, options()));
    expect(e).toBeInstanceOf(ModelFileError);
    expect(e.message).toBe(
      `${url} is not a GGUF model: it looks like an HTML page (an error or login page saved as the model?)`,
    );
    expect(e.exitCode, 'exit 7').toBe(7);
    const dir = join(cache, 'url');
    const left = readdirSync(dir, { recursive: true }).filter((f) => String(f).includes('.gguf'));
    expect(left, 'no model, no part').toEqual([]);
  });

  it('a truncated GGUF on the hub (its stated sha256 matches the truncated bytes) is refused, not cached', async () => {
    hub.setFile('u/r', 'cut.gguf', MODEL.subarray(0, MODEL.length - 1));
    const e = await failure(resolveModelFile('hf:u/r/cut.gguf', options()));
    expect(e.message).toContain('(1 byte missing)');
    expect(e.exitCode, 'exit 7').toBe(7);
    expect(leftInCache(), 'nothing cached').toEqual([]);
  });

  it('hf:<user>/<repo>:<quant> picks the file from the hub listing, then offline from the cache', async () => {
    hub.setFile('u/q', 'm-Q4_K_M.gguf', MODEL);
    hub.setFile('u/q', 'm-Q8_0.gguf', MODEL);
    const first = await resolveModelFile('hf:u/q:q4_k_m', options());
    expect(first.path, 'picked').toBe(join(cache, 'hf', 'u', 'q', 'main', 'm-Q4_K_M.gguf'));
    expect(hub.requests[0]?.path, 'listing').toBe('/api/models/u/q/tree/main?recursive=true');
    const offline = async (): Promise<Response> => {
      throw new Error('no network call expected');
    };
    const again = await resolveModelFile('hf:u/q:Q4_K_M', options({ fetch: offline }));
    expect(again.source, 'cache, no listing').toBe('cache');
  });

  it('a local file is checked where it is', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', 'x.gguf'), MODEL);
    const local = await resolveModelFile('m/x.gguf', { cwd: dir, env: {} });
    expect(local.source, 'local').toBe('local');
    expect(local.path, 'resolved against cwd').toBe(join(dir, 'm', 'x.gguf'));
    expect(local.sha256, 'not hashed').toBeNull();
    const big = await failure(
      resolveModelFile('m/x.gguf', { cwd: dir, env: {}, memory: { ramBytes: 1_000_000, allowanceBytes: 0 } }),
    );
    // weights 1 448 448 B = 1.38 MiB; RAM 1 000 000 B = 0.95 MiB
    expect(big.message).toBe(
      `${join(dir, 'm', 'x.gguf')} is larger than this machine's memory: weights 1.4 MiB + allowance 0.0 MiB = 1.4 MiB > RAM 1.0 MiB`,
    );
    expect(big.exitCode, 'exit 7').toBe(7);
  });
});
