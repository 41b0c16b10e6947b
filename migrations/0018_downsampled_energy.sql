-- A run imported from a bundle exported with --downsample-ms (docs/bundles.md): its samples were thinned
-- to about one per channel per interval_ms (for the charts), so its energy figures are not computed
-- from them but read from energy_json: the energy summary computed from every sample before thinning.
-- samples_before / samples_after: the run's sample count before and after. No row: all samples kept.
CREATE TABLE run_downsampled_energy (
  run_id          INTEGER NOT NULL UNIQUE REFERENCES runs(id) ON DELETE CASCADE,
  interval_ms     REAL NOT NULL CHECK (interval_ms > 0),
  samples_before  INTEGER NOT NULL,
  samples_after   INTEGER NOT NULL,
  energy_json     TEXT NOT NULL
);
