-- The machine state that moves results, read at the start and at the end of a run (issue 16 item 2):
-- CPU governor and limits, power source, load, GPU power limits and clocks, other GPU processes.
-- state_json is a MachineState (src/inventory/machine-state.ts). A run from before this migration has
-- no rows: its state is unknown. A resumed run replaces its 'end' row.
CREATE TABLE run_machine_states (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  phase TEXT NOT NULL CHECK (phase IN ('start', 'end')),
  collected_at TEXT NOT NULL,
  state_json TEXT NOT NULL,
  PRIMARY KEY (run_id, phase)
);
