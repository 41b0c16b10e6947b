import type { LocalCostInputs } from './cost-types.js';
import type { MissingInput } from './cost-types.js';

/**
 * The inputs a full view needs and lacks. Unset is not 0: a bucket whose input is unset makes the
 * full view incomplete, and an incomplete full view gives no verdict and no break-even. Pure.
 */

const INIT = 'or run `costbench init`';

/**
 * What makes an unknown energy known: a source to read, or the CPU estimate (on Linux, with
 * "estimate" in telemetry.sources; telemetry.cpuTdpW where no TDP can be assumed).
 */
export const ENERGY_FIX =
  'measure or estimate power in a new run: `costbench doctor` says what can be read here ' +
  'and what to enable (for a CPU estimate, keep "estimate" in telemetry.sources; set telemetry.cpuTdpW ' +
  'where no TDP can be assumed)';

/** The key of the idle-power measurement. */
export const IDLE_KEY = 'idle power';

/** Idle power was not measured, and some machine is bought for the work. */
export const IDLE_MISSING: MissingInput = {
  key: IDLE_KEY,
  bucket: 'idle electricity',
  fix: 'measure an idle baseline (telemetry.idleBaselineS or --idle above 0) in a new run',
};

function configKey(key: string, bucket: MissingInput['bucket'], example: string): MissingInput {
  return { key, bucket, fix: `set ${key} in the config file (e.g. ${example}) ${INIT}` };
}

/**
 * What the full view lacks whatever the volume: unset hardware and engineering inputs, unmeasured
 * energy, no capacity. (Idle power is needed once a machine is bought: computeLocalMonth adds it then.)
 */
export function listMissingInputs(i: LocalCostInputs): MissingInput[] {
  const missing: MissingInput[] = [];
  if (i.purchasePrice === null)
    missing.push(
      configKey('cost.hardware.purchasePrice', 'hardware', '1500; 0 for a box that is truly free'),
    );
  if (i.alreadyOwnedIdle === null) {
    missing.push(
      configKey(
        'cost.hardware.alreadyOwnedIdle',
        'hardware',
        'true for a box you own that is otherwise idle, false for one bought for this work',
      ),
    );
  }
  if (i.setupHours === null) missing.push(configKey('cost.engineering.setupHours', 'engineering', '8'));
  if (i.maintenanceHoursPerMonth === null)
    missing.push(configKey('cost.engineering.maintenanceHoursPerMonth', 'engineering', '1.5'));
  const noHours = i.setupHours === 0 && i.maintenanceHoursPerMonth === 0;
  if (i.hourlyRate === null && !noHours)
    missing.push(configKey('cost.engineering.hourlyRate', 'engineering', '75'));
  if (i.totalJPerTask === null) {
    missing.push({
      key: 'energy per task',
      bucket: 'electricity',
      fix: ENERGY_FIX,
    });
  }
  if (i.idleW === null && i.alreadyOwnedIdle === false) missing.push(IDLE_MISSING);
  if (i.secondsPerTask === null) {
    missing.push({
      key: 'capacity',
      bucket: 'capacity',
      fix: 'no concurrency level met the latency bound: raise cost.load.p95LatencyBoundMs, or measure lower concurrency levels',
    });
  }
  return missing;
}
