import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/schema.js';
import { computeEnergySummary } from '../src/analysis/energy-summary.js';
import { CLIENT_SCRIPT, LOCALE_GUARD_SCRIPT } from '../src/report/html/client-script.js';
import { htmlSeriesOf } from '../src/report/html/series.js';
import { renderHtmlReport } from '../src/cli/html-report.js';
import { escapeHtml, serializeJsonForScript } from '../src/report/html/escape.js';
import type { PageData } from '../src/report/html/figures.js';
import { downsample, shapeHtmlSeries } from '../src/report/html/series.js';
import { computeHistogram } from '../src/report/html/time-figures.js';
import { readRunAnalysis } from '../src/cli/run-analysis.js';
import { computeRunSummary } from '../src/analysis/summary.js';
import { openDb } from '../src/store/db.js';
import type { RequestRow } from '../src/store/requests.js';
import type { RunRow } from '../src/store/runs.js';
import type { Phase, StoredChannel } from '../src/store/telemetry.js';
import type { Sample } from '../src/telemetry/sampler.js';
import { describeChromium, launchChromium } from './support/browser.js';
import { runCli } from './support/cli.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const EVIL = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
const ESCAPED_EVIL = '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;';

/** The text of every `<script>` / `<style>` element of a page, with its opening tag. */
function inlineElements(html: string, tag: 'script' | 'style'): { open: string; text: string }[] {
  return [...html.matchAll(new RegExp(`(<${tag}[^>]*>)([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => ({
    open: m[1] ?? '',
    text: m[2] ?? '',
  }));
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function dataBlock(html: string): { figures: PageData } {
  const block = inlineElements(html, 'script').find((s) => s.open.includes('id="data"'));
  return JSON.parse(block?.text ?? 'null') as { figures: PageData };
}

describe('HTML report: escaping, data block and CSP', () => {
  const run: RunRow = {
    id: 3,
    status: 'completed',
    startedAt: '2026-11-27T10:00:00.000Z',
    finishedAt: '2026-11-27T10:00:10.000Z',
    backend: 'ollama',
    host: 'http://127.0.0.1:11434',
    model: `llama${EVIL}`,
    suiteId: 'triage-basic',
    suiteVersion: '1',
    repeatCount: 1,
    plannedRequests: 2,
    settings: {},
    costbenchVersion: '0.1.0',
    error: null,
    warnings: [`warned ${EVIL}`],
  };
  const base: Omit<RequestRow, 'seq' | 'state' | 'startOffsetMs' | 'error'> = {
    concurrency: 1,
    taskId: 't',
    repeatIndex: 0,
    startedAt: run.startedAt,
    ttftMs: 100,
    latencyMs: 1000,
    promptTokens: 100,
    promptEvalMs: 50,
    outputTokens: 50,
    evalMs: 1000,
    loadMs: null,
    serverTotalMs: 1000,
    doneReason: 'stop',
    chunks: 51,
    malformedLines: 0,
    outputText: null,
    score: null,
    correct: null,
    scoreDetail: null,
    agreement: null,
    agreementMethod: null,
    lastTokenMs: 1080,
    metricsSource: 'server',
    cachedPromptTokens: null,
  };
  const requests: RequestRow[] = [
    { ...base, seq: 0, state: 'ok', startOffsetMs: 2000, error: null },
    {
      ...base,
      seq: 1,
      state: 'errored',
      startOffsetMs: 3000,
      error: `HTTP 500: ${EVIL}`,
      latencyMs: 20,
      outputTokens: null,
      evalMs: null,
    },
  ];
  const channel: StoredChannel = {
    id: 1,
    key: `gpu${EVIL}`,
    source: 'nvidia',
    device: `dev${EVIL}`,
    kind: 'sampled',
    covers: 'gpu-board',
    inTotal: true,
    intervalMs: 100,
    detail: {},
  };
  const samples: Omit<Sample, 'channelKey'>[] = Array.from({ length: 41 }, (_, i) => ({
    tMs: i * 100,
    powerW: i > 20 && i < 30 ? 300 : 60,
    energyJ: null,
    utilizationPct: 50,
    memoryUsedBytes: null,
    clockMhz: null,
    temperatureC: null,
  }));
  const phases: Phase[] = [
    { name: 'idle-before', concurrency: 0, startMs: 0, endMs: 2000 },
    { name: 'measure', concurrency: 1, startMs: 2000, endMs: 3100 },
    { name: 'idle-after', concurrency: 0, startMs: 3100, endMs: 4000 },
  ];
  const estimate: StoredChannel = {
    id: 2,
    key: 'estimate:cpu',
    source: 'estimate',
    device: 'cpu',
    kind: 'estimate',
    covers: 'cpu',
    inTotal: true,
    intervalMs: 100,
    detail: {},
  };
  const estimated = samples.map((x) => ({ ...x, powerW: 20 }));
  const byChannel = new Map([
    [1, samples],
    [2, estimated],
  ]);
  const energy = computeEnergySummary([channel, estimate], byChannel, phases, requests, []);
  const summary = computeRunSummary(run, requests, null, null, null, energy, [], 1100);
  const series = shapeHtmlSeries([channel, estimate], byChannel, phases, requests);
  const html = renderHtmlReport(summary, series);

  it('escapes every text it puts into HTML', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(html, 'raw model name, error, warning or channel').not.toContain(EVIL);
    expect(html).not.toContain('<img');
    expect(html, 'title and header').toContain(`<title>costbench run 3: llama${ESCAPED_EVIL}</title>`);
    expect(html, 'the failure').toContain(`#1 task t (repeat 0) errored: HTTP 500: ${ESCAPED_EVIL}`);
    expect(html, 'the warning').toContain(`warned ${ESCAPED_EVIL}`);
    const opens = inlineElements(html, 'script').map((s) => s.open);
    const data = '<script type="application/json" id="data">';
    expect(opens, 'data, locale guard, uPlot, charts').toEqual([data, '<script>', '<script>', '<script>']);
    expect(html, 'no style attributes (the CSP would block them)').not.toMatch(/\sstyle=/);
    expect(html, 'the estimate is marked in the figure title').toContain(
      '<h2>(a) Power over time <span class="badge b-sampled">SAMPLED</span> <span class="badge b-estimate">ESTIMATE</span></h2>',
    );
    expect(html, 'and in the key figures').toMatch(/<div class="kf-value">~[\d.]+ J<\/div>/);
  });

  it('writes the chart data as JSON that cannot close its element and parses back', () => {
    expect(serializeJsonForScript({ s: '</script>&\u2028\u2029' })).toBe(
      '{"s":"\\u003c/script\\u003e\\u0026\\u2028\\u2029"}',
    );
    const { figures } = dataBlock(html);
    expect(figures.power?.channels[0]?.label, 'the channel key, raw after parsing').toBe(
      `gpu${EVIL} GPU board (sampled)`,
    );
    expect(figures.power?.channels[0]?.ys.slice(19, 23)).toEqual([60, 60, 300, 300]);
    expect(figures.power?.idle).toEqual([
      { label: `idle gpu${EVIL}: 60.0 W (mean of idle-before)`, estimate: false, w: 60 },
      { label: 'idle estimate:cpu: 20.0 W (mean of idle-before) ~ ESTIMATE', estimate: true, w: 20 },
    ]);
    expect(figures.power?.phases.map((p) => [p.label, p.startS, p.endS])).toEqual([
      ['idle before', 0, 2],
      ['measure c=1', 2, 3.1],
      ['idle after', 3.1, 4],
    ]);
    expect(figures.rate?.levels).toEqual([{ label: 'concurrency 1', estimate: false, xs: [3], ys: [50] }]);
    expect(figures.power?.channels[1]?.label, 'an estimate says so, and is drawn dashed').toBe(
      'estimate:cpu CPU ~ ESTIMATE',
    );
    expect(figures.power?.channels[1]?.estimate).toBe(true);
    expect(figures.sweep, 'one level: no sweep chart').toBeNull();
    expect(figures.cost, 'no cost attached').toBeNull();
  });

  it('lists the hash of every inline script and style in a strict CSP', () => {
    // The attribute is HTML-escaped like every other: its quotes are &#39;.
    const csp = (
      /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? ''
    ).replaceAll('&#39;', "'");
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('img-src')).toEqual(['data:']);
    const executable = inlineElements(html, 'script').filter((s) => s.open === '<script>');
    expect(directives.get('script-src'), 'script hashes').toEqual(executable.map((s) => sha256(s.text)));
    expect(directives.get('style-src'), 'style hashes').toEqual(
      inlineElements(html, 'style').map((s) => sha256(s.text)),
    );
    expect(csp).not.toContain('unsafe');
    expect(
      executable.map((x) => x.text.slice(0, 40)),
      'the guard before uPlot reads the language',
    ).toEqual([
      LOCALE_GUARD_SCRIPT.slice(0, 40),
      expect.stringMatching(/^\/\*! uPlot /),
      CLIENT_SCRIPT.slice(0, 40),
    ]);
    expect(executable[1]?.text, 'uPlot keeps its licence').toContain('The MIT License (MIT)');
  });

  it('gives uPlot a language tag Intl accepts: the same tag without its @/. suffix, else en-US', () => {
    const seen = (language: string | undefined): unknown => {
      const navigator: { language?: string } = language === undefined ? {} : { language };
      runInNewContext(LOCALE_GUARD_SCRIPT, { navigator, Intl, String, Object });
      return navigator.language;
    };
    expect(seen('de-DE'), 'a valid tag is left alone').toBe('de-DE');
    expect(seen('en-US@posix')).toBe('en-US');
    expect(seen('de_DE.UTF-8')).toBe('de-DE');
    expect(seen('C.UTF-8'), 'no valid base: en-US').toBe('en-US');
    expect(seen('!!')).toBe('en-US');
    expect(seen(undefined), 'no navigator.language: Intl uses its default').toBeUndefined();
  });

  it('downsamples by bucket mean with min and max, and breaks lines at gaps', () => {
    const readings = Array.from({ length: 12 }, (_, i) => ({ tMs: i * 10, v: i }));
    expect(downsample(readings, 100, 100), 'under the limit: every reading').toEqual({
      points: readings.map((r) => [r.tMs, r.v, r.v, r.v]),
      bucketMs: null,
    });
    // 110 ms over 4 buckets of 110/3 ms: [0,10,20,30] [40,50,60,70] [80,90,100] [110]
    expect(downsample(readings, 100, 4)).toEqual({
      points: [
        [15, 1.5, 0, 3],
        [55, 5.5, 4, 7],
        [90, 9, 8, 10],
        [110, 11, 11, 11],
      ],
      bucketMs: 110 / 3,
    });
    const gapped = [
      { tMs: 0, v: 1 },
      { tMs: 10, v: 2 },
      { tMs: 200, v: 3 },
    ];
    expect(downsample(gapped, 50, 10).points, 'a null point in the gap').toEqual([
      [0, 1, 1, 1],
      [10, 2, 2, 2],
      [105, null, null, null],
      [200, 3, 3, 3],
    ]);
  });

  it('bins latencies into about √n equal bins', () => {
    expect(computeHistogram([]), 'no values').toBeNull();
    expect(computeHistogram([100, 110, 120, 130, 200])).toEqual({
      startsMs: [100, 120, 140, 160, 180],
      widthMs: 20,
      counts: [2, 2, 0, 0, 1],
    });
  });

  it('an OpenAI-compatible run without timings or usage: client-timed rates, estimated tokens, a warm-up that may or may not be a load', () => {
    const lmRun: RunRow = {
      ...run,
      backend: 'openai',
      host: 'http://127.0.0.1:1234/v1',
      model: 'qwen',
      warnings: [],
    };
    // 50 tokens, first at 100 ms, last at 590 ms: 49 tokens over 490 ms = 100 tok/s on the client clock
    const lmRows: RequestRow[] = [
      {
        ...base,
        seq: 0,
        state: 'ok',
        startOffsetMs: 2000,
        error: null,
        evalMs: null,
        promptTokens: null,
        promptEvalMs: null,
        lastTokenMs: 590,
        metricsSource: 'chunks',
      },
    ];
    const warmup = {
      state: 'ok' as const,
      alreadyLoaded: false,
      startOffsetMs: 0,
      latencyMs: 900,
      loadMs: null,
      doneReason: 'length',
      error: null,
    };
    const s = computeRunSummary(lmRun, lmRows, warmup, null, null, null, [], 1100);
    const page = renderHtmlReport(s, shapeHtmlSeries([], new Map(), phases, lmRows));
    const { figures } = dataBlock(page);
    expect(figures.rate?.levels).toEqual([{ label: 'concurrency 1', estimate: true, xs: [3], ys: [100] }]);
    expect(page).toContain('1 ok requests with a decode rate (1 client-timed)');
    expect(page).toContain('Client-timed, because the server reports no decode duration');
    expect(page).toContain('ESTIMATED, one output token per streamed chunk');
    expect(page).toMatch(
      /<div class="kf-value">~100\.0 tok\/s<\/div><div class="kf-note">.*client-timed \(the server reports no decode duration\); ESTIMATE: output tokens counted one per streamed chunk/,
    );
    expect(figures.rate?.levels[0]?.estimate, 'drawn as an estimate').toBe(true);
  });
});

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-scored.json');
const FAKE_BIN = join(import.meta.dirname, 'fixtures', 'bin');
const ARTIFACTS = join(import.meta.dirname, '..', 'test-artifacts');
const IDLE_W = 60;
const BUSY_W = 300;
const FILLER = Array.from({ length: 24 }, (_, i) => `w${i}`).join(' ');
const PWN = '</script><script>window.__pwned=1</script>';
/** t1 right, t2 half right, t3 not JSON (and hostile), t4 right on its one field; padded so decoding shows in the power. */
const ANSWERS: Record<string, string> = {
  'Login is down for everyone.': `{"type": "bug", "priority": "p0", "note": "${FILLER}"}`,
  'Please add dark mode.': `{"type": "feature", "priority": "p1", "note": "${FILLER}"}`,
  'How do I paginate?': `It is a question ${PWN} ${FILLER}`,
  'Typo in the footer.': `{"type": "BUG", "priority": "p1", "note": "${FILLER}"}`,
};
const FAULT_MESSAGE = `model crashed ${PWN}<img src=x onerror="window.__pwned=2">`;
const CHARTS = ['power', 'rate', 'latency', 'sweep', 'cost', 'volume', 'accuracy'];

/** Runs in the page: each chart's canvas size and how many of its pixels are clearly coloured (not grey). */
const INSPECT_CANVASES = `(${JSON.stringify(CHARTS)}).map(function (id) {
  var c = document.querySelector('#chart-' + id + ' canvas');
  if (!c) return { id: id, width: 0, height: 0, colored: 0 };
  var px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data, colored = 0;
  for (var i = 0; i < px.length; i += 4) {
    if (px[i + 3] > 0 && Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 60) colored += 1;
  }
  return { id: id, width: c.width, height: c.height, colored: colored };
})`;

/** A language tag Chromium may report (the npm-shipped one does under LANG=C.UTF-8) and Intl rejects. */
const ODD_LOCALE = 'en-US@posix';
const VIEWPORT = { width: 1200, height: 900 };
/** Runs in the page: the tag the browser reports, and whether Intl takes it. */
const INTL_ACCEPTS_TAG = `(function () {
  var tag = navigator.languages[0];
  try { new Intl.NumberFormat(tag); return [tag, 'accepted']; } catch (e) { return [tag, e.name]; }
})()`;

/** Console errors and warnings and uncaught page errors, as they come. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return errors;
}

describe('HTML report of a real run, in headless Chromium', () => {
  const dir = makeTempDir();
  const powerFile = join(dir.path, 'gpu-watts');
  const reportFile = join(ARTIFACTS, 'html-report.html'); // kept beside the screenshot, for a look
  let server: FakeOllama;
  let runResult: { code: number; stderr: string };

  beforeAll(async () => {
    writeFileSync(powerFile, String(IDLE_W));
    server = await startFakeOllama({
      genTokensPerS: 150,
      loadMs: 50,
      numParallel: 2,
      respond: ({ prompt }) => ANSWERS[prompt] ?? 'no idea',
      onDecodingChange: (streams) => {
        writeFileSync(`${powerFile}.tmp`, String(streams > 0 ? BUSY_W : IDLE_W));
        renameSync(`${powerFile}.tmp`, powerFile);
      },
    });
    server.injectFault({ kind: 'error-line', afterTokens: 2, message: FAULT_MESSAGE });
    const settings = {
      telemetry: { sources: ['nvidia'], intervalMs: 50, idleBaselineS: 1 },
      cost: { electricityPerKwh: 0.3, hardware: { purchasePrice: 300, alreadyOwnedIdle: false } },
    };
    const config = join(dir.path, 'costbench.config.json');
    writeFileSync(config, JSON.stringify(settings));
    const db = join(dir.path, 'html.db');
    runResult = await runCli(
      ['run', '--suite', SUITE, '--concurrency', '1,2', '--host', server.url, '--db', db, '--config', config],
      {
        PATH: `${FAKE_BIN}:${process.env['PATH'] ?? ''}`,
        XDG_DATA_HOME: dir.path,
        COSTBENCH_NVML_LIB: 'none',
        FAKE_NVIDIA_GPUS: JSON.stringify([
          {
            name: 'NVIDIA GeForce RTX 4090',
            uuid: 'GPU-html',
            busId: '00000000:01:00.0',
            powerW: IDLE_W,
            limitW: 450,
            util: 40,
            memMiB: 4000,
            smMhz: 2500,
            tempC: 60,
          },
        ]),
        FAKE_NVIDIA_POWER_FILE: powerFile,
      },
    );
    const handle = openDb(db);
    mkdirSync(ARTIFACTS, { recursive: true });
    try {
      const { record, analysis } = readRunAnalysis(
        handle,
        'latest',
        configSchema.parse(settings),
        db,
        config,
      );
      writeFileSync(reportFile, renderHtmlReport(analysis, htmlSeriesOf(record)));
    } finally {
      handle.close();
    }
  }, 60_000);
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('draws every chart without errors, runs no injected script and fetches nothing', async () => {
    expect(runResult.code, `one request fails on purpose: exit 1\n${runResult.stderr}`).toBe(1);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors = collectErrors(page);
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      const url = pathToFileURL(reportFile).href;
      await page.goto(url);
      await page.waitForFunction(
        `document.querySelectorAll('.uplot canvas').length >= ${CHARTS.length}`,
        undefined,
        { timeout: 5_000 },
      );
      const canvases = (await page.evaluate(INSPECT_CANVASES)) as {
        id: string;
        width: number;
        height: number;
        colored: number;
      }[];
      for (const c of canvases) {
        expect(c.width * c.height, `${c.id}: canvas size`).toBeGreaterThan(0);
        expect(c.colored, `${c.id}: coloured pixels`).toBeGreaterThan(50);
      }
      expect(await page.evaluate('typeof window.__pwned'), 'no injected script ran').toBe('undefined');
      expect(await page.locator('.notes').innerText(), 'the failure message is shown as text').toContain(
        FAULT_MESSAGE,
      );
      expect(await page.locator('#fig-power h2').innerText()).toBe('(a) Power over time SAMPLED');
      expect(errors).toEqual([]);
      expect(requested, 'only the file itself').toEqual([url]);
      await page.screenshot({ path: join(ARTIFACTS, 'html-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 30_000); // about 5 s on an idle machine; headroom for a loaded CI runner

  // The npm-shipped Chromium reports en-US@posix under LANG=C.UTF-8; Intl rejects it, and uPlot, which
  // formats numbers with Intl and navigator.language, then failed to load: no chart drew at all.
  const oddBrowser = describeChromium({ prefer: 'npm' });
  it(`draws every chart when the browser's language tag is one Intl rejects (${oddBrowser})`, async () => {
    const browser = await launchChromium({ prefer: 'npm' });
    try {
      const context = await browser.newContext({ locale: ODD_LOCALE, viewport: VIEWPORT });
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(pathToFileURL(reportFile).href);
      const tag = await page.evaluate(INTL_ACCEPTS_TAG);
      expect(tag, 'the browser reports the odd tag; Intl rejects it').toEqual([ODD_LOCALE, 'RangeError']);
      // The page's scripts are inline and synchronous: by the load event goto waits for, they have drawn.
      const canvases = (await page.evaluate(INSPECT_CANVASES)) as { id: string; colored: number }[];
      expect(
        canvases.filter((c) => c.colored > 50).map((c) => c.id),
        'charts drawn',
      ).toEqual(CHARTS);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000); // the first use of the npm-shipped Chromium unpacks it (a few seconds)

  it('draws the other charts when one fails, and says in its place that it could not be drawn', async () => {
    const html = readFileSync(reportFile, 'utf8');
    const block = inlineElements(html, 'script').find((x) => x.open.includes('id="data"'))?.text ?? '';
    const data = JSON.parse(block) as { figures: Record<string, unknown> };
    data.figures['latency'] = { startsMs: null }; // the latency chart throws on it
    const broken = join(dir.path, 'broken-chart.html');
    writeFileSync(broken, html.replace(block, serializeJsonForScript(data)));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors = collectErrors(page);
      await page.goto(pathToFileURL(broken).href);
      const canvases = (await page.evaluate(INSPECT_CANVASES)) as { id: string; colored: number }[];
      const others = CHARTS.filter((c) => c !== 'latency');
      expect(
        canvases.filter((c) => c.colored > 50).map((c) => c.id),
        'charts drawn',
      ).toEqual(others);
      const message = await page.locator('#chart-latency').innerText();
      expect(message, 'one visible line').toMatch(/^This chart could not be drawn: TypeError: [^\n]+$/);
      const logged = /^console error: costbench: chart latency could not be drawn/;
      expect(errors, 'logged for whoever debugs it, not thrown').toEqual([expect.stringMatching(logged)]);
    } finally {
      await browser.close();
    }
  }, 30_000);
});
