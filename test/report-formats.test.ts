import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatCsvCell,
  formatCsvRow,
  generateRequestsCsv,
  REQUEST_CSV_HEADER,
  SAMPLE_CSV_HEADER,
} from '../src/report/format-csv.js';
import { escapeMarkdown, markdownTable } from '../src/report/format-markdown.js';
import type { RequestRow } from '../src/store/requests.js';
import { runCli } from './support/cli.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const FAKE_BIN = join(import.meta.dirname, 'fixtures', 'bin');

/** An RFC 4180 reader for the tests: quoted cells with doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      record.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return records;
}

function requestRow(over: Partial<RequestRow>): RequestRow {
  return {
    concurrency: 1,
    seq: 0,
    taskId: 'a',
    repeatIndex: 0,
    state: 'ok',
    startedAt: '2026-11-27T10:00:00.000Z',
    startOffsetMs: 12.5,
    ttftMs: 40.25,
    latencyMs: 250,
    promptTokens: 100,
    promptEvalMs: 50,
    outputTokens: 200,
    evalMs: 400,
    loadMs: null,
    serverTotalMs: 240,
    doneReason: 'stop',
    chunks: 201,
    malformedLines: 0,
    outputText: null,
    error: null,
    score: 0.5,
    correct: false,
    scoreDetail: null,
    agreement: null,
    agreementMethod: null,
    lastTokenMs: null,
    metricsSource: 'server',
    cachedPromptTokens: null,
    ...over,
  };
}

describe('CSV cells', () => {
  it('quotes per RFC 4180: commas, quotes, line breaks', () => {
    expect(formatCsvCell('plain text'), 'plain').toBe('plain text');
    expect(formatCsvCell('a,b'), 'comma').toBe('"a,b"');
    expect(formatCsvCell('say "hi"'), 'quotes doubled').toBe('"say ""hi"""');
    expect(formatCsvCell('line 1\nline 2'), 'LF').toBe('"line 1\nline 2"');
    expect(formatCsvCell('a\r\nb'), 'CRLF').toBe('"a\r\nb"');
    expect(formatCsvCell(''), 'empty text').toBe('');
  });

  it('guards text a spreadsheet would run as a formula with a leading quote', () => {
    expect(formatCsvCell('=SUM(A1:A9)'), '=').toBe("'=SUM(A1:A9)");
    expect(formatCsvCell('+cmd'), '+').toBe("'+cmd");
    expect(formatCsvCell('-2+3'), '- in text').toBe("'-2+3");
    expect(formatCsvCell('@SUM(A1)'), '@').toBe("'@SUM(A1)");
    expect(formatCsvCell('\t=1'), 'tab').toBe("'\t=1");
    expect(formatCsvCell('=HYPERLINK("http://x","y")'), 'guarded, then quoted').toBe(
      '"\'=HYPERLINK(""http://x"",""y"")"',
    );
    expect(formatCsvCell('a=b'), 'only a leading sign counts').toBe('a=b');
  });

  it('keeps numbers as numbers, null as empty, booleans as words', () => {
    expect(formatCsvCell(-5), 'negative number unguarded').toBe('-5');
    expect(formatCsvCell(0.1 + 0.2), 'full precision').toBe('0.30000000000000004');
    expect(formatCsvCell(Number.NaN), 'NaN').toBe('');
    expect(formatCsvCell(null), 'null').toBe('');
    expect(formatCsvCell(true), 'true').toBe('true');
    expect(formatCsvRow(['a', 1, null, 'x,y', false]), 'record').toBe('a,1,,"x,y",false\r\n');
  });

  it('appends the open-loop and context-depth columns after settings_digest, so earlier columns keep their places', () => {
    const header = REQUEST_CSV_HEADER;
    // 36 columns before (run_id .. settings_digest at index 35), then the 4 added ones.
    expect(header.indexOf('settings_digest')).toBe(35);
    expect(header.slice(36)).toEqual([
      'arrival_rate_per_s',
      'scheduled_offset_ms',
      'client_queue_wait_ms',
      'context_depth_tokens',
    ]);
    // An open-loop level at 2.5 tasks/s (due every 400 ms): request 3 due at 1000 + 3 x 400 = 2200 ms,
    // started at 2212.5: client queue wait 2212.5 - 2200 = 12.5 ms. Request 4 due at 2600, its timer
    // fired 0.25 ms early (2599.75): no wait, 0 (not -0.25). A closed-loop row at depth 4096: its
    // rate, due time and wait are empty.
    const open = (seq: number, startOffsetMs: number) =>
      requestRow({ seq, arrivalRatePerS: 2.5, scheduledOffsetMs: 1000 + seq * 400, startOffsetMs });
    const lines = [
      ...generateRequestsCsv(
        7,
        [open(3, 2212.5), open(4, 2599.75), requestRow({ contextDepthTokens: 4096 })],
        'abc',
      ),
    ];
    const tail = (line: string | undefined) => line?.replace(/\r\n$/, '').split(',').slice(-5);
    expect(tail(lines[1]), 'settings_digest, then rate, due, wait, depth').toEqual([
      'abc',
      '2.5',
      '2200',
      '12.5',
      '',
    ]);
    expect(tail(lines[2])).toEqual(['abc', '2.5', '2600', '0', '']);
    expect(tail(lines[3])).toEqual(['abc', '', '', '', '4096']);
  });

  it('writes a request with every stored column and the computed rates', () => {
    const row = requestRow({
      error: '=cmd|x',
      outputText: 'one, "two"\nthree',
      lastTokenMs: 239.25,
      metricsSource: 'usage',
      cachedPromptTokens: 8,
    });
    const lines = [...generateRequestsCsv(3, [row])];
    expect(lines[0]).toBe(
      'run_id,concurrency,seq,task_id,repeat_index,state,started_at,start_offset_ms,ttft_ms,last_token_ms,latency_ms,prompt_tokens,prompt_eval_ms,prompt_tokens_per_s,' +
        'output_tokens,eval_ms,eval_tokens,generation_tokens_per_s,client_decode_tokens_per_s,metrics_source,tokens_estimated,cached_prompt_tokens,load_ms,server_total_ms,threads,done_reason,chunks,malformed_lines,score,correct,score_detail,agreement,agreement_method,error,output_text,settings_digest,' +
        'arrival_rate_per_s,scheduled_offset_ms,client_queue_wait_ms,context_depth_tokens\r\n',
    );
    // client decode: 199 tokens after the first over 239.25 - 40.25 = 199 ms
    // prefill: (100 prompt - 8 from the cache) evaluated in 50 ms = 1840 tok/s
    expect(lines[1]).toBe(
      '3,1,0,a,0,ok,2026-11-27T10:00:00.000Z,12.5,40.25,239.25,250,100,50,1840,200,400,,500,1000,usage,false,8,,240,,stop,201,0,0.5,false,,,,\'=cmd|x,"one, ""two""\nthree",,,,,\r\n',
    );
    // The embedded engine: eval_ms covers n - 1 = 199 tokens (400 ms: 497.5 tok/s), on 2 threads.
    const engine =
      [...generateRequestsCsv(3, [{ ...row, evalTokens: 199, threads: 2 }])][1]?.split(',') ?? [];
    const at = (name: string): string | undefined => engine[REQUEST_CSV_HEADER.indexOf(name)];
    expect([at('eval_tokens'), at('generation_tokens_per_s'), at('threads')], 'engine columns').toEqual([
      '199',
      '497.5',
      '2',
    ]);
    expect(lines).toHaveLength(2);
  });
});

describe('Markdown helpers', () => {
  it('escapes what Markdown would read as syntax, and line breaks', () => {
    expect(escapeMarkdown('a|b *c* _d_ <e> ~f~ [g] `h` #1\nnext')).toBe(
      'a\\|b \\*c\\* \\_d\\_ \\<e\\> \\~f\\~ \\[g\\] \\`h\\` \\#1 next',
    );
    expect(markdownTable(['x', 'n'], [['a', '1']], [false, true])).toEqual([
      '| x | n |',
      '| --- | ---: |',
      '| a | 1 |',
    ]);
  });
});

describe('report --format csv / md against real runs', () => {
  const dir = makeTempDir();
  const db = join(dir.path, 'runs.db');
  const powerDb = join(dir.path, 'power.db');
  let server: FakeOllama;

  beforeAll(async () => {
    server = await startFakeOllama({
      genTokensPerS: 500,
      loadMs: 10,
      respond: ({ prompt }) => `Yes, "quoted", and\nmore ${prompt.length}${' w'.repeat(60)}`,
    });
    const plain = await runCli([
      'run',
      '--suite',
      SUITE,
      '--repeat',
      '2',
      '--idle',
      '0',
      '--host',
      server.url,
      '--db',
      db,
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    const config = join(dir.path, 'costbench.config.json');
    writeFileSync(
      config,
      JSON.stringify({ telemetry: { sources: ['nvidia'], intervalMs: 50, idleBaselineS: 0.3 } }),
    );
    const powered = await runCli(
      ['run', '--suite', SUITE, '--host', server.url, '--db', powerDb, '--config', config],
      {
        PATH: `${FAKE_BIN}:${process.env['PATH'] ?? ''}`,
        COSTBENCH_NVML_LIB: 'none',
        FAKE_NVIDIA_GPUS: 'rtx4090',
      },
    );
    expect(powered.code, powered.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('--format csv --out writes one row per request under a header, creating the directory', async () => {
    const out = join(dir.path, 'dumps', 'nested', 'requests.csv');
    const result = await runCli(['report', '1', '--format', 'csv', '--out', out, '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout, 'nothing on stdout').toBe('');
    expect(result.stderr).toBe(`wrote ${out}\n`);
    const records = parseCsv(readFileSync(out, 'utf8'));
    expect(records[0], 'header').toEqual(REQUEST_CSV_HEADER);
    expect(records, 'header + 3 tasks x 2 repeats').toHaveLength(7);
    const col = (name: string): number => REQUEST_CSV_HEADER.indexOf(name);
    expect(records.slice(1).map((r) => [r[col('task_id')], r[col('repeat_index')], r[col('state')]])).toEqual(
      [
        ['a', '0', 'ok'],
        ['b', '0', 'ok'],
        ['c', '0', 'ok'],
        ['a', '1', 'ok'],
        ['b', '1', 'ok'],
        ['c', '1', 'ok'],
      ],
    );
    for (const r of records.slice(1)) {
      expect(r, 'every record has every column').toHaveLength(REQUEST_CSV_HEADER.length);
      expect(Number(r[col('generation_tokens_per_s')]), 'gen tok/s = output_tokens / eval_ms').toBe(
        (Number(r[col('output_tokens')]) / Number(r[col('eval_ms')])) * 1000,
      );
      expect(Number(r[col('latency_ms')])).toBeGreaterThan(0);
      expect(r[col('output_text')], 'quotes and line breaks survive').toMatch(
        /^Yes, "quoted", and\nmore \d+( w){60}$/,
      );
    }
    const again = await runCli(['report', '1', '--csv', 'requests', '--out', out, '--db', db]);
    expect(again.code, '--csv alone implies csv; an existing file is overwritten').toBe(0);
    expect(parseCsv(readFileSync(out, 'utf8'))).toHaveLength(7);
  });

  it('writes the CSV to stdout without --out', async () => {
    const result = await runCli(['report', '--format', 'csv', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.startsWith('run_id,concurrency,seq,task_id,')).toBe(true);
    expect(parseCsv(result.stdout)).toHaveLength(7);
  });

  it('--csv samples dumps the raw power readings of a run with a (fake) nvidia-smi', async () => {
    const result = await runCli(['report', 'latest', '--format', 'csv', '--csv', 'samples', '--db', powerDb]);
    expect(result.code, result.stderr).toBe(0);
    const [head, ...rows] = parseCsv(result.stdout);
    expect(head).toEqual(SAMPLE_CSV_HEADER);
    const col = (name: string): number => SAMPLE_CSV_HEADER.indexOf(name);
    const gpu = rows.filter((r) => r[col('channel_key')] === 'nvidia:0');
    expect(gpu.length, 'idle 0.3 s twice plus the requests, at 50 ms').toBeGreaterThan(5);
    for (const r of gpu) {
      expect([
        r[col('run_id')],
        r[col('source')],
        r[col('device')],
        r[col('kind')],
        r[col('covers')],
        r[col('in_total')],
      ]).toEqual(['1', 'nvidia', 'NVIDIA GeForce RTX 4090', 'sampled', 'gpu-board', 'true']);
      expect(Number(r[col('power_w')]), 'power of the fake GPU').toBe(287.41);
      expect(Number(r[col('temperature_c')]), 'temperature').toBe(63);
      expect(r[col('energy_j')], 'no counter: empty, not zero').toBe('');
    }
    const times = gpu.map((r) => Number(r[col('t_ms')]));
    expect(times, 'in time order').toEqual([...times].sort((a, b) => a - b));
    expect(
      new Set(rows.map((r) => r[col('channel_key')])),
      'the CPU utilization channel is dumped too',
    ).toEqual(new Set(['nvidia:0', 'cpu-load']));
  });

  it('--format md gives the report as Markdown tables', async () => {
    const result = await runCli(['report', '--format', 'md', '--db', powerDb]);
    expect(result.code, result.stderr).toBe(0);
    const md = result.stdout;
    expect(md).toMatch(/^# Run 1 · completed\n/);
    expect(md).toContain('| over ok requests | median | p95 | min | max | mean [95% CI] | n |');
    expect(md).toMatch(/\| Generation tok\/s \(server\) \| \d+\.\d \|/);
    expect(md).toContain('## Power and energy over the measured phase');
    expect(md).toContain(
      '| channel | kind | covers | idle W | mean W | peak W | energy J | marginal J | in total |',
    );
    expect(md).toMatch(/\| nvidia:0 NVIDIA GeForce RTX 4090 \| sampled \| gpu-board \| 287\.4 \|/);
    expect(md).toContain('## Cost in USD');
    expect(md).toContain('| API | per task | per month |');
    expect(md, 'the default electricity price is flagged').toContain('**DEFAULT**');
  });

  it('--format html --out writes the self-contained page', async () => {
    const out = join(dir.path, 'report.html');
    const result = await runCli(['report', '--format', 'html', '--out', out, '--db', powerDb]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe(`wrote ${out}\n`);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>\n/);
  });

  it('rejects --csv with another format (exit 2), and leaves no file for a missing run (exit 6)', async () => {
    const mixed = await runCli(['report', '--format', 'json', '--csv', 'samples', '--db', db]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr.split('\n')[0]).toBe('costbench: --csv applies to --format csv, not --format json');
    const out = join(dir.path, 'missing.md');
    const missing = await runCli(['report', '99', '--format', 'md', '--out', out, '--db', db]);
    expect(missing.code).toBe(6);
    expect(existsSync(out)).toBe(false);
  });
});
