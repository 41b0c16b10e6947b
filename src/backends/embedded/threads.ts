/**
 * The engine's default thread count. llama.cpp's compute threads spin while they wait for work,
 * so a thread on every core starves the harness (and the telemetry sampler) of CPU: measured on a
 * 2-core machine with a tiny model, 2 threads decoded at 48-100 tok/s and 1 thread at ~2000.
 * Pure.
 */

/**
 * Physical cores (llama.cpp counts them for math; SMT siblings add little to matrix work), but
 * never all the logical cores: one is left to costbench. 1 on a 2-core machine; 4 on 4 cores with
 * 8 threads; 3 on 4 cores without SMT.
 */
export function defaultThreads(cpuMathCores: number, logicalCores: number): number {
  return Math.max(1, Math.min(cpuMathCores, logicalCores - 1));
}
