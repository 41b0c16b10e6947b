-- A run's identity across databases: bundles (costbench export / import) carry it, so importing a
-- run twice adds it once. Runs from before get a random version-4 UUID here; new runs get one from
-- insertRun. Local ids (runs.id) differ between databases; the uuid does not.
ALTER TABLE runs ADD COLUMN uuid TEXT;

UPDATE runs SET uuid =
  lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
  substr(lower(hex(randomblob(2))), 2) || '-' ||
  substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' ||
  lower(hex(randomblob(6)));

CREATE UNIQUE INDEX runs_uuid ON runs (uuid);

-- Where an imported run came from (costbench import): this database's own record of the import,
-- not part of the run's content, so it does not travel in a bundle. The run's own machine is in
-- run_machines; this names the machine that exported it (hostname, sha256 of its machine id).
CREATE TABLE run_imports (
  run_id             INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  imported_at        TEXT NOT NULL,
  bundle_file        TEXT NOT NULL,
  -- the bundle's end-line sha256 (of every line before it)
  bundle_sha256      TEXT NOT NULL,
  exported_at        TEXT NOT NULL,
  exported_by_json   TEXT NOT NULL,
  costbench_version  TEXT NOT NULL
);
