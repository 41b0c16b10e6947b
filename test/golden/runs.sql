PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
CREATE TABLE runs (
  id                INTEGER PRIMARY KEY,
  status            TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'aborted', 'interrupted')),
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  backend           TEXT NOT NULL,
  host              TEXT NOT NULL,
  model             TEXT NOT NULL,
  suite_id          TEXT NOT NULL,
  suite_version     TEXT NOT NULL,
  repeat_count      INTEGER NOT NULL CHECK (repeat_count >= 1),
  planned_requests  INTEGER NOT NULL,
  settings_json     TEXT NOT NULL,
  costbench_version TEXT NOT NULL,
  pid               INTEGER,
  error             TEXT,
  warnings_json     TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE warmups (
  run_id          INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  state           TEXT NOT NULL CHECK (state IN ('ok', 'errored', 'aborted')),
  -- 1 when /api/ps already listed the model before the warm-up: then its time is no cold load.
  already_loaded  INTEGER NOT NULL CHECK (already_loaded IN (0, 1)),
  start_offset_ms REAL NOT NULL,
  latency_ms      REAL NOT NULL,
  load_ms         REAL,
  done_reason     TEXT,
  error           TEXT
);
CREATE TABLE run_machines (
  run_id        INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  hostname      TEXT NOT NULL,
  platform      TEXT NOT NULL,
  os_release    TEXT NOT NULL,
  arch          TEXT NOT NULL,
  cpu_model     TEXT NOT NULL,
  cpu_cores     INTEGER NOT NULL,
  memory_bytes  INTEGER NOT NULL,
  gpus_json     TEXT NOT NULL DEFAULT '[]',
  node_version  TEXT NOT NULL,
  collected_by  TEXT NOT NULL
, is_vm INTEGER CHECK (is_vm IN (0, 1)), vm_host TEXT, vm_evidence_json TEXT);
CREATE TABLE run_models (
  run_id           INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  name             TEXT NOT NULL,
  digest           TEXT,
  family           TEXT,
  parameter_size   TEXT,
  parameter_count  INTEGER,
  quantization     TEXT,
  context_length   INTEGER,
  size_bytes       INTEGER,
  size_vram_bytes  INTEGER,
  server_version   TEXT
, loaded_size_bytes INTEGER, architecture TEXT, block_count INTEGER, head_count INTEGER, head_count_kv INTEGER, embedding_length INTEGER, key_length INTEGER, value_length INTEGER);
CREATE TABLE requests (
  id                INTEGER PRIMARY KEY,
  run_id            INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  -- requests in flight at once when this one ran (a concurrency sweep runs the suite at each level)
  concurrency       INTEGER NOT NULL DEFAULT 1 CHECK (concurrency >= 1),
  seq               INTEGER NOT NULL,
  task_id           TEXT NOT NULL,
  repeat_index      INTEGER NOT NULL,
  state             TEXT NOT NULL CHECK (state IN ('ok', 'errored', 'aborted')),
  started_at        TEXT NOT NULL,
  start_offset_ms   REAL NOT NULL,
  ttft_ms           REAL,
  latency_ms        REAL NOT NULL,
  prompt_tokens     INTEGER,
  prompt_eval_ms    REAL,
  output_tokens     INTEGER,
  eval_ms           REAL,
  load_ms           REAL,
  server_total_ms   REAL,
  done_reason       TEXT,
  chunks            INTEGER NOT NULL DEFAULT 0,
  malformed_lines   INTEGER NOT NULL DEFAULT 0,
  output_text       TEXT,
  error             TEXT, score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1)), correct INTEGER CHECK (correct IS NULL OR correct IN (0, 1)), score_detail TEXT, agreement REAL CHECK (agreement IS NULL OR (agreement >= 0 AND agreement <= 1)), agreement_method TEXT, metrics_source TEXT
  CHECK (metrics_source IS NULL OR metrics_source IN ('server', 'usage', 'chunks')), cached_prompt_tokens INTEGER, last_token_ms REAL, threads INTEGER, eval_tokens INTEGER,
  UNIQUE (run_id, concurrency, task_id, repeat_index)
);
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
CREATE TABLE idle_settles (
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  -- the idle phase the wait began ('idle-before', 'idle-after'), on the run's monotonic clock
  phase        TEXT NOT NULL,
  start_ms     REAL NOT NULL,
  -- when power was flat, or when the wait gave up at max_ms
  settled_ms   REAL NOT NULL,
  -- 1: flat within tolerance over window_ms; 0: not flat by max_ms (measured anyway)
  steady       INTEGER NOT NULL CHECK (steady IN (0, 1)),
  max_ms       REAL NOT NULL,
  window_ms    REAL NOT NULL,
  tolerance    REAL NOT NULL,
  PRIMARY KEY (run_id, phase, start_ms)
);
CREATE TABLE run_engines (
  run_id             INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  engine             TEXT NOT NULL,
  llama_cpp_release  TEXT,
  compute_backend    TEXT NOT NULL,
  devices_json       TEXT NOT NULL DEFAULT '[]',
  threads            INTEGER NOT NULL,
  gpu_layers         INTEGER NOT NULL,
  total_layers       INTEGER NOT NULL,
  context_size       INTEGER NOT NULL,
  batch_size         INTEGER NOT NULL,
  sequences          INTEGER NOT NULL,
  -- 'on', 'off', or 'auto' (llama.cpp enables it where the model and device support it; it does not say)
  flash_attention    TEXT NOT NULL CHECK (flash_attention IN ('on', 'off', 'auto')),
  kv_cache_type      TEXT NOT NULL,
  mmap               INTEGER NOT NULL CHECK (mmap IN (0, 1)),
  chat_template      TEXT NOT NULL,
  engine_start_ms    REAL NOT NULL,
  model_load_ms      REAL NOT NULL,
  context_ms         REAL NOT NULL,
  prime_ms           REAL NOT NULL
);
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
CREATE TABLE run_machine_states (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  phase TEXT NOT NULL CHECK (phase IN ('start', 'end')),
  collected_at TEXT NOT NULL,
  state_json TEXT NOT NULL,
  PRIMARY KEY (run_id, phase)
);
INSERT INTO "schema_migrations" VALUES (1, 'init', '2026-12-02T03:42:16.549Z');
INSERT INTO "schema_migrations" VALUES (2, 'telemetry', '2026-12-02T03:42:16.550Z');
INSERT INTO "schema_migrations" VALUES (3, 'scoring', '2026-12-02T03:42:16.551Z');
INSERT INTO "schema_migrations" VALUES (4, 'token_sources', '2026-12-02T03:42:16.551Z');
INSERT INTO "schema_migrations" VALUES (5, 'model_shape_prompt_cache', '2026-12-02T03:42:16.552Z');
INSERT INTO "schema_migrations" VALUES (6, 'idle_settle', '2026-12-02T03:42:16.552Z');
INSERT INTO "schema_migrations" VALUES (7, 'embedded_engine', '2026-12-02T03:42:16.553Z');
INSERT INTO "schema_migrations" VALUES (9, 'machine_virtualization', '2026-12-02T03:42:16.553Z');
INSERT INTO "schema_migrations" VALUES (10, 'settings_records', '2026-12-02T03:42:16.554Z');
INSERT INTO "schema_migrations" VALUES (11, 'machine_states', '2026-12-02T03:42:16.554Z');
INSERT INTO "runs" VALUES (1, 'completed', '2026-12-02T03:42:17.076Z', '2026-12-02T03:42:25.597Z', 'ollama', 'http://127.0.0.1:32991', 'llama3.2:latest', 'e2e', '1', 2, 6, '{"model":null,"suite":"/work/main/test/fixtures/suite-e2e.json","repeat":2,"warmup":true,"concurrency":[1],"minDurationS":0,"coldStart":false,"cooldownS":0,"storeOutputs":true,"backend":{"kind":"ollama","flavor":"auto","apiKeyEnv":"COSTBENCH_API_KEY","host":"http://127.0.0.1:32991","keepAlive":"10m","requestTimeoutMs":300000,"retries":4,"retryBaseMs":1000,"threads":"auto","gpuLayers":"auto","contextSize":4096,"batchSize":"auto","flashAttention":"auto","kvCacheType":"f16","seed":null,"mmap":true},"suiteOptions":{"temperature":0,"seed":7,"numPredict":400},"modelChosenBecause":"first-installed"}', '0.1.0', 18737, NULL, '[]');
INSERT INTO "runs" VALUES (2, 'completed', '2026-12-02T03:42:26.733Z', '2026-12-02T03:42:36.200Z', 'ollama', 'http://127.0.0.1:32991', 'llama3.2:latest', 'e2e', '1', 2, 12, '{"model":null,"suite":"/work/main/test/fixtures/suite-e2e.json","repeat":2,"warmup":true,"concurrency":[1,2],"minDurationS":0,"coldStart":false,"cooldownS":0,"storeOutputs":true,"backend":{"kind":"ollama","flavor":"auto","apiKeyEnv":"COSTBENCH_API_KEY","host":"http://127.0.0.1:32991","keepAlive":"10m","requestTimeoutMs":300000,"retries":4,"retryBaseMs":1000,"threads":"auto","gpuLayers":"auto","contextSize":4096,"batchSize":"auto","flashAttention":"auto","kvCacheType":"f16","seed":null,"mmap":true},"suiteOptions":{"temperature":0,"seed":7,"numPredict":400},"modelChosenBecause":"loaded"}', '0.1.0', 18880, NULL, '[]');
INSERT INTO "runs" VALUES (3, 'completed', '2026-12-02T03:42:37.548Z', '2026-12-02T03:42:51.737Z', 'ollama', 'http://127.0.0.1:32991', 'llama3.2:latest', 'e2e', '1', 4, 12, '{"model":null,"suite":"/work/main/test/fixtures/suite-e2e.json","repeat":4,"warmup":true,"concurrency":[1],"minDurationS":0,"coldStart":false,"cooldownS":0,"storeOutputs":true,"backend":{"kind":"ollama","flavor":"auto","apiKeyEnv":"COSTBENCH_API_KEY","host":"http://127.0.0.1:32991","keepAlive":"10m","requestTimeoutMs":300000,"retries":4,"retryBaseMs":1000,"threads":"auto","gpuLayers":"auto","contextSize":4096,"batchSize":"auto","flashAttention":"auto","kvCacheType":"f16","seed":null,"mmap":true},"suiteOptions":{"temperature":0,"seed":7,"numPredict":400},"modelChosenBecause":"loaded"}', '0.1.0', 19144, NULL, '[]');
INSERT INTO "runs" VALUES (4, 'completed', '2026-12-02T03:42:53.025Z', '2026-12-02T03:42:53.946Z', 'openai', 'http://127.0.0.1:39871/v1', 'qwen2.5-7b-instruct', 'e2e', '1', 1, 3, '{"model":null,"suite":"/work/main/test/fixtures/suite-e2e.json","repeat":1,"warmup":true,"concurrency":[1],"minDurationS":0,"coldStart":false,"cooldownS":0,"storeOutputs":true,"backend":{"kind":"openai","flavor":"auto","apiKeyEnv":"COSTBENCH_API_KEY","host":"http://127.0.0.1:39871/v1","keepAlive":"10m","requestTimeoutMs":300000,"retries":4,"retryBaseMs":1000,"threads":"auto","gpuLayers":"auto","contextSize":4096,"batchSize":"auto","flashAttention":"auto","kvCacheType":"f16","seed":null,"mmap":true},"suiteOptions":{"temperature":0,"seed":7,"numPredict":400},"modelChosenBecause":"loaded"}', '0.1.0', 19210, NULL, '[]');
INSERT INTO "runs" VALUES (5, 'completed', '2026-12-02T03:42:55.246Z', '2026-12-02T03:42:56.376Z', 'ollama', 'http://127.0.0.1:32991', 'llama3.2:latest', 'replay-requests', '71d291fe0b1d', 1, 5, '{"model":null,"suite":"triage-basic","repeat":1,"warmup":true,"concurrency":[1],"minDurationS":0,"coldStart":false,"cooldownS":0,"storeOutputs":true,"backend":{"kind":"ollama","flavor":"auto","apiKeyEnv":"COSTBENCH_API_KEY","host":"http://127.0.0.1:32991","keepAlive":"10m","requestTimeoutMs":300000,"retries":4,"retryBaseMs":1000,"threads":"auto","gpuLayers":"auto","contextSize":4096,"batchSize":"auto","flashAttention":"auto","kvCacheType":"f16","seed":null,"mmap":true},"suiteOptions":{},"modelChosenBecause":"loaded"}', '0.1.0', 19397, NULL, '[]');
INSERT INTO "warmups" VALUES (1, 'ok', 0, 470.4339120000001, 31.74286600000005, NULL, 'load', NULL);
INSERT INTO "warmups" VALUES (2, 'ok', 1, 461.87335899999994, 8.965531000000055, NULL, 'load', NULL);
INSERT INTO "warmups" VALUES (3, 'ok', 1, 667.2111279999999, 7.763940999999932, NULL, 'load', NULL);
INSERT INTO "warmups" VALUES (4, 'ok', 1, 709.947155, 24.376269999999977, NULL, 'length', NULL);
INSERT INTO "warmups" VALUES (5, 'ok', 1, 657.5151989999999, 8.766253000000006, NULL, 'load', NULL);
INSERT INTO "run_machines" VALUES (1, 'vm', 'linux (Debian GNU/Linux 12)', '6.18.44-fc-v1045', 'x64', 'AMD EPYC', 2, 25275953152, '[]', 'v20.20.2', 'systeminformation 5.33.23', 1, NULL, '[{"signal":"cpuinfo","saysVm":true,"detail":"cpuinfo flags include \"hypervisor\""},{"signal":"systeminformation","saysVm":false,"detail":"systeminformation: not virtual"}]');
INSERT INTO "run_machines" VALUES (2, 'vm', 'linux (Debian GNU/Linux 12)', '6.18.44-fc-v1045', 'x64', 'AMD EPYC', 2, 25275953152, '[]', 'v20.20.2', 'systeminformation 5.33.23', 1, NULL, '[{"signal":"cpuinfo","saysVm":true,"detail":"cpuinfo flags include \"hypervisor\""},{"signal":"systeminformation","saysVm":false,"detail":"systeminformation: not virtual"}]');
INSERT INTO "run_machines" VALUES (3, 'vm', 'linux (Debian GNU/Linux 12)', '6.18.44-fc-v1045', 'x64', 'AMD EPYC', 2, 25275953152, '[]', 'v20.20.2', 'systeminformation 5.33.23', 1, NULL, '[{"signal":"cpuinfo","saysVm":true,"detail":"cpuinfo flags include \"hypervisor\""},{"signal":"systeminformation","saysVm":false,"detail":"systeminformation: not virtual"}]');
INSERT INTO "run_machines" VALUES (4, 'vm', 'linux (Debian GNU/Linux 12)', '6.18.44-fc-v1045', 'x64', 'AMD EPYC', 2, 25275953152, '[]', 'v20.20.2', 'systeminformation 5.33.23', 1, NULL, '[{"signal":"cpuinfo","saysVm":true,"detail":"cpuinfo flags include \"hypervisor\""},{"signal":"systeminformation","saysVm":false,"detail":"systeminformation: not virtual"}]');
INSERT INTO "run_machines" VALUES (5, 'vm', 'linux (Debian GNU/Linux 12)', '6.18.44-fc-v1045', 'x64', 'AMD EPYC', 2, 25275953152, '[]', 'v20.20.2', 'systeminformation 5.33.23', 1, NULL, '[{"signal":"cpuinfo","saysVm":true,"detail":"cpuinfo flags include \"hypervisor\""},{"signal":"systeminformation","saysVm":false,"detail":"systeminformation: not virtual"}]');
INSERT INTO "run_models" VALUES (1, 'llama3.2:latest', 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72', 'llama', '3.2B', 3212749888, 'Q4_K_M', 131072, 2019393189, 2757590693, '0.13.0', 2757590693, 'llama', 28, 24, 8, 3072, 128, 128);
INSERT INTO "run_models" VALUES (2, 'llama3.2:latest', 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72', 'llama', '3.2B', 3212749888, 'Q4_K_M', 131072, 2019393189, 2757590693, '0.13.0', 2757590693, 'llama', 28, 24, 8, 3072, 128, 128);
INSERT INTO "run_models" VALUES (3, 'llama3.2:latest', 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72', 'llama', '3.2B', 3212749888, 'Q4_K_M', 131072, 2019393189, 2757590693, '0.13.0', 2757590693, 'llama', 28, 24, 8, 3072, 128, 128);
INSERT INTO "run_models" VALUES (4, 'qwen2.5-7b-instruct', NULL, NULL, NULL, 7615616512, NULL, 4096, 4683073536, NULL, 'b6000-deadbee', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO "run_models" VALUES (5, 'llama3.2:latest', 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72', 'llama', '3.2B', 3212749888, 'Q4_K_M', 131072, 2019393189, 2757590693, '0.13.0', 2757590693, 'llama', 28, 24, 8, 3072, 128, 128);
INSERT INTO "requests" VALUES (1, 1, 1, 0, 'a', 0, 'ok', '2026-12-02T03:42:21.606Z', 4527.953141999999, 58.31005499999992, 124.8002719999995, 163, 41.878409, 30, 75.062311, NULL, 119.124005, 'stop', 31, 0, 'About with time reply cost sends a every sends the cost benchmarks in with plain every about request a request is plain here request question with answers short answers energy.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 124.70557199999985, NULL, NULL);
INSERT INTO "requests" VALUES (2, 1, 1, 1, 'b', 0, 'ok', '2026-12-02T03:42:21.733Z', 4655.531648, 55.485913999999866, 124.31729499999983, 170, 44.041376, 30, 75.045719, NULL, 119.611691, 'stop', 31, 0, 'Your sends about a your plain question in answers cost reply it that a short count count in per measured your a count your cost about per time the answers.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 124.27803099999983, NULL, NULL);
INSERT INTO "requests" VALUES (3, 1, 1, 2, 'c', 0, 'ok', '2026-12-02T03:42:21.859Z', 4781.070643, 48.818937000000005, 119.93648800000028, 161, 40.454085, 30, 75.117917, NULL, 117.58822, 'stop', 31, 0, 'And time the sends benchmarks answers can sends count token time benchmarks in the sends short about here can so plain back every time so reply about about back reply.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 119.9207980000001, NULL, NULL);
INSERT INTO "requests" VALUES (4, 1, 1, 3, 'a', 1, 'ok', '2026-12-02T03:42:21.980Z', 4902.3954269999995, 50.032170000000406, 120.2542510000003, 163, 41.744515, 30, 75.047383, NULL, 117.248866, 'stop', 31, 0, 'About with time reply cost sends a every sends the cost benchmarks in with plain every about request a request is plain here request question with answers short answers energy.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 120.23852199999965, NULL, NULL);
INSERT INTO "requests" VALUES (5, 1, 1, 4, 'b', 1, 'ok', '2026-12-02T03:42:22.101Z', 5023.528195999999, 50.304817999999614, 121.07089199999973, 170, 43.677826, 30, 75.028226, NULL, 119.122582, 'stop', 31, 0, 'Your sends about a your plain question in answers cost reply it that a short count count in per measured your a count your cost about per time the answers.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 121.05787700000019, NULL, NULL);
INSERT INTO "requests" VALUES (6, 1, 1, 5, 'c', 1, 'ok', '2026-12-02T03:42:22.223Z', 5145.417863, 50.36553300000014, 119.09729400000015, 161, 40.880916, 30, 75.059606, NULL, 116.626304, 'stop', 31, 0, 'And time the sends benchmarks answers can sends count token time benchmarks in the sends short about here can so plain back every time so reply about about back reply.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 119.07821800000056, NULL, NULL);
INSERT INTO "requests" VALUES (7, 2, 1, 0, 'a', 0, 'ok', '2026-12-02T03:42:31.238Z', 4501.3426, 54.4722899999997, 123.64900699999998, 163, 41.598678, 30, 75.061289, NULL, 117.955888, 'stop', 31, 0, 'About with time reply cost sends a every sends the cost benchmarks in with plain every about request a request is plain here request question with answers short answers energy.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 123.42979999999989, NULL, NULL);
INSERT INTO "requests" VALUES (8, 2, 1, 1, 'b', 0, 'ok', '2026-12-02T03:42:31.365Z', 4628.218733, 55.39469100000042, 125.1368110000003, 170, 43.826427, 30, 75.076829, NULL, 119.844974, 'stop', 31, 0, 'Your sends about a your plain question in answers cost reply it that a short count count in per measured your a count your cost about per time the answers.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 125.09955999999966, NULL, NULL);
INSERT INTO "requests" VALUES (9, 2, 1, 2, 'c', 0, 'ok', '2026-12-02T03:42:31.491Z', 4754.756995, 50.384657999999945, 119.82000599999992, 161, 40.549286, 30, 75.053875, NULL, 116.791797, 'stop', 31, 0, 'And time the sends benchmarks answers can sends count token time benchmarks in the sends short about here can so plain back every time so reply about about back reply.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 119.80535899999995, NULL, NULL);
INSERT INTO "requests" VALUES (10, 2, 1, 3, 'a', 1, 'ok', '2026-12-02T03:42:31.613Z', 4876.291577, 49.548321999999644, 119.98826599999938, 163, 41.647251, 30, 75.071778, NULL, 117.265606, 'stop', 31, 0, 'About with time reply cost sends a every sends the cost benchmarks in with plain every about request a request is plain here request question with answers short answers energy.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 119.97164499999963, NULL, NULL);
INSERT INTO "requests" VALUES (11, 2, 1, 4, 'b', 1, 'ok', '2026-12-02T03:42:31.733Z', 4997.165335, 51.58311400000002, 122.0175790000003, 170, 44.087874, 30, 75.080065, NULL, 119.71101, 'stop', 31, 0, 'Your sends about a your plain question in answers cost reply it that a short count count in per measured your a count your cost about per time the answers.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 121.9988140000005, NULL, NULL);
INSERT INTO "requests" VALUES (12, 2, 1, 5, 'c', 1, 'ok', '2026-12-02T03:42:31.856Z', 5120.064628, 49.263090000000375, 123.51325900000029, 161, 40.542342, 30, 78.013134, NULL, 119.503266, 'stop', 31, 0, 'And time the sends benchmarks answers can sends count token time benchmarks in the sends short about here can so plain back every time so reply about about back reply.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 123.47112900000047, NULL, NULL);
INSERT INTO "requests" VALUES (13, 2, 2, 0, 'a', 0, 'ok', '2026-12-02T03:42:31.981Z', 5245.042577, 51.86241400000017, 125.5018340000006, 163, 41.599119, 30, 75.311765, NULL, 117.475255, 'stop', 31, 0, 'About with time reply cost sends a every sends the cost benchmarks in with plain every about request a request is plain here request question with answers short answers energy.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 125.4513880000004, NULL, NULL);
INSERT INTO "requests" VALUES (14, 2, 2, 1, 'b', 0, 'ok', '2026-12-02T03:42:31.983Z', 5246.964236, 170.2190440000004, 244.29766699999982, 170, 43.76942, 30, 78.783307, 112.72122, 236.047894, 'stop', 31, 0, 'Your sends about a your plain question in answers cost reply it that a short count count in per measured your a count your cost about per time the answers.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 244.25207000000046, NULL, NULL);
INSERT INTO "requests" VALUES (15, 2, 2, 2, 'c', 0, 'ok', '2026-12-02T03:42:32.108Z', 5371.43908, 165.66454599999997, 235.67542700000013, 161, 40.751379, 30, 75.037112, 114.931545, 231.325619, 'stop', 31, 0, 'And time the sends benchmarks answers can sends count token time benchmarks in the sends short about here can so plain back every time so reply about about back reply.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 235.52291700000023, NULL, NULL);
INSERT INTO "requests" VALUES (16, 2, 2, 3, 'a', 1, 'ok', '2026-12-02T03:42:32.229Z', 5492.381628, 162.14698800000042, 231.63373300000057, 163, 41.740176, 30, 75.04063, 111.771937, 229.04051, 'stop', 31, 0, 'About with time reply cost sends a every sends the cost benchmarks in with plain every about request a request is plain here request question with answers short answers energy.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 231.6141860000007, NULL, NULL);
INSERT INTO "requests" VALUES (17, 2, 2, 4, 'b', 1, 'ok', '2026-12-02T03:42:32.344Z', 5608.024845, 167.28676499999983, 235.03975899999932, 170, 43.000119, 30, 75.04556, 113.920246, 232.413784, 'stop', 31, 0, 'Your sends about a your plain question in answers cost reply it that a short count count in per measured your a count your cost about per time the answers.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 234.96137999999974, NULL, NULL);
INSERT INTO "requests" VALUES (18, 2, 2, 5, 'c', 1, 'ok', '2026-12-02T03:42:32.461Z', 5724.98918, 164.17535800000041, 233.42024500000025, 161, 40.416834, 30, 75.038806, 115.091971, 231.151988, 'stop', 31, 0, 'And time the sends benchmarks answers can sends count token time benchmarks in the sends short about here can so plain back every time so reply about about back reply.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 233.3921620000001, NULL, NULL);
INSERT INTO "requests" VALUES (19, 3, 1, 0, 'a', 0, 'ok', '2026-12-02T03:42:42.255Z', 4703.195873, 55.928133000000344, 123.64562999999998, 163, 41.071597, 30, 75.05648, NULL, 117.126553, 'stop', 31, 0, 'About with time reply cost sends a every sends the cost benchmarks in with plain every about request a request is plain here request question with answers short answers energy.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 123.47824200000014, NULL, NULL);
INSERT INTO "requests" VALUES (20, 3, 1, 1, 'b', 0, 'ok', '2026-12-02T03:42:42.381Z', 4829.302635999999, 60.965838000000076, 132.12255399999958, 170, 43.349863, 30, 75.441261, NULL, 119.300701, 'stop', 31, 0, 'Your sends about a your plain question in answers cost reply it that a short count count in per measured your a count your cost about per time the answers.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 132.0984779999999, NULL, NULL);
INSERT INTO "requests" VALUES (21, 3, 1, 2, 'c', 0, 'ok', '2026-12-02T03:42:42.515Z', 4963.124836999999, 48.7025450000001, 117.87199800000053, 161, 40.368994, 30, 75.055367, NULL, 115.962263, 'stop', 31, 0, 'And time the sends benchmarks answers can sends count token time benchmarks in the sends short about here can so plain back every time so reply about about back reply.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 117.85709000000043, NULL, NULL);
INSERT INTO "requests" VALUES (22, 3, 1, 3, 'a', 1, 'ok', '2026-12-02T03:42:42.633Z', 5081.593457999999, 50.482264000000214, 119.6832570000006, 163, 41.597065, 30, 75.067141, NULL, 117.143436, 'stop', 31, 0, 'About with time reply cost sends a every sends the cost benchmarks in with plain every about request a request is plain here request question with answers short answers energy.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 119.65788800000064, NULL, NULL);
INSERT INTO "requests" VALUES (23, 3, 1, 4, 'b', 1, 'ok', '2026-12-02T03:42:42.754Z', 5201.993345999999, 50.80896399999983, 121.55450000000019, 170, 43.621228, 30, 75.041773, NULL, 119.162999, 'stop', 31, 0, 'Your sends about a your plain question in answers cost reply it that a short count count in per measured your a count your cost about per time the answers.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 121.52393200000006, NULL, NULL);
INSERT INTO "requests" VALUES (24, 3, 1, 5, 'c', 1, 'ok', '2026-12-02T03:42:47.632Z', 10084.389595, 53.256311000000096, 121.21892300000036, 161, 40.495784, 30, 75.050919, NULL, 116.205034, 'stop', 31, 0, 'And time the sends benchmarks answers can sends count token time benchmarks in the sends short about here can so plain back every time so reply about about back reply.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 121.01387400000021, NULL, NULL);
INSERT INTO "requests" VALUES (25, 3, 1, 6, 'a', 2, 'ok', '2026-12-02T03:42:47.756Z', 10208.083758, 49.82098899999983, 120.28280600000016, 163, 41.558361, 30, 75.039307, NULL, 117.099903, 'stop', 31, 0, 'About with time reply cost sends a every sends the cost benchmarks in with plain every about request a request is plain here request question with answers short answers energy.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 120.21954600000026, NULL, NULL);
INSERT INTO "requests" VALUES (26, 3, 1, 7, 'b', 2, 'ok', '2026-12-02T03:42:47.877Z', 10329.285387, 51.73452199999974, 122.10626799999955, 170, 43.482094, 30, 75.176939, NULL, 119.130899, 'stop', 31, 0, 'Your sends about a your plain question in answers cost reply it that a short count count in per measured your a count your cost about per time the answers.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 122.09001699999953, NULL, NULL);
INSERT INTO "requests" VALUES (27, 3, 1, 8, 'c', 2, 'ok', '2026-12-02T03:42:48.000Z', 10452.449944, 48.00794600000063, 117.98864000000049, 161, 40.489152, 30, 75.036482, NULL, 115.886188, 'stop', 31, 0, 'And time the sends benchmarks answers can sends count token time benchmarks in the sends short about here can so plain back every time so reply about about back reply.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 117.95789100000002, NULL, NULL);
INSERT INTO "requests" VALUES (28, 3, 1, 9, 'a', 3, 'ok', '2026-12-02T03:42:48.119Z', 10571.45318, 48.95535599999948, 118.99512099999993, 163, 41.461177, 30, 75.048915, NULL, 116.893411, 'stop', 31, 0, 'About with time reply cost sends a every sends the cost benchmarks in with plain every about request a request is plain here request question with answers short answers energy.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 118.98014299999977, NULL, NULL);
INSERT INTO "requests" VALUES (29, 3, 1, 10, 'b', 3, 'ok', '2026-12-02T03:42:48.239Z', 10691.283527, 50.88140199999998, 122.2495799999997, 170, 42.898916, 30, 75.039127, NULL, 118.575093, 'stop', 31, 0, 'Your sends about a your plain question in answers cost reply it that a short count count in per measured your a count your cost about per time the answers.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 122.2293409999993, NULL, NULL);
INSERT INTO "requests" VALUES (30, 3, 1, 11, 'c', 3, 'ok', '2026-12-02T03:42:48.363Z', 10814.815471000002, 48.38650599999983, 118.54923500000041, 161, 40.368222, 30, 75.04087, NULL, 116.175567, 'stop', 31, 0, 'And time the sends benchmarks answers can sends count token time benchmarks in the sends short about here can so plain back every time so reply about about back reply.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 118.53399600000012, NULL, NULL);
INSERT INTO "requests" VALUES (31, 4, 1, 0, 'a', 0, 'ok', '2026-12-02T03:42:53.778Z', 748.7947499999999, 15.307923000000073, 53.515642999999955, 167, 8.647948000005272, 24, 40.02472999999736, NULL, NULL, 'stop', 27, 0, 'In a model every benchmarks count your here cost count here measured about so measured a reply model is order request back sends can.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', 0, 53.40430100000003, NULL, NULL);
INSERT INTO "requests" VALUES (32, 4, 1, 1, 'b', 0, 'ok', '2026-12-02T03:42:53.834Z', 804.645727, 20.70849599999997, 58.26310599999988, 174, 9.734481999999844, 24, 40.01783699999942, NULL, NULL, 'stop', 27, 0, 'Every here count count per and reply so every with about sends order it cost a token plain plain energy plain is the every.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', 0, 58.15870799999993, NULL, NULL);
INSERT INTO "requests" VALUES (33, 4, 1, 2, 'c', 0, 'ok', '2026-12-02T03:42:53.893Z', 863.878916, 14.013004999999794, 51.55324699999983, 165, 8.356346000000485, 24, 40.03235400000267, NULL, NULL, 'stop', 27, 0, 'Order is energy it can model count cost can every is request answers question here with model per model short cost so order is.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', 0, 51.463776999999936, NULL, NULL);
INSERT INTO "requests" VALUES (34, 5, 1, 0, 'request-1', 0, 'ok', '2026-12-02T03:42:55.948Z', 698.105523, 16.929300999999896, 83.91272400000003, 10, 3.7394, 30, 75.050258, NULL, 81.090055, 'stop', 31, 0, 'Energy measured with sends can in the sends benchmarks energy the model model per is plain it here sends question here back request plain can cost about here energy about.', NULL, NULL, NULL, NULL, 0, 'token-f1', 'server', NULL, 83.78712599999994, NULL, NULL);
INSERT INTO "requests" VALUES (35, 5, 1, 1, 'request-2', 0, 'ok', '2026-12-02T03:42:56.037Z', 787.417719, 14.22153000000003, 83.65327100000013, 14, 5.1302, 30, 75.028978, NULL, 80.547926, 'stop', 31, 0, 'Benchmarks that your reply answers is measured time it the it model the a every request token can can every benchmarks short your request the order back that that can.', NULL, NULL, NULL, NULL, 0, 'token-f1', 'server', NULL, 83.60141199999998, NULL, NULL);
INSERT INTO "requests" VALUES (36, 5, 1, 2, 'request-3', 0, 'ok', '2026-12-02T03:42:56.123Z', 872.485506, 9.8478869999999, 82.74933499999997, 7, 2.370291, 30, 75.078082, NULL, 77.952288, 'stop', 31, 0, 'So it plain model that answers benchmarks that time benchmarks benchmarks token a order back about so about time here energy so about short token a is the about energy.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 82.7171249999999, NULL, NULL);
INSERT INTO "requests" VALUES (37, 5, 1, 3, 'request-4', 0, 'ok', '2026-12-02T03:42:56.207Z', 956.850709, 12.590584999999919, 88.08309199999985, 5, 5.1147, 30, 76.164884, NULL, 81.797659, 'stop', 31, 0, 'Plain so every order about and every model that it about every back model every and a reply token answers plain time count time and in request per time per.', NULL, NULL, NULL, NULL, 0, 'json-fields', 'server', NULL, 88.06058999999982, NULL, NULL);
INSERT INTO "requests" VALUES (38, 5, 1, 4, 'ticket__5', 0, 'ok', '2026-12-02T03:42:56.296Z', 1046.151123, 7.9257769999999255, 79.25910900000008, 3, 1.225687, 30, 75.040521, NULL, 76.870936, 'stop', 31, 0, 'Measured energy count reply sends reply short that sends answers order a can is here reply in reply per your per and with question can that cost sends your measured.', NULL, NULL, NULL, NULL, NULL, NULL, 'server', NULL, 79.24268800000027, NULL, NULL);
INSERT INTO "telemetry_channels" VALUES (1, 1, 'nvidia:0', 'nvidia', 'NVIDIA GeForce RTX 4090', 'sampled', 'gpu-board', 1, 50, '{"index":0,"uuid":"GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a","pciBusId":"00000000:01:00.0","field":"power.draw.instant","fieldNote":"instantaneous board power","averagingMs":null,"timeBase":"nvidia-smi''s timestamp, mapped onto the run clock (arrival time when over 10 s off)","powerLimitW":450,"periodMs":50,"powerReadable":true,"selection":"GPU board"}');
INSERT INTO "telemetry_channels" VALUES (2, 1, 'cpu-load', 'cpu-load', 'all CPUs', 'sampled', 'none', 0, 50, '{"file":"stat","line":"cpu","busy":"total - idle - iowait","selection":"utilization only"}');
INSERT INTO "telemetry_channels" VALUES (3, 2, 'nvidia:0', 'nvidia', 'NVIDIA GeForce RTX 4090', 'sampled', 'gpu-board', 1, 50, '{"index":0,"uuid":"GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a","pciBusId":"00000000:01:00.0","field":"power.draw.instant","fieldNote":"instantaneous board power","averagingMs":null,"timeBase":"nvidia-smi''s timestamp, mapped onto the run clock (arrival time when over 10 s off)","powerLimitW":450,"periodMs":50,"powerReadable":true,"selection":"GPU board"}');
INSERT INTO "telemetry_channels" VALUES (4, 2, 'cpu-load', 'cpu-load', 'all CPUs', 'sampled', 'none', 0, 50, '{"file":"stat","line":"cpu","busy":"total - idle - iowait","selection":"utilization only"}');
INSERT INTO "telemetry_channels" VALUES (5, 3, 'nvidia:0', 'nvidia', 'NVIDIA GeForce RTX 4090', 'sampled', 'gpu-board', 1, 50, '{"index":0,"uuid":"GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a","pciBusId":"00000000:01:00.0","field":"power.draw.instant","fieldNote":"instantaneous board power","averagingMs":null,"timeBase":"nvidia-smi''s timestamp, mapped onto the run clock (arrival time when over 10 s off)","powerLimitW":450,"periodMs":50,"powerReadable":true,"selection":"GPU board"}');
INSERT INTO "telemetry_channels" VALUES (6, 3, 'cpu-load', 'cpu-load', 'all CPUs', 'sampled', 'none', 0, 50, '{"file":"stat","line":"cpu","busy":"total - idle - iowait","selection":"utilization only"}');
INSERT INTO "telemetry_channels" VALUES (7, 4, 'nvidia:0', 'nvidia', 'NVIDIA GeForce RTX 4090', 'sampled', 'gpu-board', 1, 100, '{"index":0,"uuid":"GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a","pciBusId":"00000000:01:00.0","field":"power.draw.instant","fieldNote":"instantaneous board power","averagingMs":null,"timeBase":"nvidia-smi''s timestamp, mapped onto the run clock (arrival time when over 10 s off)","powerLimitW":450,"periodMs":100,"powerReadable":true,"selection":"GPU board"}');
INSERT INTO "telemetry_channels" VALUES (8, 4, 'amd-smi:0', 'amd', 'AMD Instinct MI300X', 'sampled', 'gpu-board', 1, 100, '{"gpu":0,"pciBusId":"0000:05:00.0","field":"socket_power","powerReadable":true,"energyCounter":true,"energyNote":"energy.total_energy_consumption also read; unreliable before ROCm 6.3","periodMs":1000,"transport":"one amd-smi process per reading, at most one per 1000 ms: amd-smi has no streaming mode we can rely on","selection":"GPU board"}');
INSERT INTO "telemetry_channels" VALUES (9, 4, 'cpu-load', 'cpu-load', 'all CPUs', 'sampled', 'none', 0, 100, '{"file":"stat","line":"cpu","busy":"total - idle - iowait","selection":"utilization only"}');
INSERT INTO "telemetry_channels" VALUES (10, 4, 'estimate:cpu', 'estimate', 'AMD EPYC', 'estimate', 'cpu', 1, 100, '{"estimate":true,"tdpW":15,"tdpLowW":5,"tdpHighW":25,"tdpFrom":"class","tdpBasis":"AMD EPYC, 2 cores, server class (by its name): by class and core count, 2 × 2.6–12.5 W per core, the spread of rated power per core of 24 AMD server table rows","tdpSource":"costbench TDP table (vendor-rated power), by class and core count","model":"linear","idleFraction":0.1,"formula":"TDP x (idleFraction + (1 - idleFraction) x utilization)","note":"guest-side ESTIMATE from rated power and this VM''s /proc/stat utilization, not a measurement: the host''s real draw (other guests, its own load) is not in it","guestSide":true,"selection":"CPU estimate: no measured CPU source"}');
INSERT INTO "telemetry_channels" VALUES (11, 5, 'nvidia:0', 'nvidia', 'NVIDIA GeForce RTX 4090', 'sampled', 'gpu-board', 1, 100, '{"index":0,"uuid":"GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a","pciBusId":"00000000:01:00.0","field":"power.draw.instant","fieldNote":"instantaneous board power","averagingMs":null,"timeBase":"nvidia-smi''s timestamp, mapped onto the run clock (arrival time when over 10 s off)","powerLimitW":450,"periodMs":100,"powerReadable":true,"selection":"GPU board"}');
INSERT INTO "telemetry_channels" VALUES (12, 5, 'amd-smi:0', 'amd', 'AMD Instinct MI300X', 'sampled', 'gpu-board', 1, 100, '{"gpu":0,"pciBusId":"0000:05:00.0","field":"socket_power","powerReadable":true,"energyCounter":true,"energyNote":"energy.total_energy_consumption also read; unreliable before ROCm 6.3","periodMs":1000,"transport":"one amd-smi process per reading, at most one per 1000 ms: amd-smi has no streaming mode we can rely on","selection":"GPU board"}');
INSERT INTO "telemetry_channels" VALUES (13, 5, 'cpu-load', 'cpu-load', 'all CPUs', 'sampled', 'none', 0, 100, '{"file":"stat","line":"cpu","busy":"total - idle - iowait","selection":"utilization only"}');
INSERT INTO "telemetry_channels" VALUES (14, 5, 'estimate:cpu', 'estimate', 'AMD EPYC', 'estimate', 'cpu', 1, 100, '{"estimate":true,"tdpW":15,"tdpLowW":5,"tdpHighW":25,"tdpFrom":"class","tdpBasis":"AMD EPYC, 2 cores, server class (by its name): by class and core count, 2 × 2.6–12.5 W per core, the spread of rated power per core of 24 AMD server table rows","tdpSource":"costbench TDP table (vendor-rated power), by class and core count","model":"linear","idleFraction":0.1,"formula":"TDP x (idleFraction + (1 - idleFraction) x utilization)","note":"guest-side ESTIMATE from rated power and this VM''s /proc/stat utilization, not a measurement: the host''s real draw (other guests, its own load) is not in it","guestSide":true,"selection":"CPU estimate: no measured CPU source"}');
INSERT INTO "samples" VALUES (1, 568.206528359375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 620.206528359375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 671.206528359375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 721.206528359375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 772.206528359375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 823.206528359375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 872.206528359375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 923.206528359375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 974.206528359375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1025.2065283593752, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1076.2065283593752, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1127.2065283593752, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1178.2065283593752, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1228.2065283593752, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1278.2065283593752, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1329.2065283593752, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1378.2065283593752, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1428.2065283593752, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (2, 1468.1535840000001, NULL, NULL, 8.5, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (1, 1478.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1529.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1580.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1630.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1680.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1729.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1779.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1830.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1880.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1930.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 1981.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2031.1476904687502, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2082.14769046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2133.14769046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2182.14769046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2233.14769046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2283.14769046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2334.14769046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2384.14769046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2435.14769046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (2, 2468.0805960000002, NULL, NULL, 1.507537688442211, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (1, 2484.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2534.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2584.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2634.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2685.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2735.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2786.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2836.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2887.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2937.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 2988.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3038.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3089.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3140.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3190.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3241.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3291.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3342.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3392.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3443.911850625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (2, 3468.7678630000005, NULL, NULL, 1.9801980198019802, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (1, 3493.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3544.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3594.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3645.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3696.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3745.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3796.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3845.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3896.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3946.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 3997.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4047.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4098.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4149.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4198.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4249.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4299.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4350.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4400.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4451.912583046875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (2, 4468.831625, NULL, NULL, 2, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (1, 4502.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4553.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4603.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4654.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4703.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4753.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4803.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4853.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4903.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 4954.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5004.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5054.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5105.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5155.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5206.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5257.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5306.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5356.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5406.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5457.5866553125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (2, 5468.5517549999995, NULL, NULL, 10.891089108910892, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (1, 5506.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5557.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5607.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5658.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5709.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5758.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5809.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5858.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5909.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 5959.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6010.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6060.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6111.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6161.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6212.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6263.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6313.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6364.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6414.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6465.817368203125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (2, 6468.754231, NULL, NULL, 1.9900497512437811, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (1, 6515.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6566.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6616.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6667.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6718.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6767.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6817.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6868.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6917.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 6967.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7017.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7067.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7117.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7168.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7219.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7269.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7320.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7370.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7421.80491703125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (2, 7468.711631, NULL, NULL, 1.0101010101010102, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (1, 7470.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7520.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7570.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7621.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7671.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7722.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7772.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7823.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7873.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7924.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 7974.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 8024.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 8074.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 8125.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 8175.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 8226.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 8277.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 8327.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 8378.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (1, 8428.597641640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (2, 8468.449676, NULL, NULL, 2.5, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (1, 8478.87522953125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (2, 8519.850102999999, NULL, NULL, 0, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (3, 527.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 577.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 627.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 678.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 727.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 778.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 828.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 877.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 928.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 977.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1028.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1078.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1128.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1179.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1229.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1280.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1329.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1380.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1429.963197921875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (4, 1457.907911, NULL, NULL, 7.425742574257425, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (3, 1480.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1530.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1581.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1632.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1681.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1731.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1782.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1831.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1881.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1931.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 1982.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2031.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2082.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2131.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2182.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2232.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2282.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2332.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2383.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2433.8794576875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (4, 2457.8171300000004, NULL, NULL, 1.0050251256281406, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (3, 2484.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2534.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2585.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2635.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2685.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2736.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2786.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2837.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2887.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2938.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 2988.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3039.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3090.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3140.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3191.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3241.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3292.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3341.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3392.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3442.655824875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (4, 3457.5418389999995, NULL, NULL, 1.0050251256281406, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (3, 3493.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3542.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3593.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3642.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3693.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3743.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3792.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3843.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3892.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3943.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 3992.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4043.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4093.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4144.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4193.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4244.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4294.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4344.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4394.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4444.538637375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (4, 4458.428033, NULL, NULL, 0.5050505050505051, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (3, 4495.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4544.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4595.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4645.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4695.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4746.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4796.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4847.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4897.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4948.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 4997.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5047.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5098.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5148.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5198.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5249.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5300.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5349.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5400.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5450.262514328125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (4, 5459.212404, NULL, NULL, 17.560975609756095, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (3, 5500.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5551.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5601.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5652.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5702.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5753.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5803.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5854.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5904.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 5955.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6004.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6055.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6104.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6155.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6204.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6255.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6304.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6354.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6404.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6454.270326828125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (4, 6459.216072, NULL, NULL, 8.5, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (3, 6504.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6554.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6604.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6655.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6705.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6756.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6805.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6856.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6906.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 6957.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7007.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7058.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7108.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7159.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7209.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7260.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7310.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7360.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7410.2857076875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (4, 7459.218437999999, NULL, NULL, 1.0101010101010102, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (3, 7460.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7510.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7560.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7610.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7660.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7710.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7760.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7810.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7861.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7911.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 7962.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8012.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8063.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8113.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8164.774233078125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8214.774233078126, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8265.774233078126, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8315.774233078126, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8366.774233078126, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8416.774233078126, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (4, 8458.656242000001, NULL, NULL, 1, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (3, 8467.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8517.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8568.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8617.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8668.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8718.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8769.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8819.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8870.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8920.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 8970.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 9020.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 9071.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 9121.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 9172.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 9222.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 9273.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 9323.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 9373.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (3, 9424.318178390626, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (4, 9459.117509000002, NULL, NULL, 1.507537688442211, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (4, 9464.020047, NULL, NULL, 0, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 780.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 831.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 882.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 931.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 981.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1032.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1083.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1133.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1184.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1235.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1286.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1335.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1385.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1436.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1486.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1537.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1587.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1638.40752059375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 1663.358465, NULL, NULL, 13.725490196078432, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 1688.1746104375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1739.1746104375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1788.1746104375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1839.1746104375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1890.1746104375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1939.1746104375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 1990.1746104375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2039.1746104375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2090.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2140.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2190.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2241.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2290.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2341.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2391.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2442.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2492.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2543.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2593.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2643.1746104374997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 2663.1013279999997, NULL, NULL, 3.5175879396984926, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 2692.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2743.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2793.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2844.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2894.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2945.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 2995.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3046.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3096.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3147.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3198.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3248.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3299.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3349.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3399.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3449.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3499.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3550.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3600.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 3651.8513682499997, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 3663.587963, NULL, NULL, 3.5000000000000004, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 6142.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6192.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6242.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6293.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6343.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6393.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6444.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6495.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6545.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6596.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6647.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6698.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6748.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6798.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6847.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6897.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6948.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 6998.646211859375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 7040.566150000001, NULL, NULL, 11.055276381909549, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 7049.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7099.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7149.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7199.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7249.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7299.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7350.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7400.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7451.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7501.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7552.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7602.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7653.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7702.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7753.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7803.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7853.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7903.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 7954.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8004.539766546875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 8040.471241, NULL, NULL, 1.0050251256281406, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 8054.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8104.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8154.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8204.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8255.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8306.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8356.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8407.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8457.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8507.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8557.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8608.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8658.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8708.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8759.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8808.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8858.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8909.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 8959.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9010.674043890625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 9040.566493, NULL, NULL, 1.0050251256281406, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 9060.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9111.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9161.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9212.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9262.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9313.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9364.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9414.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9465.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9515.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9566.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9616.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9667.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9717.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9768.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9819.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9868.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9919.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 9969.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10020.101534125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 10040.911399, NULL, NULL, 2.0100502512562812, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 10069.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10119.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10169.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10219.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10269.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10320.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10370.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10420.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10470.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10521.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10572.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10621.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10671.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10722.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10773.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10824.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10874.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10924.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 10975.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11024.888887640625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 11041.846747, NULL, NULL, 12.935323383084576, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 11074.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11124.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11174.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11225.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11275.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11326.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11377.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11427.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11478.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11528.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11579.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11629.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11680.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11730.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11781.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11831.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11882.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11933.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 11983.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12034.787325140625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 12041.736178, NULL, NULL, 1.0050251256281406, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 12083.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12134.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12184.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12235.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12285.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12336.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12387.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12436.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12487.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12536.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12586.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12637.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12687.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12738.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12788.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12839.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12890.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12939.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 12990.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13039.987520453125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 13041.94232, NULL, NULL, 2.4630541871921183, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 13091.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13141.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13192.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13242.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13293.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13343.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13394.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13445.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13495.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13546.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13596.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13647.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13697.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13748.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13798.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13848.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13899.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 13949.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 14000.721407171875, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 14042.643022, NULL, NULL, 1.5, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (5, 14050.18210053125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 14101.18210053125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (5, 14151.18210053125, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (6, 14189.160967, NULL, NULL, 3.4482758620689653, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (9, 684.146871, NULL, NULL, 100, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (10, 684.146871, 15, NULL, 100, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (7, 821.92555990625, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (8, 861.6142659999999, 142, 123456.789, 37, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (9, 916.9034869999999, NULL, NULL, 72.09302325581395, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (10, 916.9034869999999, 11.048780487804878, NULL, 70.73170731707317, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (13, 631.34313, NULL, NULL, 100, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (14, 631.34313, 15, NULL, 100, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (11, 749.885682734375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (11, 850.885682734375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (11, 951.885682734375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (11, 1052.885682734375, 287.41, NULL, 97, 10844372992, 2730, 63);
INSERT INTO "samples" VALUES (12, 806.3276699999999, 142, 123456.789, 37, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (13, 1126.773911, NULL, NULL, 46.464646464646464, NULL, NULL, NULL);
INSERT INTO "samples" VALUES (14, 1126.773911, 7.7727272727272725, NULL, 46.464646464646464, NULL, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (1, 'nvidia-smi', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (1, 'cpu-load', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (2, 'nvidia-smi', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (2, 'cpu-load', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (3, 'nvidia-smi', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (3, 'cpu-load', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (4, 'nvidia-smi', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (4, 'hwmon', 0, 'no /sys/class/drm: not Linux, or sysfs is not mounted', NULL);
INSERT INTO "telemetry_sources" VALUES (4, 'amd-smi', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (4, 'rapl', 0, 'no RAPL powercap interface (/sys/class/powercap/intel-rapl absent): not an Intel/AMD x86 Linux machine, or the intel_rapl module is not loaded', 'run `sudo modprobe intel_rapl_msr`, then check that /sys/class/powercap/intel-rapl:0 exists');
INSERT INTO "telemetry_sources" VALUES (4, 'powermetrics', 0, 'powermetrics is macOS-only (this is linux)', 'Apple power readings need macOS on Apple silicon; use RAPL, a GPU sampler or a wall meter here');
INSERT INTO "telemetry_sources" VALUES (4, 'cpu-load', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (4, 'estimate', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (4, 'rocm-smi', 1, 'not started: same GPU read through amd-smi', NULL);
INSERT INTO "telemetry_sources" VALUES (5, 'nvidia-smi', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (5, 'hwmon', 0, 'no /sys/class/drm: not Linux, or sysfs is not mounted', NULL);
INSERT INTO "telemetry_sources" VALUES (5, 'amd-smi', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (5, 'rapl', 0, 'no RAPL powercap interface (/sys/class/powercap/intel-rapl absent): not an Intel/AMD x86 Linux machine, or the intel_rapl module is not loaded', 'run `sudo modprobe intel_rapl_msr`, then check that /sys/class/powercap/intel-rapl:0 exists');
INSERT INTO "telemetry_sources" VALUES (5, 'powermetrics', 0, 'powermetrics is macOS-only (this is linux)', 'Apple power readings need macOS on Apple silicon; use RAPL, a GPU sampler or a wall meter here');
INSERT INTO "telemetry_sources" VALUES (5, 'cpu-load', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (5, 'estimate', 1, NULL, NULL);
INSERT INTO "telemetry_sources" VALUES (5, 'rocm-smi', 1, 'not started: same GPU read through amd-smi', NULL);
INSERT INTO "phases" VALUES (1, 'warmup', 0, 470.41250100000013, 503.588668);
INSERT INTO "phases" VALUES (1, 'idle-before', 0, 519.3418170000001, 4526.658764);
INSERT INTO "phases" VALUES (1, 'measure', 1, 4527.517945, 5265.3035039999995);
INSERT INTO "phases" VALUES (1, 'idle-after', 0, 5265.342288, 8518.959232);
INSERT INTO "phases" VALUES (2, 'warmup', 0, 461.8316, 472.3522439999999);
INSERT INTO "phases" VALUES (2, 'idle-before', 0, 490.5842889999999, 4499.90491);
INSERT INTO "phases" VALUES (2, 'measure', 1, 4500.923344, 5244.787853);
INSERT INTO "phases" VALUES (2, 'measure', 2, 5244.883003999999, 5959.311167);
INSERT INTO "phases" VALUES (2, 'idle-after', 0, 5959.353126, 9463.135718000001);
INSERT INTO "phases" VALUES (3, 'warmup', 0, 667.1899679999999, 676.8301409999999);
INSERT INTO "phases" VALUES (3, 'idle-before', 0, 691.376117, 4701.609270999999);
INSERT INTO "phases" VALUES (3, 'measure', 1, 4702.635248, 5324.07687);
INSERT INTO "phases" VALUES (3, 'warmup', 0, 6043.457528000001, 6057.088276);
INSERT INTO "phases" VALUES (3, 'idle-before', 0, 6073.819862, 10082.707713);
INSERT INTO "phases" VALUES (3, 'measure', 1, 10083.894555, 10934.339697);
INSERT INTO "phases" VALUES (3, 'idle-after', 0, 10934.384762000002, 14188.329709);
INSERT INTO "phases" VALUES (4, 'warmup', 0, 709.9221679999999, 736.1220400000001);
INSERT INTO "phases" VALUES (4, 'measure', 1, 748.11027, 916.244806);
INSERT INTO "phases" VALUES (5, 'warmup', 0, 657.491454, 667.579778);
INSERT INTO "phases" VALUES (5, 'measure', 1, 697.2940329999999, 1126.272088);
INSERT INTO "replay_references" VALUES (5, 'request-1', 'request-1', 'gpt-4o-mini', 22, 2, 0, 'Hello.', 200, NULL);
INSERT INTO "replay_references" VALUES (5, 'request-2', 'request-2', 'gpt-4o-mini', 1200, 1, 1024, 'bug', 200, NULL);
INSERT INTO "replay_references" VALUES (5, 'request-3', 'request-3', 'gpt-4o-mini', NULL, NULL, NULL, NULL, NULL, 'batch_expired: This request could not be executed before the completion window expired.');
INSERT INTO "replay_references" VALUES (5, 'request-4', 'request-4', 'gpt-4o-mini', 40, 12, NULL, '{"priority": "high", "team": "auth"}', 200, NULL);
INSERT INTO "idle_settles" VALUES (1, 'idle-before', 520.0496610000001, 3526.033887, 1, 30000, 2000, 0.02);
INSERT INTO "idle_settles" VALUES (1, 'idle-after', 5265.374027999999, 7517.849593999999, 1, 30000, 2000, 0.02);
INSERT INTO "idle_settles" VALUES (2, 'idle-before', 490.82178, 3499.1490839999997, 1, 30000, 2000, 0.02);
INSERT INTO "idle_settles" VALUES (2, 'idle-after', 5959.453798, 8462.916861000002, 1, 30000, 2000, 0.02);
INSERT INTO "idle_settles" VALUES (3, 'idle-before', 691.6156819999999, 3700.2538859999995, 1, 30000, 2000, 0.02);
INSERT INTO "idle_settles" VALUES (3, 'idle-before', 6074.198622000001, 9082.179007, 1, 30000, 2000, 0.02);
INSERT INTO "idle_settles" VALUES (3, 'idle-after', 10934.461818, 13188.482187000001, 1, 30000, 2000, 0.02);
INSERT INTO "run_records" VALUES (1, 1, '344395ceb711fe7654119bea5720077db9fb505dc9d1ff9785be12a6f6b80296', '{"recordVersion":1,"config":{"backend":{"kind":"ollama","flavor":"auto","apiKeyEnv":"COSTBENCH_API_KEY","host":"http://127.0.0.1:32991","keepAlive":"10m","requestTimeoutMs":300000,"retries":4,"retryBaseMs":1000,"threads":"auto","gpuLayers":"auto","contextSize":4096,"batchSize":"auto","flashAttention":"auto","kvCacheType":"f16","seed":null,"mmap":true},"run":{"model":null,"suite":"/work/main/test/fixtures/suite-e2e.json","repeat":2,"warmup":true,"concurrency":[1],"minDurationS":0,"coldStart":false,"cooldownS":0,"storeOutputs":true},"telemetry":{"enabled":true,"intervalMs":50,"idleBaselineS":1,"sources":["nvidia"],"meters":[],"cpuTdpW":null},"cost":{"currency":"USD","currencyPerUsd":1,"electricityPerKwh":null,"overheadFactor":1,"hardware":{"purchasePrice":null,"amortizationMonths":36,"alreadyOwnedIdle":null,"workloadShare":1},"engineering":{"setupHours":null,"maintenanceHoursPerMonth":null,"hourlyRate":null},"monthlyTasks":10000,"availabilityHoursPerDay":24,"compareWith":["gpt-4.1-nano","gpt-4o-mini","gemini/gemini-2.5-flash","claude-haiku-4-5","deepseek/deepseek-chat"],"cachedInputShare":null,"load":{"shape":"steady","p95LatencyBoundMs":null},"batch":false,"tokenRatio":{},"customPrices":[]},"roofline":{"device":null,"bandwidthGBps":null}},"suite":{"id":"e2e","version":"1","source":"/work/main/test/fixtures/suite-e2e.json","replayOutput":null},"requestOptions":{"suite":{"temperature":0,"seed":7,"numPredict":400},"byTask":{},"formatByTask":{},"keepAlive":"10m","timeoutMs":300000,"stream":true},"engineThreads":null,"threadsSweep":null,"software":{"costbenchVersion":"0.1.0","commit":"6c92915e14b4aa7a3fc3a0fc3c3b9b2440f09725","dirty":true,"nodeVersion":"v20.20.2","platform":"linux","arch":"x64"},"rerunOf":null}');
INSERT INTO "run_records" VALUES (2, 1, '7e7534101db075666d83ec794c1425d06efecbd8cfbe39e5ec35b48bdf092015', '{"recordVersion":1,"config":{"backend":{"kind":"ollama","flavor":"auto","apiKeyEnv":"COSTBENCH_API_KEY","host":"http://127.0.0.1:32991","keepAlive":"10m","requestTimeoutMs":300000,"retries":4,"retryBaseMs":1000,"threads":"auto","gpuLayers":"auto","contextSize":4096,"batchSize":"auto","flashAttention":"auto","kvCacheType":"f16","seed":null,"mmap":true},"run":{"model":null,"suite":"/work/main/test/fixtures/suite-e2e.json","repeat":2,"warmup":true,"concurrency":[1,2],"minDurationS":0,"coldStart":false,"cooldownS":0,"storeOutputs":true},"telemetry":{"enabled":true,"intervalMs":50,"idleBaselineS":1,"sources":["nvidia"],"meters":[],"cpuTdpW":null},"cost":{"currency":"USD","currencyPerUsd":1,"electricityPerKwh":null,"overheadFactor":1,"hardware":{"purchasePrice":null,"amortizationMonths":36,"alreadyOwnedIdle":null,"workloadShare":1},"engineering":{"setupHours":null,"maintenanceHoursPerMonth":null,"hourlyRate":null},"monthlyTasks":10000,"availabilityHoursPerDay":24,"compareWith":["gpt-4.1-nano","gpt-4o-mini","gemini/gemini-2.5-flash","claude-haiku-4-5","deepseek/deepseek-chat"],"cachedInputShare":null,"load":{"shape":"steady","p95LatencyBoundMs":null},"batch":false,"tokenRatio":{},"customPrices":[]},"roofline":{"device":null,"bandwidthGBps":null}},"suite":{"id":"e2e","version":"1","source":"/work/main/test/fixtures/suite-e2e.json","replayOutput":null},"requestOptions":{"suite":{"temperature":0,"seed":7,"numPredict":400},"byTask":{},"formatByTask":{},"keepAlive":"10m","timeoutMs":300000,"stream":true},"engineThreads":null,"threadsSweep":null,"software":{"costbenchVersion":"0.1.0","commit":"6c92915e14b4aa7a3fc3a0fc3c3b9b2440f09725","dirty":true,"nodeVersion":"v20.20.2","platform":"linux","arch":"x64"},"rerunOf":null}');
INSERT INTO "run_records" VALUES (3, 1, '83d49046cf3a40ee0ba03fe769eb1ade851e1bab30b2077f7876b3ae4e1b89e5', '{"recordVersion":1,"config":{"backend":{"kind":"ollama","flavor":"auto","apiKeyEnv":"COSTBENCH_API_KEY","host":"http://127.0.0.1:32991","keepAlive":"10m","requestTimeoutMs":300000,"retries":4,"retryBaseMs":1000,"threads":"auto","gpuLayers":"auto","contextSize":4096,"batchSize":"auto","flashAttention":"auto","kvCacheType":"f16","seed":null,"mmap":true},"run":{"model":null,"suite":"/work/main/test/fixtures/suite-e2e.json","repeat":4,"warmup":true,"concurrency":[1],"minDurationS":0,"coldStart":false,"cooldownS":0,"storeOutputs":true},"telemetry":{"enabled":true,"intervalMs":50,"idleBaselineS":1,"sources":["nvidia"],"meters":[],"cpuTdpW":null},"cost":{"currency":"USD","currencyPerUsd":1,"electricityPerKwh":null,"overheadFactor":1,"hardware":{"purchasePrice":null,"amortizationMonths":36,"alreadyOwnedIdle":null,"workloadShare":1},"engineering":{"setupHours":null,"maintenanceHoursPerMonth":null,"hourlyRate":null},"monthlyTasks":10000,"availabilityHoursPerDay":24,"compareWith":["gpt-4.1-nano","gpt-4o-mini","gemini/gemini-2.5-flash","claude-haiku-4-5","deepseek/deepseek-chat"],"cachedInputShare":null,"load":{"shape":"steady","p95LatencyBoundMs":null},"batch":false,"tokenRatio":{},"customPrices":[]},"roofline":{"device":null,"bandwidthGBps":null}},"suite":{"id":"e2e","version":"1","source":"/work/main/test/fixtures/suite-e2e.json","replayOutput":null},"requestOptions":{"suite":{"temperature":0,"seed":7,"numPredict":400},"byTask":{},"formatByTask":{},"keepAlive":"10m","timeoutMs":300000,"stream":true},"engineThreads":null,"threadsSweep":null,"software":{"costbenchVersion":"0.1.0","commit":"6c92915e14b4aa7a3fc3a0fc3c3b9b2440f09725","dirty":true,"nodeVersion":"v20.20.2","platform":"linux","arch":"x64"},"rerunOf":null}');
INSERT INTO "run_records" VALUES (4, 1, 'b490a9a6ec0094fc24addf4c97ff8f3d69aa29e94c124e5a08f2639408b56457', '{"recordVersion":1,"config":{"backend":{"kind":"openai","flavor":"auto","apiKeyEnv":"COSTBENCH_API_KEY","host":"http://127.0.0.1:39871/v1","keepAlive":"10m","requestTimeoutMs":300000,"retries":4,"retryBaseMs":1000,"threads":"auto","gpuLayers":"auto","contextSize":4096,"batchSize":"auto","flashAttention":"auto","kvCacheType":"f16","seed":null,"mmap":true},"run":{"model":null,"suite":"/work/main/test/fixtures/suite-e2e.json","repeat":1,"warmup":true,"concurrency":[1],"minDurationS":0,"coldStart":false,"cooldownS":0,"storeOutputs":true},"telemetry":{"enabled":true,"intervalMs":100,"idleBaselineS":0,"sources":["nvidia","amd","rapl","apple","meter","estimate"],"meters":[],"cpuTdpW":null},"cost":{"currency":"USD","currencyPerUsd":1,"electricityPerKwh":null,"overheadFactor":1,"hardware":{"purchasePrice":null,"amortizationMonths":36,"alreadyOwnedIdle":null,"workloadShare":1},"engineering":{"setupHours":null,"maintenanceHoursPerMonth":null,"hourlyRate":null},"monthlyTasks":10000,"availabilityHoursPerDay":24,"compareWith":["gpt-4.1-nano","gpt-4o-mini","gemini/gemini-2.5-flash","claude-haiku-4-5","deepseek/deepseek-chat"],"cachedInputShare":null,"load":{"shape":"steady","p95LatencyBoundMs":null},"batch":false,"tokenRatio":{},"customPrices":[]},"roofline":{"device":null,"bandwidthGBps":null}},"suite":{"id":"e2e","version":"1","source":"/work/main/test/fixtures/suite-e2e.json","replayOutput":null},"requestOptions":{"suite":{"temperature":0,"seed":7,"numPredict":400},"byTask":{},"formatByTask":{},"keepAlive":"10m","timeoutMs":300000,"stream":true},"engineThreads":null,"threadsSweep":null,"software":{"costbenchVersion":"0.1.0","commit":"6c92915e14b4aa7a3fc3a0fc3c3b9b2440f09725","dirty":true,"nodeVersion":"v20.20.2","platform":"linux","arch":"x64"},"rerunOf":null}');
INSERT INTO "run_records" VALUES (5, 1, '665dc384573fc8bbe93090372c3772225c7599bf4c691bbc603e5f4f04e38bf7', '{"recordVersion":1,"config":{"backend":{"kind":"ollama","flavor":"auto","apiKeyEnv":"COSTBENCH_API_KEY","host":"http://127.0.0.1:32991","keepAlive":"10m","requestTimeoutMs":300000,"retries":4,"retryBaseMs":1000,"threads":"auto","gpuLayers":"auto","contextSize":4096,"batchSize":"auto","flashAttention":"auto","kvCacheType":"f16","seed":null,"mmap":true},"run":{"model":null,"suite":"triage-basic","repeat":1,"warmup":true,"concurrency":[1],"minDurationS":0,"coldStart":false,"cooldownS":0,"storeOutputs":true},"telemetry":{"enabled":true,"intervalMs":100,"idleBaselineS":0,"sources":["nvidia","amd","rapl","apple","meter","estimate"],"meters":[],"cpuTdpW":null},"cost":{"currency":"USD","currencyPerUsd":1,"electricityPerKwh":null,"overheadFactor":1,"hardware":{"purchasePrice":null,"amortizationMonths":36,"alreadyOwnedIdle":null,"workloadShare":1},"engineering":{"setupHours":null,"maintenanceHoursPerMonth":null,"hourlyRate":null},"monthlyTasks":10000,"availabilityHoursPerDay":24,"compareWith":["gpt-4.1-nano","gpt-4o-mini","gemini/gemini-2.5-flash","claude-haiku-4-5","deepseek/deepseek-chat"],"cachedInputShare":null,"load":{"shape":"steady","p95LatencyBoundMs":null},"batch":false,"tokenRatio":{},"customPrices":[]},"roofline":{"device":null,"bandwidthGBps":null}},"suite":{"id":"replay-requests","version":"71d291fe0b1d","source":"/work/main/test/fixtures/replay/requests.jsonl","replayOutput":"/work/main/test/fixtures/replay/output.jsonl"},"requestOptions":{"suite":{},"byTask":{"request-1":{"temperature":0,"numPredict":1000},"request-2":{"seed":42},"request-3":{"numPredict":200},"request-4":{"numPredict":100},"ticket__5":{"temperature":0.2}},"formatByTask":{"request-3":"json","request-4":"schema"},"keepAlive":"10m","timeoutMs":300000,"stream":true},"engineThreads":null,"threadsSweep":null,"software":{"costbenchVersion":"0.1.0","commit":"6c92915e14b4aa7a3fc3a0fc3c3b9b2440f09725","dirty":true,"nodeVersion":"v20.20.2","platform":"linux","arch":"x64"},"rerunOf":null}');
INSERT INTO "run_server_facts" VALUES (1, 0, '2026-12-02T03:42:17.597Z', '{"server":"ollama","version":"0.13.0","build":null,"contextLength":4096,"maxModelLength":131072,"slots":null,"placement":"100% GPU","settings":{"size":2757590693,"size_vram":2757590693,"quantization_level":"Q4_K_M","stop":"<|user|>"},"errors":[]}');
INSERT INTO "run_server_facts" VALUES (2, 0, '2026-12-02T03:42:27.226Z', '{"server":"ollama","version":"0.13.0","build":null,"contextLength":4096,"maxModelLength":131072,"slots":null,"placement":"100% GPU","settings":{"size":2757590693,"size_vram":2757590693,"quantization_level":"Q4_K_M","stop":"<|user|>"},"errors":[]}');
INSERT INTO "run_server_facts" VALUES (3, 0, '2026-12-02T03:42:38.242Z', '{"server":"ollama","version":"0.13.0","build":null,"contextLength":4096,"maxModelLength":131072,"slots":null,"placement":"100% GPU","settings":{"size":2757590693,"size_vram":2757590693,"quantization_level":"Q4_K_M","stop":"<|user|>"},"errors":[]}');
INSERT INTO "run_server_facts" VALUES (3, 1, '2026-12-02T03:42:43.621Z', '{"server":"ollama","version":"0.13.0","build":null,"contextLength":4096,"maxModelLength":131072,"slots":null,"placement":"100% GPU","settings":{"size":2757590693,"size_vram":2757590693,"quantization_level":"Q4_K_M","stop":"<|user|>"},"errors":[]}');
INSERT INTO "run_server_facts" VALUES (4, 0, '2026-12-02T03:42:53.776Z', '{"server":"llama.cpp","version":"b6000-deadbee","build":null,"contextLength":4096,"maxModelLength":32768,"slots":1,"placement":null,"settings":{"n_ctx":4096,"model_path":"/models/qwen2.5-7b-instruct.gguf","n_predict":-1,"seed":4294967295,"temperature":0.800000011920929,"top_k":40,"top_p":0.949999988079071,"min_p":0.05000000074505806,"typical_p":1,"repeat_last_n":64,"repeat_penalty":1,"presence_penalty":0,"frequency_penalty":0},"errors":[]}');
INSERT INTO "run_server_facts" VALUES (5, 0, '2026-12-02T03:42:55.942Z', '{"server":"ollama","version":"0.13.0","build":null,"contextLength":4096,"maxModelLength":131072,"slots":null,"placement":"100% GPU","settings":{"size":2757590693,"size_vram":2757590693,"quantization_level":"Q4_K_M","stop":"<|user|>"},"errors":[]}');
INSERT INTO "run_machine_states" VALUES (1, 'start', '2026-12-02T03:42:17.118Z', '{"collectedAt":"2026-12-02T03:42:17.118Z","phase":"start","platform":"linux","cpu":{"cpuCount":null,"scalingDrivers":null,"governors":null,"energyPerfPreferences":null,"scalingMinKhz":null,"scalingMaxKhz":null,"cpuinfoMaxKhz":null,"cappedCpuCount":null,"boost":null},"power":{"onMains":null,"batteries":[]},"loadAverage":[1.08,1.43,2.41],"gpus":[{"vendor":"nvidia","index":0,"name":"NVIDIA GeForce RTX 4090","driverVersion":"550.54.14","powerLimitW":450,"defaultPowerLimitW":450,"enforcedPowerLimitW":450,"persistenceMode":true,"smClockMhz":2730,"memClockMhz":10501,"maxSmClockMhz":3105,"pstate":"P2","temperatureC":63,"performanceLevel":null}],"gpuProcesses":[],"errors":["CPU frequency: no cpufreq under /sys/devices/system/cpu (a virtual machine, or no frequency scaling driver)"]}');
INSERT INTO "run_machine_states" VALUES (1, 'end', '2026-12-02T03:42:25.605Z', '{"collectedAt":"2026-12-02T03:42:25.605Z","phase":"end","platform":"linux","cpu":{"cpuCount":null,"scalingDrivers":null,"governors":null,"energyPerfPreferences":null,"scalingMinKhz":null,"scalingMaxKhz":null,"cpuinfoMaxKhz":null,"cappedCpuCount":null,"boost":null},"power":{"onMains":null,"batteries":[]},"loadAverage":[0.99,1.41,2.4],"gpus":[{"vendor":"nvidia","index":0,"name":"NVIDIA GeForce RTX 4090","driverVersion":"550.54.14","powerLimitW":450,"defaultPowerLimitW":450,"enforcedPowerLimitW":450,"persistenceMode":true,"smClockMhz":2730,"memClockMhz":10501,"maxSmClockMhz":3105,"pstate":"P2","temperatureC":63,"performanceLevel":null}],"gpuProcesses":[],"errors":["CPU frequency: no cpufreq under /sys/devices/system/cpu (a virtual machine, or no frequency scaling driver)"]}');
INSERT INTO "run_machine_states" VALUES (2, 'start', '2026-12-02T03:42:26.772Z', '{"collectedAt":"2026-12-02T03:42:26.772Z","phase":"start","platform":"linux","cpu":{"cpuCount":null,"scalingDrivers":null,"governors":null,"energyPerfPreferences":null,"scalingMinKhz":null,"scalingMaxKhz":null,"cpuinfoMaxKhz":null,"cappedCpuCount":null,"boost":null},"power":{"onMains":null,"batteries":[]},"loadAverage":[1.07,1.42,2.39],"gpus":[{"vendor":"nvidia","index":0,"name":"NVIDIA GeForce RTX 4090","driverVersion":"550.54.14","powerLimitW":450,"defaultPowerLimitW":450,"enforcedPowerLimitW":450,"persistenceMode":true,"smClockMhz":2730,"memClockMhz":10501,"maxSmClockMhz":3105,"pstate":"P2","temperatureC":63,"performanceLevel":null}],"gpuProcesses":[],"errors":["CPU frequency: no cpufreq under /sys/devices/system/cpu (a virtual machine, or no frequency scaling driver)"]}');
INSERT INTO "run_machine_states" VALUES (2, 'end', '2026-12-02T03:42:36.208Z', '{"collectedAt":"2026-12-02T03:42:36.208Z","phase":"end","platform":"linux","cpu":{"cpuCount":null,"scalingDrivers":null,"governors":null,"energyPerfPreferences":null,"scalingMinKhz":null,"scalingMaxKhz":null,"cpuinfoMaxKhz":null,"cappedCpuCount":null,"boost":null},"power":{"onMains":null,"batteries":[]},"loadAverage":[0.91,1.37,2.37],"gpus":[{"vendor":"nvidia","index":0,"name":"NVIDIA GeForce RTX 4090","driverVersion":"550.54.14","powerLimitW":450,"defaultPowerLimitW":450,"enforcedPowerLimitW":450,"persistenceMode":true,"smClockMhz":2730,"memClockMhz":10501,"maxSmClockMhz":3105,"pstate":"P2","temperatureC":63,"performanceLevel":null}],"gpuProcesses":[],"errors":["CPU frequency: no cpufreq under /sys/devices/system/cpu (a virtual machine, or no frequency scaling driver)"]}');
INSERT INTO "run_machine_states" VALUES (3, 'start', '2026-12-02T03:42:37.605Z', '{"collectedAt":"2026-12-02T03:42:37.605Z","phase":"start","platform":"linux","cpu":{"cpuCount":null,"scalingDrivers":null,"governors":null,"energyPerfPreferences":null,"scalingMinKhz":null,"scalingMaxKhz":null,"cpuinfoMaxKhz":null,"cappedCpuCount":null,"boost":null},"power":{"onMains":null,"batteries":[]},"loadAverage":[0.91,1.37,2.37],"gpus":[{"vendor":"nvidia","index":0,"name":"NVIDIA GeForce RTX 4090","driverVersion":"550.54.14","powerLimitW":450,"defaultPowerLimitW":450,"enforcedPowerLimitW":450,"persistenceMode":true,"smClockMhz":2730,"memClockMhz":10501,"maxSmClockMhz":3105,"pstate":"P2","temperatureC":63,"performanceLevel":null}],"gpuProcesses":[],"errors":["CPU frequency: no cpufreq under /sys/devices/system/cpu (a virtual machine, or no frequency scaling driver)"]}');
INSERT INTO "run_machine_states" VALUES (3, 'end', '2026-12-02T03:42:51.745Z', '{"collectedAt":"2026-12-02T03:42:51.745Z","phase":"end","platform":"linux","cpu":{"cpuCount":null,"scalingDrivers":null,"governors":null,"energyPerfPreferences":null,"scalingMinKhz":null,"scalingMaxKhz":null,"cpuinfoMaxKhz":null,"cappedCpuCount":null,"boost":null},"power":{"onMains":null,"batteries":[]},"loadAverage":[0.77,1.32,2.33],"gpus":[{"vendor":"nvidia","index":0,"name":"NVIDIA GeForce RTX 4090","driverVersion":"550.54.14","powerLimitW":450,"defaultPowerLimitW":450,"enforcedPowerLimitW":450,"persistenceMode":true,"smClockMhz":2730,"memClockMhz":10501,"maxSmClockMhz":3105,"pstate":"P2","temperatureC":63,"performanceLevel":null}],"gpuProcesses":[],"errors":["CPU frequency: no cpufreq under /sys/devices/system/cpu (a virtual machine, or no frequency scaling driver)"]}');
INSERT INTO "run_machine_states" VALUES (4, 'start', '2026-12-02T03:42:53.070Z', '{"collectedAt":"2026-12-02T03:42:53.070Z","phase":"start","platform":"linux","cpu":{"cpuCount":null,"scalingDrivers":null,"governors":null,"energyPerfPreferences":null,"scalingMinKhz":null,"scalingMaxKhz":null,"cpuinfoMaxKhz":null,"cappedCpuCount":null,"boost":null},"power":{"onMains":null,"batteries":[]},"loadAverage":[0.77,1.32,2.33],"gpus":[{"vendor":"nvidia","index":0,"name":"NVIDIA GeForce RTX 4090","driverVersion":"550.54.14","powerLimitW":450,"defaultPowerLimitW":450,"enforcedPowerLimitW":450,"persistenceMode":true,"smClockMhz":2730,"memClockMhz":10501,"maxSmClockMhz":3105,"pstate":"P2","temperatureC":63,"performanceLevel":null}],"gpuProcesses":[],"errors":["CPU frequency: no cpufreq under /sys/devices/system/cpu (a virtual machine, or no frequency scaling driver)"]}');
INSERT INTO "run_machine_states" VALUES (4, 'end', '2026-12-02T03:42:53.955Z', '{"collectedAt":"2026-12-02T03:42:53.955Z","phase":"end","platform":"linux","cpu":{"cpuCount":null,"scalingDrivers":null,"governors":null,"energyPerfPreferences":null,"scalingMinKhz":null,"scalingMaxKhz":null,"cpuinfoMaxKhz":null,"cappedCpuCount":null,"boost":null},"power":{"onMains":null,"batteries":[]},"loadAverage":[0.77,1.32,2.33],"gpus":[{"vendor":"nvidia","index":0,"name":"NVIDIA GeForce RTX 4090","driverVersion":"550.54.14","powerLimitW":450,"defaultPowerLimitW":450,"enforcedPowerLimitW":450,"persistenceMode":true,"smClockMhz":2730,"memClockMhz":10501,"maxSmClockMhz":3105,"pstate":"P2","temperatureC":63,"performanceLevel":null}],"gpuProcesses":[],"errors":["CPU frequency: no cpufreq under /sys/devices/system/cpu (a virtual machine, or no frequency scaling driver)"]}');
INSERT INTO "run_machine_states" VALUES (5, 'start', '2026-12-02T03:42:55.297Z', '{"collectedAt":"2026-12-02T03:42:55.297Z","phase":"start","platform":"linux","cpu":{"cpuCount":null,"scalingDrivers":null,"governors":null,"energyPerfPreferences":null,"scalingMinKhz":null,"scalingMaxKhz":null,"cpuinfoMaxKhz":null,"cappedCpuCount":null,"boost":null},"power":{"onMains":null,"batteries":[]},"loadAverage":[0.77,1.32,2.33],"gpus":[{"vendor":"nvidia","index":0,"name":"NVIDIA GeForce RTX 4090","driverVersion":"550.54.14","powerLimitW":450,"defaultPowerLimitW":450,"enforcedPowerLimitW":450,"persistenceMode":true,"smClockMhz":2730,"memClockMhz":10501,"maxSmClockMhz":3105,"pstate":"P2","temperatureC":63,"performanceLevel":null}],"gpuProcesses":[],"errors":["CPU frequency: no cpufreq under /sys/devices/system/cpu (a virtual machine, or no frequency scaling driver)"]}');
INSERT INTO "run_machine_states" VALUES (5, 'end', '2026-12-02T03:42:56.387Z', '{"collectedAt":"2026-12-02T03:42:56.387Z","phase":"end","platform":"linux","cpu":{"cpuCount":null,"scalingDrivers":null,"governors":null,"energyPerfPreferences":null,"scalingMinKhz":null,"scalingMaxKhz":null,"cpuinfoMaxKhz":null,"cappedCpuCount":null,"boost":null},"power":{"onMains":null,"batteries":[]},"loadAverage":[0.87,1.33,2.33],"gpus":[{"vendor":"nvidia","index":0,"name":"NVIDIA GeForce RTX 4090","driverVersion":"550.54.14","powerLimitW":450,"defaultPowerLimitW":450,"enforcedPowerLimitW":450,"persistenceMode":true,"smClockMhz":2730,"memClockMhz":10501,"maxSmClockMhz":3105,"pstate":"P2","temperatureC":63,"performanceLevel":null}],"gpuProcesses":[],"errors":["CPU frequency: no cpufreq under /sys/devices/system/cpu (a virtual machine, or no frequency scaling driver)"]}');
CREATE INDEX requests_run ON requests (run_id, concurrency, seq);
CREATE INDEX runs_started ON runs (started_at);
CREATE INDEX samples_channel_t ON samples (channel_id, t_ms);
CREATE INDEX telemetry_errors_run ON telemetry_errors (run_id);
COMMIT;
