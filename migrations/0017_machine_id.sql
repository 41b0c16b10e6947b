-- A machine told apart stably across databases and renames (issue 20's fleet report): sha256 of its
-- /etc/machine-id (never the id itself). NULL: not recorded (older runs), or the machine has none.
ALTER TABLE run_machines ADD COLUMN machine_id_sha256 TEXT;
