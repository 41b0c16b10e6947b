import type { ApiComparison, CachedShare, LocalMonth, MeasuredWork } from './cost-types.js';
import type { Config } from '../config/schema.js';

import type { ChosenLevel } from './level-choice.js';

import { ENERGY_FIX } from './missing-inputs.js';

/** What the notes of a cost section depend on. */
export interface NotesInput {
  work: MeasuredWork;
  cost: Config['cost'];
  kwhPriceIsDefault: boolean;
  kwhPrice: number;
  local: LocalMonth;
  apis: readonly ApiComparison[];
  chosen: ChosenLevel | null;
  belowZero: boolean;
  cachedShare: CachedShare;
}

function fullViewNotes(n: NotesInput): string[] {
  const notes: string[] = [];
  const { local } = n;
  if (local.missing.length > 0) {
    const keys = local.missing.map((m) => m.key).join(', ');
    notes.push(
      `the full view is INCOMPLETE: ${keys} ${local.missing.length === 1 ? 'is' : 'are'} unknown, so no full-view verdict or break-even is given ` +
        '(only the marginal view, electricity above idle, is shown); ' +
        local.missing.map((m) => `${m.key}: ${m.fix}`).join('; '),
    );
  }
  if (n.chosen !== null && !n.chosen.meetsBound) notes.push(`no capacity and no verdict: ${n.chosen.why}`);
  const coverage = n.chosen?.level.energyCoverage ?? null;
  if (n.chosen !== null && n.chosen.level.totalJPerTask === null && coverage !== null && coverage > 0) {
    notes.push(
      `the energy readings covered only ${(coverage * 100).toFixed(0)}% of the measured time (sensor gaps): too little ` +
        'for an energy per task, so local electricity is unknown, and so is local cost (see the energy flags)',
    );
  } else if (n.chosen !== null && n.chosen.level.totalJPerTask === null) {
    notes.push(
      `no energy was measured or estimated: local electricity is unknown, so local cost is unknown and no verdict is given; to know it, ${ENERGY_FIX}`,
    );
  } else if (n.work.idleW === null)
    notes.push('no idle baseline: the marginal view (electricity above idle) is unknown');
  if (n.belowZero) {
    notes.push(
      `the marginal energy per task is below zero (${n.chosen?.level.marginalJPerTask?.toFixed(1) ?? '?'} J: ` +
        'idle read above busy, e.g. clocks still up after the warm-up): the marginal cost is shown as ~0 and no marginal verdict is given; check the idle and busy power readings in the energy section',
    );
  }
  return notes;
}

function apiNotes(n: NotesInput): string[] {
  const { work, apis } = n;
  const notes: string[] = [];
  if (work.apiUsage === null && work.tokenSource !== 'server') {
    notes.push(
      'output tokens were counted one per streamed chunk, an ESTIMATE: the server sent no usage (LM Studio); the API side is priced from that estimate',
    );
  }
  if (work.apiUsage === null && work.promptTokensUnknown) {
    notes.push(
      'the server reported no prompt token counts: the API side prices output tokens only, so every API cost here is UNDERSTATED (replay an OpenAI batch file, or benchmark a server that reports usage)',
    );
  }
  if (work.apiUsage === null)
    notes.push(
      "API token counts are the local model's tokenizer counts; an API tokenizer counts differently (set cost.tokenRatio per provider)",
    );
  else notes.push('the API side uses the billed usage of the replayed requests (their own token counts)');
  notes.push(
    `API input billed at the cached-input price: ${n.cachedShare.described}; every prompt token is priced, cached ones included`,
  );
  const derived = apis.filter((a) => a.task.cachedPriceBasis === 'batch-derived' && n.cachedShare.value > 0);
  if (derived.length > 0) {
    notes.push(
      `batch cached-input price derived (the table has none): the cached price x the batch input discount, for ${derived.map((a) => `${a.model} ${a.task.cachedInputPerMTok.toPrecision(3)} USD/1M`).join(', ')}`,
    );
  }
  if (work.accuracy !== null)
    notes.push(
      "cost per correct task divides by the local accuracy; the API's own accuracy on these tasks was not measured",
    );
  if (apis.some((a) => a.task.batchUnavailable))
    notes.push(
      `no batch price for ${apis
        .filter((a) => a.task.batchUnavailable)
        .map((a) => a.model)
        .join(', ')}: normal prices used`,
    );
  return notes;
}

/** The notes of a cost section: defaults, estimates, what is missing and what each figure rests on. Pure. */
export function costNotes(n: NotesInput): string[] {
  const { work, cost, local } = n;
  const notes: string[] = [];
  if (n.kwhPriceIsDefault)
    notes.push(
      `electricity at ${n.kwhPrice} ${cost.currency}/kWh is a default (a US average), not your price: set cost.electricityPerKwh or --kwh-price`,
    );
  notes.push(...fullViewNotes(n));
  if (work.energyIncludesEstimate)
    notes.push('the energy includes an ESTIMATE (CPU TDP x load), not a measurement');
  if (work.energyFromWall && cost.overheadFactor !== 1)
    notes.push('the energy comes from a wall meter: the overhead factor is not applied to it');
  notes.push(...apiNotes(n));
  if (local.machines !== null && local.machines > 1)
    notes.push(`the volume needs ${local.machines} machines at its peak at the measured pace`);
  return notes;
}
