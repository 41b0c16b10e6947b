import { z } from 'zod';
import { ConfigError } from '../errors.js';

/** What kind of memory a device row describes. */
const HARDWARE_KINDS = ['gpu', 'apple_soc', 'cpu_memory'] as const;

const deviceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    name: z.string().min(1),
    vendor: z.string().min(1),
    kind: z.enum(HARDWARE_KINDS),
    memory_gb: z.number().positive().nullable(),
    memory_type: z.string().min(1).nullable().default(null),
    memory_bandwidth_gbps: z.number().positive(),
    power_w: z.number().positive().nullable(),
    power_kind: z.string().min(1).nullable().default(null),
    confirmed: z.boolean(),
    unconfirmed_fields: z.array(z.string()).default([]),
    source: z.string().min(1),
    notes: z.string().nullable().default(null),
  })
  .transform((d) => ({
    id: d.id,
    name: d.name,
    vendor: d.vendor,
    kind: d.kind,
    memoryGb: d.memory_gb,
    memoryType: d.memory_type,
    memoryBandwidthGBps: d.memory_bandwidth_gbps,
    powerW: d.power_w,
    powerKind: d.power_kind,
    confirmed: d.confirmed,
    unconfirmedFields: d.unconfirmed_fields,
    source: d.source,
    notes: d.notes,
  }));

const tableSchema = z.object({
  source_notes: z.string().min(1),
  devices: z
    .array(deviceSchema)
    .min(1)
    .superRefine((devices, ctx) => {
      const seen = new Set<string>();
      for (const [index, d] of devices.entries()) {
        if (seen.has(d.id))
          ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate id "${d.id}"` });
        seen.add(d.id);
      }
    }),
});

/**
 * One row of the hardware table. memoryBandwidthGBps is the vendor's theoretical peak in decimal
 * GB/s (1e9 bytes/s), not a measurement. memoryGb: on-board memory for a GPU, the most unified
 * memory the chip takes for Apple, null for system memory. powerW means what powerKind says
 * (TGP, TDP, ...); null when the vendor publishes none. confirmed false: the fields in
 * unconfirmedFields could not be checked against a source.
 */
export type HardwareDevice = z.output<typeof deviceSchema>;

/** The whole table, with its notes on sources and units. */
export interface HardwareTable {
  sourceNotes: string;
  devices: HardwareDevice[];
}

/** Validates a parsed hardware table. Pure; throws ConfigError naming the first bad field. */
export function parseHardwareTable(json: unknown): HardwareTable {
  const parsed = tableSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    throw new ConfigError(`invalid hardware table: ${where}${issue?.message ?? 'invalid'}`);
  }
  return { sourceNotes: parsed.data.source_notes, devices: parsed.data.devices };
}

/** The device with this id (case-insensitive), or undefined. Pure. */
export function findHardwareById(table: HardwareTable, id: string): HardwareDevice | undefined {
  const wanted = id.trim().toLowerCase();
  return table.devices.find((d) => d.id === wanted);
}
