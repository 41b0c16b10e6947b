-- The embedded engine (issue 14): costbench runs the model itself through node-llama-cpp.
--
-- requests.threads: the CPU threads llama.cpp computed this request with (NULL for model servers,
-- which do not say). requests.eval_tokens: the tokens eval_ms covers where that is not every output
-- token: the embedded engine times from the first to the last token, output_tokens - 1 decode
-- steps (NULL: all of output_tokens, as Ollama's eval_duration and llama.cpp's predicted_ms count).
ALTER TABLE requests ADD COLUMN threads INTEGER;
ALTER TABLE requests ADD COLUMN eval_tokens INTEGER;

-- How the engine ran the model: its build, the compute backend llama.cpp found and its devices,
-- where the layers went (gpu_layers of total_layers offloaded), the context as created, and the
-- cold start split into its parts (engine start, model load, context, a priming token), all ms.
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
