-- Runs against a remote, per-token-billed API (issue 19): what each request was billed and the limits
-- the run ran under. A local run has remote_json NULL and these request columns at their defaults.
-- reasoning_tokens: completion_tokens_details.reasoning_tokens (part of output_tokens, billed as output).
-- retries / retry_wait_ms: 429 answers retried, and the time waited as Retry-After asked.
-- cost_usd: this request's billed usage x the price the run was billed at (remote_json.price).
ALTER TABLE requests ADD COLUMN reasoning_tokens INTEGER;
ALTER TABLE requests ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN retry_wait_ms REAL NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN cost_usd REAL;
-- A RemoteRun (src/types/run-rows.ts) as JSON; NULL: a local run.
ALTER TABLE runs ADD COLUMN remote_json TEXT;
