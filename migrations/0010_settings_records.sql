-- One settings record per run (src/record/settings-record.ts): everything that shapes its figures,
-- versioned, with its sha256 digest; and what the server said about itself (src/backends/server-facts.ts),
-- at the start and, after a resume, at the restart. Runs from before this migration have no row: unknown.
CREATE TABLE run_records (
  run_id          INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  record_version  INTEGER NOT NULL,
  digest          TEXT NOT NULL,
  record_json     TEXT NOT NULL
);

CREATE TABLE run_server_facts (
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  -- 0 for the first start, 1.. for each resume.
  part         INTEGER NOT NULL CHECK (part >= 0),
  collected_at TEXT NOT NULL,
  facts_json   TEXT NOT NULL,
  PRIMARY KEY (run_id, part)
);
