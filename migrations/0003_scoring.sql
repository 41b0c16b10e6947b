-- Scoring: each request's answer checked against the task's expected answer, and, for replayed
-- API requests, compared with the API's own answer (agreement). The API's billed usage of each
-- replayed request is kept as the API side of the cost.

ALTER TABLE requests ADD COLUMN score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1));
ALTER TABLE requests ADD COLUMN correct INTEGER CHECK (correct IS NULL OR correct IN (0, 1));
ALTER TABLE requests ADD COLUMN score_detail TEXT;
ALTER TABLE requests ADD COLUMN agreement REAL CHECK (agreement IS NULL OR (agreement >= 0 AND agreement <= 1));
ALTER TABLE requests ADD COLUMN agreement_method TEXT;

CREATE TABLE replay_references (
  run_id             INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  task_id            TEXT NOT NULL,
  custom_id          TEXT NOT NULL,
  api_model          TEXT,
  prompt_tokens      INTEGER,
  completion_tokens  INTEGER,
  cached_tokens      INTEGER,
  -- NULL when outputs are not stored (--no-store-outputs)
  answer_text        TEXT,
  status_code        INTEGER,
  error              TEXT,
  PRIMARY KEY (run_id, task_id)
);
