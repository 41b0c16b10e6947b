import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { initCommand, type InitStreams } from '../src/cli/commands/init.js';
import { captureIo } from './support/capture-io.js';
import { loadConfig } from '../src/config/load.js';
import { ConfigError, EXIT } from '../src/errors.js';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/temp.js';
import { rejectionOf } from './support/error-of.js';

const tempDir = useTempDir();

/** A person at a terminal, played by a stream that holds every answer line. */
function terminal(answers: string[]): { streams: InitStreams; shown: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => {
    shown += chunk.toString();
  });
  input.end(answers.map((a) => `${a}\n`).join(''));
  return { streams: { input, output, interactive: true }, shown: () => shown };
}

describe('costbench init on a terminal (injected streams)', () => {
  it('asks every question, re-asks a bad answer, and writes a config whose full view is complete', async () => {
    const dir = tempDir();
    const { io, stdout: out } = captureIo({}, dir);
    const { streams, shown } = terminal([
      '0.30x',
      '0.3',
      '1500',
      '',
      'bought',
      '1',
      '8',
      '1.5',
      '75',
      '20000',
      'p',
      '4',
      '2000',
    ]);
    expect(await initCommand({}, io, streams)).toBe(EXIT.ok);
    expect(shown()).toContain('Electricity price per kWh (in your currency) [unset]: ');
    expect(shown()).toContain('  "0.30x" is not a number (a price per kWh >= 0)');
    expect(shown(), 'Enter keeps the default shown').toContain(
      'Months to spread the purchase and set-up over [36]: ',
    );
    const written = JSON.parse(readFileSync(join(dir, 'costbench.config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(written).toEqual({
      cost: {
        electricityPerKwh: 0.3,
        hardware: { purchasePrice: 1500, amortizationMonths: 36, alreadyOwnedIdle: false, workloadShare: 1 },
        engineering: { setupHours: 8, maintenanceHoursPerMonth: 1.5, hourlyRate: 75 },
        monthlyTasks: 20_000,
        load: { shape: 'peak-to-mean', p95LatencyBoundMs: 2000, peakToMean: 4 },
      },
    });
    expect(out()).toContain(`wrote ${join(dir, 'costbench.config.json')}`);
    expect(out()).not.toContain('still unset');
    expect(loadConfig({}, {}, dir).config.cost.load).toEqual({
      shape: 'peak-to-mean',
      peakToMean: 4,
      p95LatencyBoundMs: 2000,
    });
  });

  it('skips the hourly rate when there are no engineering hours, and says what stays unset', async () => {
    const dir = tempDir();
    const { io, stdout: out } = captureIo({}, dir);
    const { streams, shown } = terminal(['0.25', '', '', 'owned-idle', '', '0', '0', '', 's', 'none']);
    await initCommand({}, io, streams);
    expect(shown()).not.toContain('Cost of an engineering hour');
    expect(out()).toContain(
      'still unset, so the full view stays incomplete: cost.hardware.purchasePrice (--hardware-price)',
    );
  });

  it('merges into an existing file without losing its other keys', async () => {
    const dir = tempDir();
    const file = join(dir, 'mine.json');
    writeFileSync(
      file,
      JSON.stringify({ run: { repeat: 3 }, cost: { currency: 'EUR', hardware: { workloadShare: 0.5 } } }),
    );
    const { io } = captureIo({}, dir);
    await initCommand(
      { config: 'mine.json', kwhPrice: '0.4', hardwarePrice: '900' },
      io,
      terminal([]).streams,
    );
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      run: { repeat: 3 },
      cost: { currency: 'EUR', electricityPerKwh: 0.4, hardware: { workloadShare: 0.5, purchasePrice: 900 } },
    });
  });

  it('refuses to overwrite a file that is not JSON, with a one-line error, and leaves it as it was', async () => {
    const dir = tempDir();
    const file = join(dir, 'costbench.config.json');
    writeFileSync(file, 'electricity = 0.3\n');
    const error = await rejectionOf(
      initCommand({ kwhPrice: '0.3' }, captureIo({}, dir).io, terminal([]).streams),
      ConfigError,
    );
    expect(error.message).toMatch(
      /^.*costbench\.config\.json is not a JSON config file \(.*\): costbench init will not overwrite it$/,
    );
    expect(error.message).not.toContain('\n');
    expect(error.exitCode).toBe(EXIT.config);
    expect(readFileSync(file, 'utf8')).toBe('electricity = 0.3\n');
  });

  it('without a terminal and without flags, says how to run it unattended', async () => {
    const error = await rejectionOf(
      initCommand({}, captureIo({}, tempDir()).io, { ...terminal([]).streams, interactive: false }),
      ConfigError,
    );
    expect(error.message).toBe('costbench init: no terminal to ask on, and no answers given as flags');
  });
});

describe('costbench init unattended (the built CLI, no prompts)', () => {
  it('writes the flags to $COSTBENCH_CONFIG, and names a bad flag in one line', async () => {
    const dir = tempDir();
    const file = join(dir, 'cb.json');
    const ok = await runCli(
      [
        'init',
        '--kwh-price',
        '0.3',
        '--hardware-price',
        '0',
        '--machine',
        'owned-idle',
        '--setup-hours',
        '0',
        '--upkeep-hours',
        '0',
        '--hourly-profile',
        `${'1,'.repeat(23)}5`,
      ],
      { COSTBENCH_CONFIG: file },
    );
    expect(ok.code, ok.stderr).toBe(0);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { cost: Record<string, unknown> };
    expect(written.cost['load']).toEqual({
      shape: 'hourly',
      p95LatencyBoundMs: null,
      hourlyWeights: [...Array<number>(23).fill(1), 5],
    });
    expect(written.cost['hardware']).toEqual({ purchasePrice: 0, alreadyOwnedIdle: true });
    const bad = await runCli(['init', '--machine', 'rented'], { COSTBENCH_CONFIG: file });
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      'costbench: --machine "rented": "rented": answer owned-idle (o) or bought (b)',
    );
  });
});
