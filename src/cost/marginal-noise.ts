/**
 * When a marginal energy below zero means something. Idle and busy power are each measured with
 * some noise, so on a machine whose power barely moves under load (a constant-power sensor, a box
 * that idles at full clocks) the marginal energy lands a hair either side of zero: that is about
 * zero, not a finding. Only a shortfall beyond this share of the total energy is flagged as idle
 * read above busy. Pure.
 */
export const MARGINAL_NOISE_SHARE = 0.01;

/** True when the marginal energy is below zero by more than the noise share of the total. */
export function isBelowZeroBeyondNoise(marginalJ: number | null, totalJ: number | null): boolean {
  if (marginalJ === null || marginalJ >= 0) return false;
  return totalJ === null || totalJ <= 0 || -marginalJ > MARGINAL_NOISE_SHARE * totalJ;
}
