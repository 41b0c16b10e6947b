import { describeRecord } from '../describe-record.js';
import type { RunSummary } from '../../analysis/summary.js';
import { escapeHtml } from './escape.js';

/**
 * "How it was measured": the record's lines, then the whole settings record, the server's facts
 * and the machine's states as JSON in a closed <details>, so a shared page says how it was made. Pure.
 */
export function renderRecord(s: RunSummary): string {
  const lines = describeRecord(s.recordView, s.run.id, s.run.remote != null);
  const view = s.recordView;
  const whole =
    view === null || view === undefined || view.record === null
      ? ''
      : `<details><summary>The whole settings record (sha256 ${escapeHtml(view.digest ?? '')}), server facts and machine state</summary><pre>${escapeHtml(JSON.stringify({ record: view.record, serverFacts: view.serverFacts, machineStates: view.machineStates }, null, 2))}</pre></details>`;
  return [
    '<section class="record"><h2>How it was measured</h2>',
    `<ul>${lines.map((l) => `<li>${escapeHtml(l.trim().replace(/^How it was measured: /, ''))}</li>`).join('')}</ul>`,
    whole,
    '</section>',
  ]
    .filter((x) => x !== '')
    .join('\n');
}
