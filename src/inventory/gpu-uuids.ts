/**
 * The UUIDs of the machine's GPUs: which physical cards a run used, where the model name cannot
 * tell a swapped card from the one before. nvidia-smi is asked once at the run's start; NVML's
 * channels (nvmlDeviceGetUUID, in each channel's detail) fill in where nvidia-smi could not answer.
 * Parsing is pure; the query goes through an injected {@link ToolExec}.
 */
import type { Channel } from '../types/readings.js';
import type { ToolExec } from './run-tool.js';

/** Arguments of the UUID query: one UUID a line, as `GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a`. */
export const NVIDIA_UUID_ARGS = ['--query-gpu=uuid', '--format=csv,noheader'] as const;

/** An NVIDIA GPU UUID as nvidia-smi and NVML print it ("GPU-" and hex groups); MIG ids are not cards. */
const NVIDIA_UUID = /^GPU-[0-9a-f]+(?:-[0-9a-f]+)+$/i;

/** Whether `text` is an NVIDIA GPU UUID in the real format. */
export function isNvidiaGpuUuid(text: string): boolean {
  return NVIDIA_UUID.test(text);
}

/** The UUIDs in nvidia-smi's answer, sorted, each once; a line that is not one ([N/A], an error) is skipped. */
export function parseNvidiaUuids(csv: string): string[] {
  const uuids = csv
    .split('\n')
    .map((l) => l.trim())
    .filter(isNvidiaGpuUuid);
  return [...new Set(uuids)].sort();
}

/** The NVIDIA GPUs' UUIDs, sorted; [] where nvidia-smi is absent, fails or lists none. Never rejects. */
export async function readNvidiaGpuUuids(exec: ToolExec): Promise<string[]> {
  const result = await exec('nvidia-smi', NVIDIA_UUID_ARGS);
  return result.ok ? parseNvidiaUuids(result.stdout) : [];
}

/** The UUIDs the telemetry channels name in their detail (NVML, nvidia-smi), sorted, each once. */
export function gpuUuidsOfChannels(channels: readonly Channel[]): string[] {
  const uuids = channels.flatMap((c) => {
    const uuid = c.detail['uuid'];
    return typeof uuid === 'string' && isNvidiaGpuUuid(uuid) ? [uuid] : [];
  });
  return [...new Set(uuids)].sort();
}
