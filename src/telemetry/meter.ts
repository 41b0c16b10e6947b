/**
 * Whole-machine power at the plug (or from the BMC): configured, never auto-detected.
 * Shelly Gen2+ and Tasmota smart plugs over HTTP, or any command that prints watts
 * (e.g. `ipmitool dcmi power reading`). Channels cover 'wall'; PUE never applies to them.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { describeError } from '../errors.js';
import { parseMeterJson, parseShellyStatus, parseTasmotaStatus, parseWattsText } from './meter-parse.js';
import type { MeterReading } from './meter-parse.js';
import { emptySample } from './sampler.js';
import type { Channel, PollResult, ProbeResult, Sampler } from './sampler.js';

/**
 * A configured wall meter. `supply` names the power supply it covers: meters on different supplies
 * add up to the machine total (see selectChannels).
 */
export type MeterConfig = (
  | { kind: 'shelly'; host: string; switchId?: number }
  | { kind: 'tasmota'; host: string }
  | { kind: 'command'; command: string }
) & { supply?: string | null };

/** Options for {@link MeterSampler}. */
export interface MeterSamplerOptions {
  meter: MeterConfig;
  /** Channel key suffix, for several meters of one kind. Default the meter kind ("meter:shelly"). */
  name?: string;
  /** Used for HTTP meters. Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Environment of the power command (PATH). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Longest wait for one reading. Default {@link DEFAULT_METER_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Monotonic clock in ms, used to stamp a reading half-way through its request. Default performance.now. */
  now?: () => number;
}

/** Default longest wait for one meter reading. */
export const DEFAULT_METER_TIMEOUT_MS = 2_000;

/** More output than a power reading could need is cut off. */
const MAX_COMMAND_OUTPUT = 64 * 1024;

/** Shelly prints aenergy.total in Wh with 3 decimals: the counter moves in 3.6 J steps. */
const SHELLY_ENERGY_RESOLUTION_J = 3.6;

/** The URL a pull meter is read from. A host without a scheme gets "http://". */
export function meterUrl(meter: Exclude<MeterConfig, { kind: 'command' }>): string {
  const base = /^https?:\/\//i.test(meter.host) ? meter.host.replace(/\/+$/, '') : `http://${meter.host}`;
  if (meter.kind === 'shelly') return `${base}/rpc/Switch.GetStatus?id=${meter.switchId ?? 0}`;
  return `${base}/cm?cmnd=Status%208`;
}

/** How to check a meter by hand, for probe hints. */
function meterHint(meter: MeterConfig): string {
  switch (meter.kind) {
    case 'shelly':
      return `open ${meterUrl(meter)} in a browser: it must answer JSON with "apower" (Shelly Gen2+ firmware; switchId selects the output)`;
    case 'tasmota':
      return `open ${meterUrl(meter)} in a browser: it must answer JSON with StatusSNS.ENERGY.Power (a Tasmota plug with power metering)`;
    case 'command':
      return `run \`${meter.command}\` by hand: it must print watts, e.g. "85.5 W" or ipmitool's "Instantaneous power reading: 285 Watts" (ipmitool needs root or access to /dev/ipmi0)`;
  }
}

/** Where the meter is: host or command. */
function meterDevice(meter: MeterConfig): string {
  return meter.kind === 'command' ? meter.command : meter.host;
}

/**
 * Polls one wall meter. Each poll makes one request (or runs the command once); a poll that
 * comes while the previous request is still in flight is skipped, and a request that takes
 * longer than the timeout fails. A failure is an error in the poll result and a gap.
 */
export class MeterSampler implements Sampler {
  readonly source = 'meter' as const;
  private readonly meter: MeterConfig;
  private readonly key: string;
  private readonly fetch: typeof fetch;
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private inFlight = false;
  private counter = false;

  constructor(options: MeterSamplerOptions) {
    this.meter = options.meter;
    this.key = `meter:${options.name ?? options.meter.kind}`;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.env = options.env ?? process.env;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_METER_TIMEOUT_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** Takes one reading; a Shelly that reports aenergy.total becomes a 'counter' channel. Never throws. */
  async probe(): Promise<ProbeResult> {
    let reading: MeterReading;
    try {
      reading = await this.read();
    } catch (error) {
      return {
        available: false,
        reason: `cannot read the ${this.meter.kind} meter at ${meterDevice(this.meter)}: ${describeError(error)}`,
        hint: meterHint(this.meter),
      };
    }
    this.counter = this.meter.kind === 'shelly' && reading.energyJ !== null;
    return { available: true, channels: [this.channel()] };
  }

  /** Nothing long-lived to start. */
  async start(): Promise<void> {}

  /** Reads the meter now, unless the previous reading is still in flight (then returns nothing). */
  async poll(nowMs: number): Promise<PollResult> {
    if (this.inFlight) return { samples: [], errors: [] };
    this.inFlight = true;
    const startedMs = this.now();
    try {
      const reading = await this.read();
      const sample = emptySample(this.key, nowMs + (this.now() - startedMs) / 2);
      sample.powerW = reading.powerW;
      if (this.counter) sample.energyJ = reading.energyJ;
      return { samples: [sample], errors: [] };
    } catch (error) {
      return { samples: [], errors: [{ tMs: nowMs, channelKey: this.key, message: describeError(error) }] };
    } finally {
      this.inFlight = false;
    }
  }

  /** Nothing to release (a request in flight ends by its timeout). */
  async stop(): Promise<void> {}

  /** One reading; throws on failure (callers turn that into data). */
  private async read(): Promise<MeterReading> {
    const meter = this.meter;
    if (meter.kind === 'command') return parseWattsText(await this.runCommand(meter.command));
    const json = parseMeterJson(await this.getText(meterUrl(meter)));
    return meter.kind === 'shelly' ? parseShellyStatus(json) : parseTasmotaStatus(json);
  }

  private async getText(url: string): Promise<string> {
    let response: Response;
    try {
      response = await this.fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError')
        throw new Error(`no answer from ${url} within ${this.timeoutMs} ms`, { cause: error });
      throw new Error(`GET ${url} failed: ${describeError(error)}${causeOf(error)}`, { cause: error });
    }
    if (!response.ok)
      throw new Error(`GET ${url} answered HTTP ${response.status} ${response.statusText}`.trim());
    return response.text();
  }

  /**
   * Runs the command through the shell, asynchronously. At the timeout the whole process group
   * is killed and the reading fails at once (a grandchild holding stdout open cannot stall it).
   */
  private runCommand(command: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, {
        shell: true,
        detached: true,
        env: this.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      let stdout = '';
      let stderr = '';
      child.stdout
        .setEncoding('utf8')
        .on('data', (chunk: string) => (stdout = (stdout + chunk).slice(0, MAX_COMMAND_OUTPUT)));
      child.stderr
        .setEncoding('utf8')
        .on('data', (chunk: string) => (stderr = (stderr + chunk).slice(0, MAX_COMMAND_OUTPUT)));
      const timer = setTimeout(() => {
        killGroup(child.pid);
        reject(new Error(`\`${command}\` killed after ${this.timeoutMs} ms without finishing`));
      }, this.timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`\`${command}\` could not start: ${describeError(error)}`, { cause: error }));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) {
          resolve(stdout);
          return;
        }
        const said = stderr.trim().split('\n')[0] ?? '';
        reject(
          new Error(
            `\`${command}\` failed (${signal ?? `exit ${String(code)}`})${said === '' ? '' : `: ${said}`}`,
          ),
        );
      });
    });
  }

  private channel(): Channel {
    const meter = this.meter;
    const detail: Channel['detail'] = {
      meter: meter.kind,
      supply: meter.supply ?? null,
      timeoutMs: this.timeoutMs,
    };
    if (meter.kind !== 'command') detail['url'] = meterUrl(meter);
    if (meter.kind === 'shelly') {
      detail['powerField'] = 'apower (W)';
      detail['energyField'] = this.counter ? 'aenergy.total (Wh x 3600)' : null;
      detail['energyResolutionJ'] = this.counter ? SHELLY_ENERGY_RESOLUTION_J : null;
    }
    if (meter.kind === 'tasmota') {
      detail['powerField'] = 'StatusSNS.ENERGY.Power (W)';
      detail['note'] =
        'Total (kWh) not used as a counter: at the default EnergyRes 3 it moves in 1 Wh (3600 J) steps';
    }
    return {
      key: this.key,
      source: 'meter',
      device: meterDevice(meter),
      kind: this.counter ? 'counter' : 'sampled',
      covers: 'wall',
      detail,
    };
  }
}

/** fetch's "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND) in error.cause. */
function causeOf(error: unknown): string {
  return error instanceof Error && error.cause !== undefined ? ` (${describeError(error.cause)})` : '';
}

/** Kills a detached child's whole process group; it may already be gone. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already exited
  }
}
