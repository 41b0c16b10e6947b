/**
 * The runs `costbench decide` is tested on: golden run 1 (a local run with measured power, test/golden/runs.sql)
 * with 3 of its 6 answers marked correct, golden run 5 (a replay), and a remote run written the way
 * `costbench run --remote` writes one (insertRun, setRemoteRun, insertRequest).
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../src/store/db.js';
import { insertRequest } from '../../src/store/requests.js';
import { finishRun, insertRun, setRemoteRun, type RemoteRun } from '../../src/store/runs.js';
import { okRequestRow } from './request-row.js';

const GOLDEN_SQL = join(import.meta.dirname, '..', 'golden', 'runs.sql');

/** The price the remote run ran under: 0.5 USD per 1M input tokens, 2 per 1M output. */
export const REMOTE_PRICE: RemoteRun = {
  priceModel: 'test/api-model',
  provider: 'openai',
  inputUsdPerMTok: 0.5,
  outputUsdPerMTok: 2,
  cachedInputUsdPerMTok: null,
  batch: false,
  priceSource: 'config',
  priceAsOf: null,
  maxSpendUsd: 5,
  stopReason: null,
};

/**
 * A remote run of suite e2e v1: 20 answered requests, each 1000 prompt + 500 output tokens billed
 * 1000 x 0.5 / 1e6 + 500 x 2 / 1e6 = 0.0015 USD, 19 of them correct, latencies 100, 200, ..., 2000 ms;
 * and one failed request billed 0.0005 USD (its prompt). Returns its run id.
 */
export function insertRemoteRun(
  dbPath: string,
  opts: { correct?: number; suiteId?: string; answered?: number } = {},
): number {
  const db = openDb(dbPath);
  try {
    const id = insertRun(db, {
      startedAt: '2026-12-01T10:00:00.000Z',
      backend: 'openai-compatible',
      host: 'https://api.example.test/v1',
      model: 'api-model',
      suiteId: opts.suiteId ?? 'e2e',
      suiteVersion: '1',
      repeatCount: 1,
      plannedRequests: 21,
      settings: {},
      costbenchVersion: '0.1.0',
      pid: 1,
    });
    setRemoteRun(db, id, REMOTE_PRICE);
    const correct = opts.correct ?? 19;
    for (let seq = 0; seq < (opts.answered ?? 20); seq += 1) {
      insertRequest(
        db,
        id,
        okRequestRow({
          seq,
          taskId: `t${seq}`,
          latencyMs: 100 * (seq + 1),
          promptTokens: 1000,
          outputTokens: 500,
          metricsSource: 'usage',
          promptEvalMs: null,
          evalMs: null,
          serverTotalMs: null,
          cachedPromptTokens: 200,
          reasoningTokens: 100,
          retries: seq === 0 ? 2 : 0,
          retryWaitMs: seq === 0 ? 3000 : 0,
          costUsd: 0.0015,
          score: seq < correct ? 1 : 0,
          correct: seq < correct,
        }),
      );
    }
    insertRequest(
      db,
      id,
      okRequestRow({
        seq: 20,
        taskId: 't20',
        state: 'errored',
        error: 'HTTP 500',
        outputTokens: 0,
        costUsd: 0.0005,
      }),
    );
    finishRun(db, id, 'completed', '2026-12-01T10:01:00.000Z', null);
    return id;
  } finally {
    db.close();
  }
}

/** A database with the golden runs, run 1's answers 0-2 correct and 3-5 wrong (accuracy 0.5). */
export function makeDecideDb(dir: string): string {
  const path = join(dir, 'decide.db');
  const sqlite = new Database(path);
  sqlite.exec(readFileSync(GOLDEN_SQL, 'utf8'));
  sqlite.prepare('UPDATE requests SET score = 1, correct = 1 WHERE run_id = 1 AND seq < 3').run();
  sqlite.prepare('UPDATE requests SET score = 0, correct = 0 WHERE run_id = 1 AND seq >= 3').run();
  sqlite.close();
  return path;
}

/**
 * The cost inputs that complete run 1's full view: electricity 0.3 USD/kWh, a 1500 USD machine
 * bought for the work, amortised over 36 months, no engineering hours; 100,000 tasks a month.
 */
export function writeDecideConfig(dir: string): string {
  const path = join(dir, 'costbench.config.json');
  const cost = {
    electricityPerKwh: 0.3,
    monthlyTasks: 100_000,
    hardware: { purchasePrice: 1500, alreadyOwnedIdle: false, amortizationMonths: 36 },
    engineering: { setupHours: 0, maintenanceHoursPerMonth: 0 },
  };
  writeFileSync(path, JSON.stringify({ cost }, null, 2));
  return path;
}
