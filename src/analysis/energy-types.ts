import type { StoredChannel, StoredSource, IdleSettle } from '../types/telemetry-rows.js';
import type { Level } from '../types/level.js';
import type { EstimateTdp, Range } from './energy-range.js';
import type { WindowEnergy } from './energy.js';

/** The shapes of a run's energy figures (energy-summary.ts computes them). */
/** Energy figures of one channel over the measured phase. Units in names; null = not known. */
export interface ChannelEnergy {
  key: string;
  source: string;
  device: string;
  kind: StoredChannel['kind'];
  covers: StoredChannel['covers'];
  inTotal: boolean;
  samples: number;
  idleBeforeW: number | null;
  idleAfterW: number | null;
  /** (after - before) / before. */
  idleDrift: number | null;
  meanW: number | null;
  peakW: number | null;
  energyJ: number | null;
  /** energyJ - idle power x the time energyJ covers. */
  marginalEnergyJ: number | null;
  /** Share of the measured phase the readings covered (0..1). */
  coverage: number | null;
  method: WindowEnergy['method'] | null;
  /** |counter - trapezoid| / counter, where a channel has both. */
  counterVsSampled: number | null;
  /** Of the covered time, reading gaps a counter bridged with its change, ms. */
  bridgedMs: number;
  /** Intervals where a counter with no known range went down (a wrap of unknown size): left out. */
  counterWrapsUnknown: number;
  /** A reading averages this long before its time (nvidia-smi power.draw: 1000); null: instant or not said. */
  readingAverageMs: number | null;
  /** How it was read: method, reader, counter period, reads at request edges, polling interval (channel-readout.ts). */
  readout: string;
  /** The power supply a wall meter covers (telemetry.meters[].supply); null where not set or not a meter. */
  supply: string | null;
}

/** Machine-total energy over some measured windows (the whole run, or one concurrency level). */
export interface EnergyFigures {
  energyJ: number | null;
  /** Sum over counted channels of energy - idle power x the time that energy covers. */
  marginalEnergyJ: number | null;
  /** Machine mean power over the covered time (sum of the counted channels' means). */
  meanW: number | null;
  /** The smallest share of the measured time any counted channel's readings covered (0..1). */
  coverage: number | null;
  /** Per ok task; null below MIN_COVERAGE. */
  perTaskJ: number | null;
  perTaskMarginalJ: number | null;
  /**
   * The marginal energy came out below zero: idle read above the busy mean (e.g. clocks still up after
   * the warm-up). The figure is kept as computed; reports show it as ~0 with idle W and busy mean W.
   */
  marginalNegative: boolean;
  /** The figures at both ends of the CPU estimate's TDP range; null when no estimate counts or its TDP is a point. */
  range: Range<FigureEnd> | null;
}

/** The figures of one end of an estimate's range. */
export type FigureEnd = Pick<
  EnergyFigures,
  'energyJ' | 'marginalEnergyJ' | 'meanW' | 'perTaskJ' | 'perTaskMarginalJ'
>;

/** The run's figures of one end of an estimate's range. */
export type TotalEnd = FigureEnd & {
  idleW: number | null;
  whPer1kOutputTokens: number | null;
  marginalWhPer1kOutputTokens: number | null;
};

export interface EnergySummary {
  channels: ChannelEnergy[];
  /** Sum over channels that count toward the machine (see selectChannels), all levels together. */
  total: Omit<EnergyFigures, 'range'> & {
    /** The run's figures at both ends of the CPU estimate's TDP range; null without a range. */
    range: Range<TotalEnd> | null;
    /** The TDP the counted CPU estimate assumed (point, range, basis); null when no estimate counts. */
    estimate: EstimateTdp | null;
    channelKeys: string[];
    kinds: StoredChannel['kind'][];
    includesEstimate: boolean;
    idleW: number | null;
    measuredMs: number;
    whPer1kOutputTokens: number | null;
    marginalWhPer1kOutputTokens: number | null;
    /** Some output counts are stream-chunk counts: the per-1k-token figures are estimates. */
    outputTokensEstimated: boolean;
  };
  /** Total-channel energy attributed to each ok request (its own window; overlaps shared by tokens). */
  perRequestJ: { concurrency: number; seq: number; energyJ: number }[];
  /** Machine-total energy of each level's measured phase. */
  levels: (EnergyFigures & Level)[];
  /** The warm-up (a cold load when the model was not loaded): its machine-total energy, kept out of every figure above. */
  warmup: { durationMs: number; energyJ: number } | null;
  /** Where power settled before each idle baseline; empty for runs that waited a fixed time. */
  idleSettles: IdleSettle[];
  sources: StoredSource[];
  flags: string[];
  /**
   * Set only for a run whose samples were thinned on export (`export --downsample-ms`): every figure
   * above is the one computed from all samples before; the run now holds `samplesAfter` of them.
   */
  downsampled?: { intervalMs: number; samplesBefore: number; samplesAfter: number };
}
