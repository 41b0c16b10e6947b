/**
 * Parsing wall-meter answers (pure): Shelly Gen2+ RPC JSON, Tasmota Status 8 JSON, and the
 * text a command prints (a number of watts, or ipmitool's DCMI power reading).
 */

/** One reading from a meter. */
export interface MeterReading {
  powerW: number;
  /** The meter's own cumulative energy counter, in joules, when it reports one. */
  energyJ: number | null;
}

/** A meter answer that does not hold a reading. The message says what was wrong. */
export class MeterParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeterParseError';
  }
}

const J_PER_WH = 3600;
const J_PER_KWH = 3_600_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finiteNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Parses JSON text, throwing a MeterParseError that quotes the start of the text. */
export function parseMeterJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MeterParseError(
      `meter answered with something that is not JSON: ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
}

/**
 * Shelly Gen2+ `Switch.GetStatus`: `{"apower": W, "aenergy": {"total": Wh}}`. energyJ is
 * aenergy.total × 3600 when present (the device reports Wh with 3 decimals: 3.6 J steps).
 */
export function parseShellyStatus(json: unknown): MeterReading {
  if (!isRecord(json)) throw new MeterParseError('Shelly answer is not a JSON object');
  const powerW = finiteNumber(json['apower']);
  if (powerW === null)
    throw new MeterParseError(
      'Shelly answer has no numeric "apower" (is this a Gen2+ switch with power metering?)',
    );
  const aenergy = json['aenergy'];
  const totalWh = isRecord(aenergy) ? finiteNumber(aenergy['total']) : null;
  return { powerW, energyJ: totalWh === null ? null : totalWh * J_PER_WH };
}

/** Power may be one number, or one per channel on multi-channel Tasmota devices (summed). */
function tasmotaPower(value: unknown): number | null {
  const single = finiteNumber(value);
  if (single !== null) return single;
  if (!Array.isArray(value) || value.length === 0) return null;
  const parts = value.map(finiteNumber);
  return parts.every((p): p is number => p !== null) ? parts.reduce((a, b) => a + b, 0) : null;
}

/** Tasmota `Status 8`: `{"StatusSNS": {"ENERGY": {"Power": W, "Total": kWh}}}`. */
export function parseTasmotaStatus(json: unknown): MeterReading {
  const sns = isRecord(json) ? json['StatusSNS'] : undefined;
  const energy = isRecord(sns) ? sns['ENERGY'] : undefined;
  if (!isRecord(energy))
    throw new MeterParseError(
      'Tasmota answer has no StatusSNS.ENERGY (is this a device with power metering?)',
    );
  const powerW = tasmotaPower(energy['Power']);
  if (powerW === null) throw new MeterParseError('Tasmota answer has no numeric StatusSNS.ENERGY.Power');
  const totalKwh = finiteNumber(energy['Total']);
  return { powerW, energyJ: totalKwh === null ? null : totalKwh * J_PER_KWH };
}

const IPMI_READING = /Instantaneous power reading:\s*(-?\d+(?:\.\d+)?)\s*Watts/i;
const PLAIN_WATTS = /^(-?\d+(?:\.\d+)?)\s*(?:W|watts?)?$/i;

/**
 * Parses what a power command printed: ipmitool's `Instantaneous power reading: 285 Watts`
 * anywhere in the output, or the whole output being a number with an optional "W" ("85.5 W").
 */
export function parseWattsText(text: string): MeterReading {
  const ipmi = IPMI_READING.exec(text);
  const plain = ipmi === null ? PLAIN_WATTS.exec(text.trim()) : null;
  const value = Number((ipmi ?? plain)?.[1]);
  if (!Number.isFinite(value) || (ipmi === null && plain === null)) {
    throw new MeterParseError(`power command printed no watts: ${JSON.stringify(text.trim().slice(0, 80))}`);
  }
  return { powerW: value, energyJ: null };
}
