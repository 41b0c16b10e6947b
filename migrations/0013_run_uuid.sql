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
