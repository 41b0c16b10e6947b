/**
 * A run against a remote API in `report` (every format) and `compare` (beside a local run): its bill,
 * never a local cost, energy or roofline, and "—" (not measured) where a local run has figures.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeRemoteBilling } from '../src/analysis/remote-billing.js';
import { main } from '../src/cli/main.js';
import { insertRemoteRun, makeDecideDb, REMOTE_PRICE } from './support/decide-fixture.js';
import { okRequestRow } from './support/request-row.js';
import { makeTempDir } from './support/temp.js';

describe('computeRemoteBilling (pure)', () => {
  const rows = [
    okRequestRow({
      seq: 0,
      costUsd: 0.002,
      reasoningTokens: 30,
      cachedPromptTokens: 10,
      retries: 1,
      retryWaitMs: 500,
    }),
    okRequestRow({ seq: 1, costUsd: 0.004, reasoningTokens: 50, cachedPromptTokens: null }),
    okRequestRow({ seq: 2, state: 'errored', costUsd: 0.001, retries: 3, retryWaitMs: 2500 }),
    okRequestRow({ seq: 3, state: 'errored', costUsd: null }),
  ];

  it('spend over every billed request, per task over the answered ones, per correct task / accuracy', () => {
    const b = computeRemoteBilling(REMOTE_PRICE, rows, 0.5);
    expect(b.requestsBilled, '3 with a cost').toBe(3);
    expect(b.totalSpendUsd, '0.002 + 0.004 + 0.001').toBeCloseTo(0.007, 15);
    expect(b.failedSpendUsd, 'the failed one billed').toBeCloseTo(0.001, 15);
    expect(b.perTaskUsd, '0.007 / 2 answered').toBeCloseTo(0.0035, 15);
    expect(b.perCorrectTaskUsd, '0.0035 / 0.5').toBeCloseTo(0.007, 15);
    expect(b.reasoningTokensPerTask, '(30 + 50) / 2').toBe(40);
    expect(b.cachedPromptTokensPerTask, 'only one reported: 10').toBe(10);
    expect([b.retries, b.retryWaitMs], '1 + 3 retries, 500 + 2500 ms').toEqual([4, 3000]);
  });

  it('an answered request with no usage leaves the per-task cost unknown, not low', () => {
    const b = computeRemoteBilling(REMOTE_PRICE, [...rows, okRequestRow({ seq: 4, costUsd: null })], 0.5);
    expect(b.okUnbilled).toBe(1);
    expect(b.perTaskUsd).toBeNull();
    expect(b.perCorrectTaskUsd).toBeNull();
  });
});

describe('a remote run in report and compare', () => {
  const dir = makeTempDir();
  let db = '';
  let remote = 0;
  beforeAll(() => {
    db = makeDecideDb(dir.path);
    remote = insertRemoteRun(db);
  });
  afterAll(() => dir.remove());

  async function cli(args: string[]): Promise<string> {
    let out = '';
    const io = {
      stdout: (t: string) => void (out += t),
      stderr: (t: string) => void (out += t),
      env: { XDG_DATA_HOME: dir.path, HOME: dir.path },
      cwd: dir.path,
      isTty: false,
    };
    const code = await main([...args, '--db', db], io);
    expect(code, out).toBe(0);
    return out;
  }

  it('report: the bill in every format, what is not measured, no local cost or roofline', async () => {
    const json = JSON.parse(await cli(['report', String(remote), '--format', 'json'])) as Record<
      string,
      unknown
    >;
    expect(json['cost'], 'no local cost').toBeNull();
    expect(json['roofline'], 'no roofline').toBeNull();
    expect(json['energy'], 'no energy').toBeNull();
    expect(json['remote']).toMatchObject({
      requestsBilled: 21,
      okTasks: 20,
      accuracy: 0.95,
      reasoningTokensPerTask: 100,
      cachedPromptTokensPerTask: 200,
      retries: 2,
      retryWaitMs: 3000,
    });
    const perTask = (json['remote'] as { perTaskUsd: number }).perTaskUsd;
    expect(perTask, '(20 x 0.0015 + 0.0005) / 20').toBeCloseTo(0.001525, 15);
    const table = await cli(['report', String(remote)]);
    expect(table).toContain(
      '  Spend: 0.0305 USD over 21 billed requests, 0.000500 USD of it on 1 that failed; spend cap 5 USD',
    );
    expect(table).toContain('  Per task: 0.00153 USD (total spend / 20 answered tasks');
    expect(table).toContain('  Per correct task: 0.00161 USD (per task / accuracy 95.0%)'); // 0.001525 / 0.95
    expect(table).toContain(
      'Not measured for a run against a remote API: power, energy, roofline and capacity',
    );
    const md = await cli(['report', String(remote), '--format', 'md']);
    expect(md).toContain('## Billed by the API');
    expect(md).toContain('- Rate limits: 2 retries after HTTP 429, 3.0 s waited');
    const html = await cli(['report', String(remote), '--format', 'html']);
    expect(html).toContain('<h2>Billed by the API</h2>');
    expect(html).toContain('<li>Per correct task: 0.00161 USD (per task / accuracy 95.0%)</li>');
    // The key figure is the bill (0.0305 USD / 20 answered tasks), not a local cost.
    expect(html).toContain('billed cost per task');
    expect(html).toContain('0.00153 USD');
    expect(html).not.toContain('no cost computed');
  });

  it("report: the bill also in the user's currency (2 EUR per USD)", async () => {
    const config = join(dir.path, 'eur.json');
    writeFileSync(config, JSON.stringify({ cost: { currency: 'EUR', currencyPerUsd: 2 } }));
    const table = await cli(['report', String(remote), '--config', config]);
    // 0.0305 x 2 = 0.061; 0.001525 x 2 = 0.00305
    expect(table).toContain('  Spend: 0.0305 USD (0.0610 EUR) over 21 billed requests');
    expect(table).toContain('  Per task: 0.00153 USD (0.00305 EUR)');
  });

  it('cost: a remote run has no local cost to recompute; one line, exit 2', async () => {
    let err = '';
    const io = {
      stdout: () => undefined,
      stderr: (t: string) => void (err += t),
      env: { XDG_DATA_HOME: dir.path, HOME: dir.path },
      cwd: dir.path,
      isTty: false,
    };
    expect(await main(['cost', String(remote), '--db', db], io)).toBe(2);
    expect(err).toContain(
      `run ${remote} ran against a remote API: it has no local cost, its cost is its bill`,
    );
  });

  it('compare: a local and a remote run side by side; the bill for one, "—" for the other', async () => {
    const out = await cli(['compare', '1', String(remote)]);
    expect(out).toMatch(/\nAPI billed cost per task, USD +— +0\.00153\n/);
    expect(out).toMatch(/\nAPI billed cost per correct task, USD +— +0\.00161\n/);
    expect(out).toMatch(/\nenergy per task, total, J +35\.3 +—\n/);
    expect(out).toMatch(/\nlocal cost per task, full, USD at 10,000\/month +— +—\n/);
    const local = await cli(['compare', '1', '2']);
    expect(local, 'local runs only: no bill rows').not.toContain('API billed');
  });
});
