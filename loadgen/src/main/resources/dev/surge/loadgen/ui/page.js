// The one renderer of a surge run: the live page (fed by the server-sent events of --ui) and the
// report (fed by a result file embedded in the page) both build the same state and draw it here.
// window.surgeUi exposes the state and the uPlot charts (tests read the drawn series from them).
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('surge-data').textContent);
  var PALETTE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#0891b2', '#ca8a04', '#db2777', '#4b5563'];
  var TARGET = '#94a3b8';
  var MAX_BACKENDS = 7;
  var state = {
    mode: data.mode, source: data.source || '', config: {}, startedAt: null, info: {},
    intervals: [], timeline: [], simulated: [], events: [], summary: null, checks: null,
    cost: null, scalingSummary: {}, ended: false, connected: false, lost: false
  };
  var charts = {};
  var api = { state: state, charts: charts, renders: 0 };
  window.surgeUi = api;

  // ---------- labels and numbers ----------
  var CONFIG_LABELS = {
    url: 'URL', method: 'Method', scenario: 'Scenario', profile: 'Rate profile',
    durationSeconds: ['Duration', 's'], maxRate: ['Rate cap', 'req/s'], model: 'Load model',
    transport: 'Transport', shard: 'Shard', connections: 'Connections', http2: 'HTTP/2',
    maxInFlight: 'Max in flight', maxConnectionAge: 'Max connection age', idleTimeout: 'Idle timeout',
    connectTimeout: 'Connect timeout', timeout: 'Request timeout', catchUp: 'Catch-up',
    thresholds: 'Thresholds', abortOn: 'Abort on', out: 'Result file', hdrLog: 'HDR log', lab: 'Lab run'
  };

  function num(v, digits) {
    if (v === null || v === undefined || typeof v !== 'number' || !isFinite(v)) return '–';
    if (digits === undefined) {
      var a = Math.abs(v);
      digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
      if (Number.isInteger(v)) digits = 0;
    }
    return v.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function timeText(t) {
    return typeof t === 'number' && isFinite(t) ? (t < 0 ? '−' + num(-t, 1) : num(t, 1)) + ' s' : 'before the load';
  }

  // ---------- feeding the state ----------
  function reset() {
    state.intervals = []; state.timeline = []; state.simulated = []; state.events = [];
    state.summary = null; state.checks = null; state.ended = false; state.cost = null;
    eventsShown = 0;
    var t = document.getElementById('events'); while (t.firstChild) t.removeChild(t.firstChild);
  }

  function applyScaling(s) {
    if (!s || typeof s !== 'object') return;
    if (Array.isArray(s.timeline)) state.timeline = s.timeline.slice();
    if (Array.isArray(s.simulated)) state.simulated = s.simulated.slice();
    state.info = { source: s.source || state.info.source, lab: s.lab || state.info.lab };
    state.scalingSummary = { scaleUpSeconds: s.scaleUpSeconds, scaleDownSeconds: s.scaleDownSeconds };
  }

  function fromResult(r) {
    state.config = r.config || {};
    state.startedAt = r.startedAt || null;
    state.intervals = Array.isArray(r.intervals) ? r.intervals : [];
    applyScaling(r.scaling);
    state.events = Array.isArray(r.events) ? r.events : [];
    state.summary = r.summary || null;
    state.checks = r.checks || null;
    state.cost = r.cost || null;
    state.ended = true;
  }

  function live(stream) {
    var es = new EventSource(stream);
    function on(name, f) {
      es.addEventListener(name, function (e) {
        try { f(JSON.parse(e.data)); } catch (err) { console.warn('surge: bad ' + name + ' update', err); }
        // The end is drawn at once: whoever sees state.ended sees the page that says so.
        if (name === 'end') render(); else schedule();
      });
    }
    es.onopen = function () {
      // Every connection replays the whole history first: start from nothing.
      reset(); state.connected = true; state.lost = false; schedule();
    };
    es.onerror = function () {
      if (state.ended) { es.close(); return; }
      state.connected = false; state.lost = true; schedule();
    };
    on('hello', function (m) { state.config = m.config || {}; state.startedAt = m.startedAt || null; });
    on('scaling-info', function (m) { applyScaling(m); });
    on('interval', function (m) { state.intervals.push(m); });
    on('scaling', function (m) { state.timeline.push(m); });
    on('event', function (m) { state.events.push(m); });
    on('cost', function (m) { state.cost = m; });
    on('end', function (m) {
      // The last cost frame (sent just before the end) is the result's cost.
      state.summary = m.summary || null; state.checks = m.checks || null; if (m.cost) state.cost = m.cost;
      if (m.scaling) applyScaling(m.scaling);
      state.ended = true; es.close();
    });
  }

  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    setTimeout(function () { pending = false; render(); }, 80);
  }

  // ---------- charts ----------
  function width(node) { return Math.max(320, (node.clientWidth || node.parentNode.clientWidth || 700) - 4); }

  function plot(id, yLabel, series, dataArr, extra) {
    var node = document.getElementById(id);
    var key = id + ':' + series.map(function (s) { return s.label; }).join('|');
    var c = charts[id];
    if (c && c._surgeKey === key) { c.setData(dataArr); return c; }
    if (c) c.destroy();
    var opts = {
      width: width(node), height: (extra && extra.height) || 260,
      scales: { x: { time: false } },
      axes: [{ label: 'seconds since the start', size: 42 }, { label: yLabel, size: 64 }],
      series: [{ label: 't', value: function (u, v) { return v === null ? '–' : num(v, 1) + ' s'; } }].concat(series),
      legend: { live: true },
      cursor: { drag: { x: true, y: false } }
    };
    if (extra && extra.yRange) opts.scales.y = { range: extra.yRange };
    c = new uPlot(opts, dataArr, node);
    c._surgeKey = key;
    charts[id] = c;
    return c;
  }

  function line(label, color, o) {
    var s = { label: label, stroke: color, width: 2, spanGaps: true, points: { show: false } };
    if (o && o.dash) s.dash = [6, 4];
    if (o && o.step) s.paths = uPlot.paths.stepped({ align: 1 });
    if (o && o.fill) { s.fill = o.fill; s.width = 1; }
    if (o && o.unit) s.value = function (u, v) { return v === null || v === undefined ? '–' : num(v) + ' ' + o.unit; };
    return s;
  }

  function col(rows, f) { return rows.map(function (r) { var v = f(r); return typeof v === 'number' && isFinite(v) ? v : null; }); }
  function path(o, keys) { for (var i = 0; i < keys.length; i++) { if (o === null || o === undefined) return undefined; o = o[keys[i]]; } return o; }

  function drawRate(iv) {
    var x = col(iv, function (i) { return i.t; });
    plot('chart-rate', 'requests/s',
      [line('target', TARGET, { dash: true, unit: 'req/s' }), line('achieved', PALETTE[0], { unit: 'req/s' })],
      [x, col(iv, function (i) { return i.targetRate; }), col(iv, function (i) { return i.achievedRate; })]);
  }

  function drawLatency(iv) {
    var x = col(iv, function (i) { return i.t; });
    var qs = ['p50', 'p90', 'p99'];
    var series = [], d = [x];
    ['corrected', 'uncorrected'].forEach(function (view) {
      qs.forEach(function (q, n) {
        series.push(line(view + ' ' + q, PALETTE[n + 1], { dash: view === 'uncorrected', unit: 'ms' }));
        d.push(col(iv, function (i) { return path(i, ['latencyMillis', view, q]); }));
      });
    });
    plot('chart-latency', 'milliseconds', series, d, { height: 320 });
  }

  function drawErrors(iv) {
    var x = col(iv, function (i) { return i.t; });
    var kinds = {};
    iv.forEach(function (i) { if (i.errorsByKind) Object.keys(i.errorsByKind).forEach(function (k) { kinds[k] = true; }); });
    var names = Object.keys(kinds).sort();
    var series = [], d = [x];
    if (names.length === 0) {
      series.push(line('errors', '#dc2626', { unit: 'req' }));
      d.push(col(iv, function (i) { return i.errors; }));
    } else {
      names.forEach(function (k, n) {
        series.push(line(k.replace(/_/g, ' '), n === 0 ? '#dc2626' : PALETTE[(n + 4) % PALETTE.length], { unit: 'req' }));
        d.push(col(iv, function (i) { return (i.errorsByKind && i.errorsByKind[k]) || 0; }));
      });
    }
    series.push(line('dropped', '#ca8a04', { dash: true, unit: 'req' }));
    d.push(col(iv, function (i) { return i.dropped; }));
    plot('chart-errors', 'requests per interval', series, d, { height: 220 });
  }

  function drawBackends(iv) {
    var totals = {};
    iv.forEach(function (i) { var b = i.backends || {}; Object.keys(b).forEach(function (k) { totals[k] = (totals[k] || 0) + b[k]; }); });
    var names = Object.keys(totals).sort(function (a, b) { return totals[b] - totals[a] || (a < b ? -1 : 1); });
    document.getElementById('backends-note').hidden = names.length > 0;
    if (names.length === 0) return;
    var shown = names.slice(0, MAX_BACKENDS);
    var bands = shown.concat(names.length > shown.length ? ['other'] : []);
    var rows = iv.filter(function (i) { var b = i.backends || {}; return Object.keys(b).some(function (k) { return b[k] > 0; }); });
    var x = col(rows, function (i) { return i.t; });
    var cumulative = bands.map(function () { return []; });
    rows.forEach(function (i) {
      var b = i.backends, total = 0, acc = 0;
      Object.keys(b).forEach(function (k) { total += b[k]; });
      bands.forEach(function (name, n) {
        var v;
        if (name === 'other' && n === shown.length) { v = total; shown.forEach(function (s) { v -= b[s] || 0; }); } else { v = b[name] || 0; }
        acc += v / total * 100;
        cumulative[n].push(Math.round(acc * 100) / 100);
      });
    });
    // Drawn from the top band down, each filled to zero: the later (lower) ones paint over, a stack.
    var series = [], d = [x];
    for (var n = bands.length - 1; n >= 0; n--) {
      var color = PALETTE[n % PALETTE.length];
      series.push(line(bands[n], color, { fill: color, unit: '% (cumulative)' }));
      d.push(cumulative[n]);
    }
    plot('chart-backends', '% of responses', series, d, { yRange: [0, 100] });
  }

  function drawReplicas() {
    var tl = state.timeline, sim = state.simulated;
    var has = tl.length > 0 || sim.length > 0;
    document.getElementById('scaling-note').hidden = has;
    // Live without a scaling source the section says nothing useful: leave it out until there is one.
    document.getElementById('scaling').hidden = !has && state.mode !== 'report' && !(state.info && state.info.source);
    var lab = state.info && state.info.source === 'lab';
    document.getElementById('replicas-caption').textContent =
      (lab ? 'Observed in the lab: app processes as pods, scaled by the HPA model from their measured CPU'
        : 'Observed from kube-state-metrics via Prometheus during the run') +
      '; simulated by the HPA model for the same profile.';
    if (!has) return;
    var tables = [];
    var series = [];
    if (tl.length > 0) {
      tables.push([col(tl, function (e) { return e.t; }), col(tl, function (e) { return e.currentReplicas; }),
        col(tl, function (e) { return e.desiredReplicas; }), col(tl, function (e) { return e.readyReplicas; })]);
      series.push(line('observed current', PALETTE[0], { step: true, unit: 'replicas' }),
        line('observed desired', PALETTE[3], { step: true, dash: true, unit: 'replicas' }),
        line('observed ready', PALETTE[2], { step: true, unit: 'replicas' }));
    }
    if (sim.length > 0) {
      tables.push([col(sim, function (e) { return e.t; }), col(sim, function (e) { return e.replicas; })]);
      series.push(line('simulated', PALETTE[1], { step: true, dash: true, unit: 'replicas' }));
    }
    var d = tables.length === 1 ? tables[0] : uPlot.join(tables);
    plot('chart-replicas', 'replicas', series, d);
  }

  // The metrics of a sync: metrics[] when the controller recorded them, else its CPU utilization.
  function metricsOf(e) {
    if (Array.isArray(e.metrics) && e.metrics.length > 0) return e.metrics;
    var target = state.info && state.info.lab ? state.info.lab.targetUtilizationPercent : undefined;
    if (typeof e.utilizationPercent === 'number') {
      return [{ metric: 'cpu', current: e.utilizationPercent < 0 ? null : e.utilizationPercent,
        target: typeof target === 'number' ? target : null, unit: '%', proposal: -1 }];
    }
    return [];
  }

  function drawUtilization() {
    var tl = state.timeline;
    var labels = [], units = {};
    tl.forEach(function (e) {
      metricsOf(e).forEach(function (m) { if (labels.indexOf(m.metric) < 0) labels.push(m.metric); units[m.metric] = m.unit; });
    });
    var node = document.getElementById('chart-utilization');
    if (labels.length === 0) { node.hidden = true; return; }
    node.hidden = false;
    var allPercent = labels.every(function (l) { return units[l] === '%'; });
    document.getElementById('utilization-caption').textContent = allPercent
      ? 'Each metric\'s average utilization (% of the pods\' request) as the controller saw it at each sync; dashed: its target.'
      : 'Each metric as a share of its target (100 % = at target) at each sync; dashed: the target.';
    var x = col(tl, function (e) { return e.t; });
    var series = [], d = [x];
    labels.forEach(function (l, n) {
      var color = PALETTE[n % PALETTE.length];
      function find(e) { var ms = metricsOf(e); for (var i = 0; i < ms.length; i++) if (ms[i].metric === l) return ms[i]; return null; }
      series.push(line(l, color, { unit: allPercent ? '%' : '% of target' }));
      d.push(col(tl, function (e) {
        var m = find(e); if (!m || m.current === null || m.current === undefined) return null;
        if (allPercent) return m.current;
        return m.target ? m.current / m.target * 100 : null;
      }));
      series.push(line(l + ' target', color, { dash: true, unit: allPercent ? '%' : '% of target' }));
      d.push(col(tl, function (e) { var m = find(e); if (!m || !m.target) return null; return allPercent ? m.target : 100; }));
    });
    plot('chart-utilization', allPercent ? '% of request' : '% of target', series, d, { height: 240 });
  }

  function fmtMetric(v, unit) {
    if (v === null || v === undefined) return '–';
    if (unit === 'bytes') return num(v / 1048576, 1) + ' MiB';
    if (unit === 'm') return num(v) + 'm';
    return num(v) + (unit ? ' ' + unit : '');
  }

  function table(id, head, rows) {
    var t = document.getElementById(id);
    while (t.firstChild) t.removeChild(t.firstChild);
    if (rows.length === 0) { t.hidden = true; return; }
    t.hidden = false;
    var tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', null, h)); });
    var thead = el('thead'); thead.appendChild(tr); t.appendChild(thead);
    var tbody = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr', r.cls ? { 'class': r.cls } : null);
      r.cells.forEach(function (c, i) { row.appendChild(el('td', r.num && r.num[i] ? { 'class': 'num' } : null, c)); });
      tbody.appendChild(row);
    });
    t.appendChild(tbody);
  }

  function drawMetricsTable() {
    var tl = state.timeline;
    var last = tl.length > 0 ? tl[tl.length - 1] : null;
    var ms = last ? metricsOf(last) : [];
    table('metrics-table', ['metric', 'current', 'target', 'proposal', ''], ms.map(function (m) {
      var driver = last.driver !== undefined && last.driver !== '' && last.driver === m.metric;
      return {
        cls: driver ? 'driver' : null, num: [false, true, true, true, false],
        cells: [m.metric, fmtMetric(m.current, m.unit), fmtMetric(m.target, m.unit),
          m.proposal === undefined || m.proposal < 0 ? '–' : m.proposal + ' replicas', driver ? 'taken (driver)' : '']
      };
    }));
  }

  function drawDecisions() {
    var tl = state.timeline, rows = [];
    for (var i = 0; i < tl.length; i++) {
      var e = tl[i], prev = i > 0 ? tl[i - 1] : null;
      var before = prev ? prev.desiredReplicas : e.currentReplicas;
      if (prev === null ? e.desiredReplicas === e.currentReplicas : e.desiredReplicas === before) continue;
      var proposals = metricsOf(e).filter(function (m) { return m.proposal !== undefined && m.proposal >= 0; })
        .map(function (m) { return m.metric + ' → ' + m.proposal; }).join(', ');
      var reason = e.reason || (state.info && state.info.source === 'prometheus'
        ? 'not published by the HPA (kube-state-metrics has the counts only)' : '');
      rows.push({
        num: [true, true, false, false, false],
        cells: [timeText(e.t), before + ' → ' + e.desiredReplicas, reason, e.driver || '', proposals]
      });
    }
    table('decisions', ['time', 'replicas', 'reason', 'driver', 'proposals'], rows);
  }

  var eventsShown = 0;
  function drawEvents() {
    var t = document.getElementById('events');
    if (eventsShown === 0 && state.events.length > 0) {
      var tr = el('tr');
      ['time', 'kind', 'subject', 'what'].forEach(function (h) { tr.appendChild(el('th', null, h)); });
      t.appendChild(tr);
    }
    for (; eventsShown < state.events.length; eventsShown++) {
      var e = state.events[eventsShown];
      var row = el('tr', { 'class': 'event kind-row-' + e.kind });
      row.appendChild(el('td', { 'class': 'num' }, timeText(e.t)));
      var k = el('td'); k.appendChild(el('span', { 'class': 'kind kind-' + e.kind }, e.kind)); row.appendChild(k);
      row.appendChild(el('td', null, e.subject));
      row.appendChild(el('td', null, e.message));
      t.appendChild(row);
    }
  }

  // ---------- header, tiles ----------
  function drawStatus() {
    var s = document.getElementById('status');
    var last = state.intervals.length ? state.intervals[state.intervals.length - 1].t : 0;
    s.className = 'status';
    if (state.mode === 'report') {
      s.textContent = 'Report of ' + (state.source || 'a run') + (state.startedAt ? ' · started ' + state.startedAt : '') +
        ' · ' + state.intervals.length + ' intervals';
      s.className = 'status ended';
    } else if (state.ended) {
      var end = state.startedAt ? new Date(Date.parse(state.startedAt) + last * 1000) : null;
      s.textContent = 'The run has ended' + (end ? ' at ' + end.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '') +
        ' after ' + num(last, 1) + ' s' + (state.checks ? (state.checks.passed ? ' · checks passed' : ' · checks failed') : '');
      s.className = 'status ended';
      s.setAttribute('data-ended', 'true');
    } else if (state.lost) {
      s.textContent = 'Connection to the run lost (it may have ended): reconnecting…';
      s.className = 'status lost';
    } else if (state.connected) {
      s.textContent = state.intervals.length ? 'Live · ' + num(last, 0) + ' s into the run' : 'Live · waiting for the load to start';
      s.className = 'status live';
    } else {
      s.textContent = 'Connecting…';
    }
    document.getElementById('title').textContent = 'surge ' + (state.info && state.info.source === 'lab' ? 'lab run' : 'load run') +
      (state.mode === 'report' ? ' report' : '');
    document.title = document.getElementById('title').textContent;
  }

  var configKey = '';
  function drawConfig() {
    var key = JSON.stringify(state.config);
    if (key === configKey) return;
    configKey = key;
    var dl = document.getElementById('config');
    while (dl.firstChild) dl.removeChild(dl.firstChild);
    Object.keys(CONFIG_LABELS).forEach(function (k) {
      var v = state.config[k];
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) return;
      var label = CONFIG_LABELS[k], unit = '';
      if (Array.isArray(label)) { unit = ' ' + label[1]; label = label[0]; }
      var text = Array.isArray(v) ? v.join(', ') : typeof v === 'boolean' ? (v ? 'yes' : 'no') : typeof v === 'number' ? num(v) + unit : String(v);
      dl.appendChild(el('dt', null, label));
      dl.appendChild(el('dd', null, text));
    });
  }

  function tile(box, label, value, unit, cls) {
    var d = el('div', { 'class': 'tile' + (cls ? ' ' + cls : '') });
    d.appendChild(el('div', { 'class': 'label' }, label));
    var v = el('div', { 'class': 'value' }, value);
    if (unit) v.appendChild(el('span', { 'class': 'unit' }, unit));
    d.appendChild(v);
    box.appendChild(d);
  }

  function peak(rows, key) {
    var p = null;
    rows.forEach(function (r) { if (typeof r[key] === 'number' && (p === null || r[key] > p)) p = r[key]; });
    return p;
  }

  function drawTiles() {
    var box = document.getElementById('tiles');
    while (box.firstChild) box.removeChild(box.firstChild);
    var s = state.summary, iv = state.intervals;
    if (s) {
      tile(box, 'Requests', num(s.requests));
      tile(box, 'OK', num(s.ok));
      tile(box, 'Errors', num(s.errors), null, s.errors > 0 ? 'bad' : null);
      tile(box, 'Dropped', num(s.dropped), null, s.dropped > 0 ? 'bad' : null);
      tile(box, 'Sent late', num(s.late));
      tile(box, 'Duration', num(s.durationSeconds, 1), 's');
      tile(box, 'Target rate', num(s.targetRate, 1), 'req/s');
      tile(box, 'Achieved rate', num(s.achievedRate, 1), 'req/s');
      var c = path(s, ['latencyMillis', 'corrected']) || {}, u = path(s, ['latencyMillis', 'uncorrected']) || {};
      tile(box, 'Latency p50 (corrected)', num(c.p50), 'ms');
      tile(box, 'Latency p99 (corrected)', num(c.p99), 'ms');
      tile(box, 'Latency max (corrected)', num(c.max), 'ms');
      tile(box, 'Latency p99 (uncorrected)', num(u.p99), 'ms');
    } else {
      var sum = function (k) { return iv.reduce(function (a, i) { return a + (i[k] || 0); }, 0); };
      var last = iv.length ? iv[iv.length - 1] : {};
      tile(box, 'Requests so far', num(sum('requests')));
      tile(box, 'Errors so far', num(sum('errors')), null, sum('errors') > 0 ? 'bad' : null);
      tile(box, 'Dropped so far', num(sum('dropped')), null, sum('dropped') > 0 ? 'bad' : null);
      tile(box, 'Target rate now', num(last.targetRate, 1), 'req/s');
      tile(box, 'Achieved rate now', num(last.achievedRate, 1), 'req/s');
      tile(box, 'Latency p99 now (corrected)', num(path(last, ['latencyMillis', 'corrected', 'p99'])), 'ms');
      tile(box, 'In flight', num(last.inFlight));
    }
    if (state.timeline.length > 0 || state.simulated.length > 0) {
      var lastSync = state.timeline.length ? state.timeline[state.timeline.length - 1] : null;
      if (lastSync && !state.ended) tile(box, 'Replicas now (ready)', lastSync.currentReplicas + ' (' + lastSync.readyReplicas + ')');
      tile(box, 'Peak replicas observed', num(peak(state.timeline, 'currentReplicas')));
      if (state.simulated.length) tile(box, 'Peak replicas simulated', num(peak(state.simulated, 'replicas')));
      var ss = state.scalingSummary || {};
      if (state.ended) {
        tile(box, 'Scale-up time', typeof ss.scaleUpSeconds === 'number' ? num(ss.scaleUpSeconds, 0) : 'not seen', typeof ss.scaleUpSeconds === 'number' ? 's' : null);
        tile(box, 'Scale-down time', typeof ss.scaleDownSeconds === 'number' ? num(ss.scaleDownSeconds, 0) : 'not seen', typeof ss.scaleDownSeconds === 'number' ? 's' : null);
      }
    }
    if (state.checks) {
      tile(box, 'Checks', state.checks.passed ? 'passed' : state.checks.aborted ? 'aborted' : 'failed', null, state.checks.passed ? 'good' : 'bad');
    }
  }

  // ---------- cost (the lab's) ----------
  function money(v, currency) {
    if (typeof v !== 'number' || !isFinite(v)) return '–';
    var a = Math.abs(v);
    var text = a === 0 ? '0' : a >= 1 ? v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      : v.toLocaleString('en-US', { maximumSignificantDigits: 3 });
    return text + (currency ? ' ' + currency : '');
  }

  // As the terminal's cost line: "−38 %" is 38 % less than the static deployment, "+5 %" more.
  function saving(p) {
    if (typeof p !== 'number' || !isFinite(p)) return '–';
    return (p >= 0 ? '−' : '+') + num(Math.abs(p), 0) + ' %';
  }

  // Tiles carry data-cost="<key in the result's cost>" and data-value (the number itself), so a
  // test can hold them against the result file.
  function costTile(box, key, label, value, shown, unit, cls) {
    var before = box.children.length;
    tile(box, label, shown, unit, cls);
    var t = box.children[before];
    t.setAttribute('data-cost', key);
    if (typeof value === 'number') t.setAttribute('data-value', String(value));
  }

  function drawCost() {
    var c = state.cost, section = document.getElementById('cost');
    section.hidden = !(c && typeof c === 'object');
    if (section.hidden) return;
    var box = document.getElementById('cost-tiles');
    while (box.firstChild) box.removeChild(box.firstChild);
    var cur = c.currency || '', soFar = state.ended ? '' : ' so far';
    var peakS = c.staticAtPeak || {}, maxS = c.staticAtMaxReplicas || {};
    document.getElementById('cost-caption').textContent =
      'Requested CPU and memory priced at ' + money(c.priceVcpuHour, cur) + ' per vCPU-hour and ' +
      money(c.priceGibHour, cur) + ' per GiB-hour, over the load\'s ' + num(c.periodSeconds, 0) +
      ' s: the autoscaled run against a static Deployment sized at its peak and at maxReplicas' +
      ' (−38 % means the autoscaled run cost 38 % less)' +
      (state.ended ? '. The result file\'s figures.' : '; running figures, recomputed every second.');
    var vs = function (p) { return typeof p !== 'number' ? null : p > 0 ? 'good' : p < 0 ? 'bad' : null; };
    costTile(box, 'cost', 'Autoscaled' + soFar, c.cost, money(c.cost), cur);
    costTile(box, 'staticAtPeak.cost', 'Static at peak (' + num(peakS.replicas) + ' pods)' + soFar,
      peakS.cost, money(peakS.cost), cur);
    costTile(box, 'staticAtPeak.savingPercent', 'Autoscaled against static at peak', peakS.savingPercent,
      saving(peakS.savingPercent), null, vs(peakS.savingPercent));
    costTile(box, 'staticAtMaxReplicas.cost', 'Static at maxReplicas (' + num(maxS.replicas) + ')' + soFar,
      maxS.cost, money(maxS.cost), cur);
    costTile(box, 'staticAtMaxReplicas.savingPercent', 'Autoscaled against maxReplicas', maxS.savingPercent,
      saving(maxS.savingPercent), null, vs(maxS.savingPercent));
    costTile(box, 'peakReplicas', 'Peak pods (billed)', c.peakReplicas, num(c.peakReplicas));
    costTile(box, 'requestedCoreSeconds', 'CPU requested', c.requestedCoreSeconds, num(c.requestedCoreSeconds), 'core·s');
    costTile(box, 'usedCoreSeconds', 'CPU used', c.usedCoreSeconds, num(c.usedCoreSeconds), 'core·s');
    costTile(box, 'idleShare', 'Requested but idle', c.idleShare,
      typeof c.idleShare === 'number' ? num(c.idleShare * 100, 0) : '–', '%');
    if (c.slo && typeof c.slo === 'object') {
      costTile(box, 'slo.p99Millis', 'p99 at this cost', c.slo.p99Millis, num(c.slo.p99Millis), 'ms');
      costTile(box, 'slo.errorBudgetUsedPercent', 'Error budget used', c.slo.errorBudgetUsedPercent,
        num(c.slo.errorBudgetUsedPercent), '%', c.slo.errorBudgetUsedPercent > 100 ? 'bad' : null);
    }
  }

  function render() {
    api.renders++;
    drawStatus();
    drawConfig();
    drawTiles();
    drawCost();
    var iv = state.intervals;
    drawRate(iv);
    drawLatency(iv);
    drawErrors(iv);
    drawBackends(iv);
    drawReplicas();
    drawUtilization();
    drawMetricsTable();
    drawDecisions();
    drawEvents();
    document.getElementById('footer').textContent = state.mode === 'report'
      ? 'Generated by surge-loadgen report: one self-contained file, nothing fetched (charts: uPlot).'
      : 'Served by the run itself (--ui); closing this page does not disturb the run.';
  }

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      Object.keys(charts).forEach(function (id) {
        var node = document.getElementById(id);
        charts[id].setSize({ width: width(node), height: charts[id].height });
      });
    }, 150);
  });

  if (data.mode === 'report') {
    fromResult(data.result || {});
    render();
  } else {
    render();
    live(data.stream);
  }
})();
