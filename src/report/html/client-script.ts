/**
 * Run before uPlot: uPlot builds its number formatter at load from `navigator.language`, and Chromium may
 * report a tag Intl rejects (`en-US@posix` under a C/POSIX locale), which made uPlot throw `RangeError:
 * Invalid language tag` while loading, so that no chart drew. Where Intl rejects the tag, the page reads
 * the same tag without its `@…`/`.…` suffix instead, or `en-US`; a valid tag is left as it is.
 */
export const LOCALE_GUARD_SCRIPT = String.raw`(function () {
  'use strict';
  function valid(tag) { try { new Intl.NumberFormat(tag); return true; } catch (e) { return false; } }
  var tag = navigator.language;
  if (valid(tag)) return;
  var base = String(tag).replace(/[@.].*$/, '').replace(/_/g, '-');
  Object.defineProperty(navigator, 'language', { configurable: true, value: valid(base) ? base : 'en-US' });
})();
`;

/**
 * The chart code of the HTML report, run by the browser after uPlot. Plain ES2020 kept as text
 * (the project's TypeScript has no DOM types); the browser test runs it. It reads the page's data
 * with JSON.parse, never eval, and styles elements only through the CSSOM, which the page's
 * Content-Security-Policy allows without 'unsafe-inline'.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var page = JSON.parse(document.getElementById('data').textContent);
  var D = page.figures, C = page.colors, PH = page.phaseColors;
  var HEIGHT = 300;

  function color(i) { return C[i % C.length]; }
  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  function line(label, i, estimate, extra) {
    var s = { label: label, stroke: color(i), width: 1.5, spanGaps: false, dash: estimate ? [6, 4] : undefined };
    return Object.assign(s, extra || {});
  }
  function mount(id, opts, data) {
    var el = document.getElementById('chart-' + id);
    if (!el) return;
    opts.width = Math.max(320, el.clientWidth);
    opts.height = HEIGHT;
    opts.padding = opts.padding || [12, 36, 0, 0];
    var plot = new uPlot(opts, data, el);
    window.addEventListener('resize', function () { plot.setSize({ width: Math.max(320, el.clientWidth), height: HEIGHT }); });
  }
  function vline(u, x, stroke, label, row) {
    var ctx = u.ctx, px = u.valToPos(x, 'x', true), r = devicePixelRatio || 1;
    if (px < u.bbox.left || px > u.bbox.left + u.bbox.width) return false;
    ctx.save();
    ctx.strokeStyle = stroke; ctx.setLineDash([5 * r, 4 * r]); ctx.lineWidth = 1.5 * r;
    ctx.beginPath(); ctx.moveTo(px, u.bbox.top); ctx.lineTo(px, u.bbox.top + u.bbox.height); ctx.stroke();
    ctx.fillStyle = stroke; ctx.font = (11 * r) + 'px system-ui, sans-serif';
    var w = ctx.measureText(label).width, tx = px + 4 * r + w > u.bbox.left + u.bbox.width ? px - 4 * r - w : px + 4 * r;
    ctx.fillText(label, tx, u.bbox.top + (12 + 13 * (row || 0)) * r);
    ctx.restore();
    return true;
  }
  var bars = function (size) { return uPlot.paths.bars({ size: [size, 80], gap: 2 }); };
  // A log axis: whole decades, at least a factor 2 below the smallest value so its bar shows.
  function logRange(u, lo, hi) {
    if (!(lo > 0) || !(hi > 0)) return [0.001, 1];
    return [Math.pow(10, Math.floor(Math.log10(lo) - 0.3)), Math.pow(10, Math.ceil(Math.log10(hi) + 0.05))];
  }
  function num(v) {
    if (v === null || v === undefined) return '';
    var a = Math.abs(v);
    if (a === 0) return '0';
    if (a >= 1000) return Math.round(v).toLocaleString('en-US');
    return a >= 0.01 ? String(Number(v.toPrecision(3))) : v.toExponential(0);
  }
  function nums(u, splits) { return splits.map(num); }

  function shadePhases(u, phases) {
    var ctx = u.ctx, r = devicePixelRatio || 1, left = u.bbox.left, right = left + u.bbox.width;
    ctx.save();
    ctx.font = (10.5 * r) + 'px system-ui, sans-serif';
    phases.forEach(function (p) {
      var x0 = Math.max(left, u.valToPos(p.startS, 'x', true)), x1 = Math.min(right, u.valToPos(p.endS, 'x', true));
      if (x1 <= x0) return;
      ctx.fillStyle = PH[p.name] || 'rgba(0,0,0,0.05)';
      ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
      if (ctx.measureText(p.label).width + 6 * r < x1 - x0) { ctx.fillStyle = '#5b6476'; ctx.fillText(p.label, x0 + 3 * r, u.bbox.top + 12 * r); }
    });
    ctx.restore();
  }

  function power(d) {
    var tables = [], series = [{ label: 'time (s)' }], bands = [], n = 1;
    d.channels.forEach(function (c, i) {
      tables.push(c.min ? [c.xs, c.ys, c.min, c.max] : [c.xs, c.ys]);
      series.push(line(c.label, i, c.estimate, { scale: 'W' }));
      if (c.min) {
        series.push(line(c.label + ' min', i, c.estimate, { scale: 'W', width: 0.5, stroke: alpha(color(i), 0.35) }));
        series.push(line(c.label + ' max', i, c.estimate, { scale: 'W', width: 0.5, stroke: alpha(color(i), 0.35) }));
        bands.push({ series: [n + 2, n + 1], fill: alpha(color(i), 0.15) });
      }
      n += c.min ? 3 : 1;
    });
    d.idle.forEach(function (b, i) {
      tables.push([d.xRange, [b.w, b.w]]);
      series.push(line(b.label, i, false, { scale: 'W', dash: b.estimate ? [2, 6] : [8, 5], width: 1.2 }));
    });
    d.utilization.forEach(function (c, i) {
      tables.push([c.xs, c.ys]);
      series.push(line(c.label, i + 5, false, { scale: '%', dash: [1, 3], width: 1 }));
    });
    mount('power', {
      series: series, bands: bands,
      scales: { x: { time: false, range: d.xRange }, W: { range: function (u, lo, hi) { return [0, Math.max(1, hi * 1.1)]; } }, '%': { range: [0, 100] } },
      axes: [{ label: 'seconds since run start' }, { scale: 'W', label: 'W' }, { scale: '%', side: 1, label: 'utilization %', grid: { show: false } }],
      hooks: { drawClear: [function (u) { shadePhases(u, d.phases); }] },
    }, uPlot.join(tables));
  }

  function rate(d) {
    var tables = d.levels.map(function (l) { return [l.xs, l.ys]; });
    var series = [{ label: 'end time (s)' }].concat(d.levels.map(function (l, i) {
      return line(l.label, i, l.estimate, { width: 0, paths: function () { return null; }, points: { show: true, size: 7, fill: color(i) } });
    }));
    mount('rate', {
      series: series,
      scales: { x: { time: false }, y: { range: function (u, lo, hi) { return [0, Math.max(1, hi * 1.1)]; } } },
      axes: [{ label: 'request end, seconds since run start' }, { label: 'generation tok/s' }],
    }, uPlot.join(tables));
  }

  function latency(d) {
    var xs = d.startsMs.map(function (s) { return s + d.widthMs / 2; });
    mount('latency', {
      series: [{ label: 'latency (ms)' }, { label: 'requests', stroke: color(0), fill: alpha(color(0), 0.45), paths: bars(0.95), points: { show: false } }],
      scales: { x: { time: false, range: [d.startsMs[0] - d.widthMs / 2, d.startsMs[d.startsMs.length - 1] + d.widthMs * 1.5] }, y: { range: function (u, lo, hi) { return [0, hi + 1]; } } },
      axes: [{ label: 'end-to-end latency, ms' }, { label: 'requests' }],
      hooks: { draw: [function (u) { vline(u, d.medianMs, '#1d2433', 'median', 0); vline(u, d.p95Ms, '#d55e00', 'p95', 1); }] },
    }, [xs, d.counts]);
  }

  function sweep(d) {
    mount('sweep', {
      series: [{ label: 'concurrency' },
        line('tasks/s', 0, false, { scale: 'tasks', points: { show: true, size: 7 } }),
        line('output tok/s', 1, false, { scale: 'tok', points: { show: true, size: 7 } })],
      scales: { x: { time: false, distr: 3, log: 2 }, tasks: { range: function (u, lo, hi) { return [0, hi * 1.15]; } }, tok: { range: function (u, lo, hi) { return [0, hi * 1.6]; } } },
      axes: [{ label: 'requests in flight', splits: function () { return d.concurrency; } }, { scale: 'tasks', label: 'tasks/s' }, { scale: 'tok', side: 1, label: 'output tok/s', grid: { show: false } }],
      hooks: { draw: [function (u) { vline(u, d.best, '#009e73', 'best', 0); if (d.saturatedAt !== null) vline(u, d.saturatedAt, '#d55e00', 'saturated', 1); }] },
    }, [d.concurrency, d.tasksPerS, d.outputTokensPerS]);
  }

  function barChart(id, d) {
    var xs = d.labels.map(function (_, i) { return i; });
    var series = [{ label: 'option' }].concat(d.groups.map(function (g, i) {
      return line(g.label, i, g.estimate, { fill: alpha(color(i), g.estimate ? 0.25 : 0.6), paths: bars(0.7), points: { show: false } });
    }));
    mount(id, {
      padding: [12, 80, 0, 0],
      series: series,
      scales: { x: { time: false, range: [-0.5, d.labels.length - 0.5] }, y: d.log ? { distr: 3, range: logRange } : { range: [0, 100] } },
      axes: [{ splits: function () { return xs; }, values: function (u, splits) { return splits.map(function (i) { var l = d.labels[i] || ''; return l.length > 22 ? l.slice(0, 21) + '…' : l; }); }, rotate: d.labels.length > 5 ? -25 : 0, size: d.labels.length > 5 ? 90 : 40, grid: { show: false } },
        { label: d.unit, size: 70, values: nums }],
    }, [xs].concat(d.groups.map(function (g) { return g.values; })));
  }

  function volume(d) {
    var series = [{ label: 'tasks/month' }].concat(d.lines.map(function (l, i) {
      return line(l.label, i, l.estimate, { points: { show: true, size: 5 } });
    }));
    mount('volume', {
      series: series,
      scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
      axes: [{ label: 'tasks a month (log)', values: nums }, { label: d.currency + ' a month (log)', size: 70, values: nums }],
      hooks: { draw: [function (u) { var row = 0; d.breakEvens.forEach(function (b) { if (vline(u, b.volume, '#7f3c8d', b.label, row)) row += 1; }); }] },
    }, [d.volumes].concat(d.lines.map(function (l) { return l.values; })));
  }

  // One chart that throws (or uPlot missing) leaves a one-line message in its place, and the others draw.
  function draw(id, chart, d) {
    if (!d) return;
    try {
      chart(d);
    } catch (e) {
      console.error('costbench: chart ' + id + ' could not be drawn', e);
      var el = document.getElementById('chart-' + id);
      if (!el) return;
      var p = document.createElement('p');
      p.className = 'chart-error';
      var why = e instanceof Error ? e.name + ': ' + e.message : String(e);
      p.textContent = 'This chart could not be drawn: ' + why;
      el.replaceChildren(p);
    }
  }
  draw('power', power, D.power);
  draw('rate', rate, D.rate);
  draw('latency', latency, D.latency);
  draw('sweep', sweep, D.sweep);
  draw('cost', function (d) { barChart('cost', d); }, D.cost);
  draw('volume', volume, D.volume);
  draw('accuracy', function (d) { barChart('accuracy', d); }, D.accuracy);
})();
`;
