import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/validate.js';
import { readVirtualization } from '../src/inventory/virtualization-read.js';
import type { Virtualization } from '../src/inventory/virtualization.js';
import { escapeMarkdown, formatRunMarkdown } from '../src/report/format-markdown.js';
import { formatRunTable } from '../src/report/format-table.js';
import { escapeHtml } from '../src/report/html/escape.js';
import { htmlSeriesOf } from '../src/report/html/series.js';
import { renderHtmlReport } from '../src/cli/html-report.js';
import { summarizeRun } from '../src/analysis/analyze-run.js';
import { readRunRecord } from '../src/store/run-record.js';
import type { RunSummary } from '../src/analysis/summary.js';
import { openDb } from '../src/store/db.js';
import { insertMachine, type MachineInventory } from '../src/store/inventory.js';
import { insertRun } from '../src/store/runs.js';
import { GUEST_SIDE_NOTE } from '../src/telemetry/estimate.js';
import { startTelemetry } from '../src/telemetry/session.js';
import { telemetrySink } from '../src/store/telemetry.js';
import { useTempDir } from './support/temp.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const KVM: Virtualization = readVirtualization({
  sysRoot: join(FIXTURES, 'vm', 'kvm', 'sys'),
  procRoot: join(FIXTURES, 'vm', 'kvm', 'proc'),
});
const MACHINE: MachineInventory = {
  hostname: 'guest',
  platform: 'linux',
  osRelease: '6.8',
  arch: 'x64',
  cpuModel: 'AMD EPYC 7B13',
  cpuCores: 2,
  memoryBytes: 8 * 1024 ** 3,
  gpus: [],
  nodeVersion: 'v20',
  collectedBy: 'test',
};

const VM_NOTE =
  'Run in a virtual machine (QEMU; cpuinfo flags include "hypervisor"; DMI sys_vendor "QEMU", ' +
  'product_name "Standard PC (Q35 + ICH9, 2009)"). A guest cannot see its host\'s power: what the host draws for ' +
  'its CPUs, memory, fans and power supply is invisible from inside (a GPU passed through whole to the guest still ' +
  "reports its own board power). What can: the host's own tools run on the host (RAPL, nvidia-smi, rocm-smi or amd-smi), a wall " +
  "meter at the host's plug, or the cloud provider's carbon data (e.g. AWS Customer Carbon Footprint Tool, Google " +
  'Cloud Carbon Footprint: monthly, per account, not per run).';
const ESTIMATE_NOTE =
  "estimate:cpu is a guest-side ESTIMATE: the CPU model's rated power scaled by this guest's own " +
  "CPU use; the host's real draw (other guests, its own load) is not in it.";
const MACHINE_LINE = 'guest (linux x64), AMD EPYC 7B13, 2 logical cores, 8.0 GiB; GPUs: none found';

describe('a run in a VM: every report format says so, and calls the estimate guest-side', () => {
  const tempDir = useTempDir();

  /** A run with only the CPU estimate (as on a VM without sensors), stored in a real database. */
  async function storedRun(
    virtualization: Virtualization | undefined,
  ): Promise<{ summary: RunSummary; html: string; detail: unknown }> {
    const dir = tempDir();
    copyFileSync(join(FIXTURES, 'proc', 'stat-0'), join(dir, 'stat'));
    const db = openDb(join(dir, 'r.db'));
    try {
      const runId = insertRun(db, {
        startedAt: '2026-11-27T10:00:00.000Z',
        backend: 'ollama',
        host: 'http://127.0.0.1:11434',
        model: 'm',
        suiteId: 's',
        suiteVersion: '1',
        repeatCount: 1,
        plannedRequests: 1,
        settings: {},
        costbenchVersion: '0.1.0',
        pid: 1,
      });
      insertMachine(db, runId, virtualization === undefined ? MACHINE : { ...MACHINE, virtualization });
      const telemetry = validateConfig({ telemetry: { sources: ['estimate'], cpuTdpW: 65 } }).telemetry;
      const session = await startTelemetry({
        sink: telemetrySink(db, runId),
        telemetry,
        originMs: 0,
        guestSide: virtualization?.isVm === true,
        io: { env: { PATH: '' }, sysRoot: dir, procRoot: dir, now: () => performance.now() },
      });
      const detail = session.channels.find((c) => c.key === 'estimate:cpu')?.detail;
      await session.stop();
      const record = readRunRecord(db, String(runId));
      const summary = summarizeRun(record);
      return { summary, html: renderHtmlReport(summary, htmlSeriesOf(record)), detail };
    } finally {
      db.close();
    }
  }

  it('table, Markdown, HTML and JSON', async () => {
    const { summary, html, detail } = await storedRun(KVM);
    expect(detail, 'the estimate channel is labelled guest-side').toMatchObject({
      guestSide: true,
      note: GUEST_SIDE_NOTE,
    });
    expect(summary.vmNotes, 'JSON').toEqual([VM_NOTE, ESTIMATE_NOTE]);
    expect(
      JSON.parse(JSON.stringify(summary)).machine.virtualization,
      'JSON: the fact with its evidence',
    ).toEqual(KVM);

    const table = formatRunTable(summary).split('\n');
    expect(table, 'table machine line').toContain(`Machine  ${MACHINE_LINE}; virtual machine (QEMU)`);
    expect(table, 'table notes').toEqual(expect.arrayContaining([`  - ${VM_NOTE}`, `  - ${ESTIMATE_NOTE}`]));

    const md = formatRunMarkdown(summary).split('\n');
    expect(md, 'Markdown machine line').toContain(
      `- **Machine**: ${escapeMarkdown(`${MACHINE_LINE}; virtual machine (QEMU)`)}`,
    );
    expect(md, 'Markdown notes').toEqual(
      expect.arrayContaining([`- ${escapeMarkdown(VM_NOTE)}`, `- ${escapeMarkdown(ESTIMATE_NOTE)}`]),
    );

    expect(html, 'HTML notes').toContain(
      `<h3>Virtual machine</h3><ul><li>${escapeHtml(VM_NOTE)}</li><li>${escapeHtml(ESTIMATE_NOTE)}</li></ul>`,
    );
    expect(html, 'HTML machine row').toContain(
      escapeHtml('8.0 GiB RAM, linux 6.8 x64; virtual machine (QEMU)'),
    );
  });

  it('not a VM, or not recorded: no VM line anywhere, and the estimate keeps its plain label', async () => {
    const bare = readVirtualization({
      sysRoot: join(FIXTURES, 'vm', 'bare', 'sys'),
      procRoot: join(FIXTURES, 'vm', 'bare', 'proc'),
    });
    for (const v of [bare, undefined]) {
      const { summary, html, detail } = await storedRun(v);
      expect(summary.vmNotes).toEqual([]);
      expect(detail).not.toHaveProperty('guestSide');
      for (const text of [formatRunTable(summary), formatRunMarkdown(summary), html]) {
        expect(text.toLowerCase()).not.toContain('virtual machine');
        expect(text).not.toContain('guest-side');
      }
    }
  });
});
