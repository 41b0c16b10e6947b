-- Telemetry: the channels each run measured (or estimated), their samples, the sources that
-- could not be read and why, sampler errors, and the run's phases (warm-up, idle baselines,
-- measured requests) on the run's monotonic clock.

CREATE TABLE telemetry_channels (
  id           INTEGER PRIMARY KEY,
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  key          TEXT NOT NULL,
  source       TEXT NOT NULL,
  device       TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('counter', 'sampled', 'estimate')),
  covers       TEXT NOT NULL,
  -- 1 when the channel counts toward the machine total (overlapping channels never both count).
  in_total     INTEGER NOT NULL CHECK (in_total IN (0, 1)),
  interval_ms  REAL NOT NULL,
  detail_json  TEXT NOT NULL DEFAULT '{}',
  UNIQUE (run_id, key)
);

CREATE TABLE samples (
  channel_id         INTEGER NOT NULL REFERENCES telemetry_channels(id) ON DELETE CASCADE,
  t_ms               REAL NOT NULL,
  power_w            REAL,
  energy_j           REAL,
  utilization_pct    REAL,
  memory_used_bytes  INTEGER,
  clock_mhz          REAL,
  temperature_c      REAL
);
CREATE INDEX samples_channel_t ON samples (channel_id, t_ms);

CREATE TABLE telemetry_sources (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  source     TEXT NOT NULL,
  available  INTEGER NOT NULL CHECK (available IN (0, 1)),
  reason     TEXT,
  hint       TEXT,
  PRIMARY KEY (run_id, source)
);

CREATE TABLE telemetry_errors (
  id           INTEGER PRIMARY KEY,
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  source       TEXT NOT NULL,
  channel_key  TEXT,
  t_ms         REAL NOT NULL,
  message      TEXT NOT NULL
);
CREATE INDEX telemetry_errors_run ON telemetry_errors (run_id);

CREATE TABLE phases (
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name         TEXT NOT NULL CHECK (name IN ('unload', 'warmup', 'idle-before', 'measure', 'cooldown', 'idle-after')),
  -- the concurrency level of a 'measure' or 'cooldown' phase; 0 for the others
  concurrency  INTEGER NOT NULL DEFAULT 0,
  start_ms     REAL NOT NULL,
  end_ms       REAL NOT NULL,
  -- a resumed run adds phases of the same name and level, later on the same clock
  PRIMARY KEY (run_id, name, concurrency, start_ms)
);
