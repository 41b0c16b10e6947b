import type { Db } from './db.js';
import type { ReplayReference } from '../types/run-rows.js';
export type { ReplayReference } from '../types/run-rows.js';

export function insertReplayReference(db: Db, runId: number, r: ReplayReference): void {
  db.prepare(
    `INSERT INTO replay_references (run_id, task_id, custom_id, api_model, prompt_tokens, completion_tokens, cached_tokens, answer_text, status_code, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    runId,
    r.taskId,
    r.customId,
    r.apiModel,
    r.promptTokens,
    r.completionTokens,
    r.cachedTokens,
    r.answerText,
    r.statusCode,
    r.error,
  );
}

export function listReplayReferences(db: Db, runId: number): ReplayReference[] {
  return db
    .prepare(
      `SELECT task_id AS taskId, custom_id AS customId, api_model AS apiModel, prompt_tokens AS promptTokens,
         completion_tokens AS completionTokens, cached_tokens AS cachedTokens, answer_text AS answerText, status_code AS statusCode, error
       FROM replay_references WHERE run_id = ? ORDER BY task_id`,
    )
    .all(runId) as ReplayReference[];
}
