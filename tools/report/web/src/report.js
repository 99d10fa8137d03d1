// Kepler's HTML report: draws the page from the result embedded in #kepler-data (a fit's JSON
// result, or a benchmark's results.json), with Vega-Lite for the plots and KaTeX (MathML
// output, no fonts) for the formulas. Compiled into the kepler binary (tools/report); the C++
// side only assembles the page. Every plot gets a <div class="plot">; when all are drawn,
// <html> gets data-status="rendered", data-plots="N" and data-render-ms (milliseconds from the
// start of navigation until the last plot was drawn). Errors are recorded by the hook the
// page installs first (window.keplerRecordError).
(function () {
  'use strict';

  var root = document.getElementById('kepler-report');
  var record = window.keplerRecordError || function (m) { throw new Error(m); };
  var drawing = [];

  // ---- small DOM helpers ----
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function text(tag, content, attrs) { return el(tag, attrs, [String(content)]); }
  function section(title, id) {
    var s = el('section', { id: id });
    s.appendChild(text('h2', title));
    root.appendChild(s);
    return s;
  }
  function fmt(x, digits) {
    if (x === null || x === undefined) return '—';
    if (typeof x !== 'number') return String(x);
    if (Number.isInteger(x)) return x.toLocaleString('en-US');
    return Number(x.toPrecision(digits || 6)).toString();
  }
  function table(headers, rows, cls) {
    var head = el('tr', {}, headers.map(function (h) { return text('th', h); }));
    var body = rows.map(function (r) {
      return el('tr', {}, r.map(function (c) {
        return c instanceof Node ? el('td', {}, [c]) : text('td', c === null || c === undefined ? '—' : c);
      }));
    });
    return el('table', { class: cls || 'data' }, [el('thead', {}, [head]), el('tbody', {}, body)]);
  }
  function keyValues(pairs) {
    return table(['', ''], pairs.filter(function (p) { return p[1] !== undefined; }), 'kv');
  }
  function code(s) { return text('code', s); }

  // ---- typesetting ----
  function texName(name) {
    if (/^[A-Za-z]$/.test(name)) return name;
    return '\\mathrm{' + name.replace(/([{}_#$%&])/g, '\\$1').replace(/ /g, '\\ ') + '}';
  }
  function math(tex, display) {
    var span = el('span', { class: display ? 'math display' : 'math' });
    try {
      katex.render(tex, span, { output: 'mathml', displayMode: !!display, throwOnError: true });
    } catch (e) {
      record('cannot typeset ' + tex + ': ' + e.message);
      span.textContent = tex;
    }
    return span;
  }

  // ---- plots ----
  function plot(parent, name, spec, caption) {
    var div = el('div', { class: 'plot', 'data-plot': name });
    var figure = el('figure', {}, [div, caption ? text('figcaption', caption) : null]);
    parent.appendChild(figure);
    spec.config = Object.assign({ font: 'sans-serif', view: { stroke: '#ccc' } }, spec.config || {});
    drawing.push(vegaEmbed(div, spec, { actions: false, renderer: 'svg', tooltip: true }).then(function (r) {
      div.setAttribute('data-rendered', 'true');
      return r;
    }));
  }
  // Positive values for a log axis: a zero RMSE (an exact law) is drawn at a tenth of the
  // smallest positive one, and its tooltip keeps the true value.
  function logFloor(values) {
    var positive = values.filter(function (v) { return v > 0; });
    var least = positive.length ? Math.min.apply(null, positive) : 1;
    return least / 10;
  }

  // ---- the fit report ----
  function lawOf(doc) {
    var best = doc.best;
    var head = el('header', {}, [text('h1', 'The law for ' + doc.target)]);
    root.appendChild(head);
    var inputs = (doc.inputs || []).join(', ');
    head.appendChild(text('p', 'from ' + (inputs || 'no inputs') + ' · ' + (doc.data || 'table'), { class: 'sub' }));
    if (!best) {
      head.appendChild(text('p', 'No law was found.', { class: 'warning' }));
      return;
    }
    var law = el('div', { class: 'law', id: 'best-law' }, [math(texName(doc.target) + ' = ' + best.latex, true)]);
    head.appendChild(law);
    head.appendChild(el('p', { class: 'formula' }, [code(doc.target + ' = ' + best.formula)]));
    var unit = doc.sample && doc.sample.target_unit ? ' ' + doc.sample.target_unit : '';
    head.appendChild(keyValues([
      ['R²', fmt(best.r2, 9)],
      ['RMSE', fmt(best.rmse, 4) + unit],
      ['max relative error', fmt(best.max_relative_error, 3)],
      ['complexity', fmt(best.complexity_bits, 4) + ' bits'],
      ['noise estimate (from the rows alone)', doc.noise_estimate === null ? undefined : fmt(doc.noise_estimate, 3) + unit],
      ['dimensional analysis', doc.dimensional_analysis ? 'on (' + doc.unit_system + ')' : 'off'],
      ['target monomial', doc.target_monomial || undefined],
      ['constants brought in', (doc.constants_introduced || []).join(', ') || undefined],
      ['unit scales absorbed', (doc.scales_absorbed || []).join(', ') || undefined]
    ]));
    // Per front member (the best's), or for the whole result when a writer put them there.
    constantsOf(head, best.named_constants || doc.named_constants, 'Named constants');
    constantsOf(head, best.constants || doc.constants, 'Fitted constants');
    if ((doc.notes || []).length) {
      head.appendChild(el('ul', { class: 'notes' }, doc.notes.map(function (n) { return text('li', n); })));
    }
  }
  // Constants as whatever the result holds: an array of objects (one row each) or an object
  // (name -> value or object).
  function constantsOf(parent, value, title) {
    if (!value || (Array.isArray(value) && !value.length) || (typeof value === 'object' && !Object.keys(value).length))
      return;
    parent.appendChild(text('h3', title));
    var rows = Array.isArray(value) ? value : Object.keys(value).map(function (k) {
      var v = value[k];
      return (v && typeof v === 'object') ? Object.assign({ symbol: k }, v) : { symbol: k, value: v };
    });
    var keys = [];
    rows.forEach(function (r) {
      if (r && typeof r === 'object') Object.keys(r).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); });
    });
    if (!keys.length) { parent.appendChild(code(JSON.stringify(value))); return; }
    var order = ['symbol', 'name', 'value', 'std_error', 'unit'];
    keys.sort(function (a, b) {
      var i = order.indexOf(a), j = order.indexOf(b);
      return (i < 0 ? order.length : i) - (j < 0 ? order.length : j);
    });
    parent.appendChild(table(keys.map(function (k) { return k.replace(/_/g, ' '); }), rows.map(function (r) {
      return keys.map(function (k) {
        var v = r[k];
        return v !== null && typeof v === 'object' ? JSON.stringify(v) : fmt(v, 8);
      });
    })));
  }

  function frontOf(doc) {
    var s = section('Pareto front: complexity against error', 'front');
    var front = doc.front || [];
    if (!front.length) { s.appendChild(text('p', 'The front is empty.')); return; }
    var floor = logFloor(front.map(function (f) { return f.rmse; }));
    // All exact: nothing to put on a log axis.
    var yScale = front.some(function (f) { return f.rmse > 0; }) ? { type: 'log' } : { type: 'linear' };
    var yTitle = yScale.type === 'log' ? 'RMSE (log scale)' : 'RMSE';
    if (yScale.type === 'linear') floor = 0;
    var values = front.map(function (f, i) {
      return {
        bits: f.complexity_bits, rmse: f.rmse > 0 ? f.rmse : floor, RMSE: fmt(f.rmse, 4), R2: fmt(f.r2, 9),
        formula: doc.target + ' = ' + f.formula, pick: f.formula === (doc.best || {}).formula ? 'best' : 'front',
        index: i + 1
      };
    });
    plot(s, 'front', {
      width: 640, height: 320, data: { values: values },
      layer: [
        { mark: { type: 'line', interpolate: 'step-after', color: '#999' }, encoding: {
          x: { field: 'bits', type: 'quantitative' }, y: { field: 'rmse', type: 'quantitative', scale: yScale } } },
        { mark: { type: 'point', filled: true, size: 90 }, encoding: {
          x: { field: 'bits', type: 'quantitative', title: 'complexity (bits)', axis: { format: '.1f' } },
          y: { field: 'rmse', type: 'quantitative', scale: yScale, title: yTitle },
          color: { field: 'pick', type: 'nominal', scale: { domain: ['best', 'front'], range: ['#d62728', '#1f77b4'] }, title: null },
          shape: { field: 'pick', type: 'nominal', scale: { domain: ['best', 'front'], range: ['diamond', 'circle'] }, title: null },
          tooltip: [{ field: 'formula' }, { field: 'bits', title: 'bits', format: '.1f' }, { field: 'RMSE' }, { field: 'R2', title: 'R²' }] } },
        { transform: [{ filter: "datum.pick === 'best'" }], mark: { type: 'text', align: 'left', dx: 8, dy: -8, fontWeight: 'bold' },
          encoding: { x: { field: 'bits', type: 'quantitative' }, y: { field: 'rmse', type: 'quantitative', scale: yScale },
            text: { value: 'best' } } }
      ]
    }, 'Each point is a formula of the front; hover for it. The best (least total description length) is the red diamond.' +
       (yScale.type === 'log' && front.some(function (f) { return !(f.rmse > 0); }) ?
         ' An RMSE of 0 is drawn at ' + fmt(floor, 3) + ' (a tenth of the least one above 0).' : ''));
    s.appendChild(table(['', 'bits', 'RMSE', 'R²', 'formula'], front.map(function (f) {
      return [f.formula === (doc.best || {}).formula ? '*' : '', fmt(f.complexity_bits, 4), fmt(f.rmse, 4), fmt(f.r2, 9),
        code(doc.target + ' = ' + f.formula)];
    })));
  }

  function sampleRows(sample) {
    var rows = [];
    for (var i = 0; i < sample.rows; ++i) {
      var r = { row: sample.row[i], measured: sample.measured[i], predicted: sample.predicted[i], residual: sample.residual[i] };
      sample.inputs.forEach(function (inp, k) { r['x' + k] = inp.values[i]; });
      if (sample.time) r.time = sample.time.values[i] === null ? null : sample.time.values[i] * 1000;
      rows.push(r);
    }
    return rows;
  }
  function withUnit(name, unit) { return unit ? name + ' [' + unit + ']' : name; }

  function fitOf(doc) {
    var s = section('The law against the data', 'fit');
    var sample = doc.sample;
    if (!sample || !sample.predicted) {
      s.appendChild(text('p', sample ? 'No law, so nothing to compare.' :
        'This result has no sample of rows (it was written by an older kepler); run kepler fit --json again to plot the fit.',
        { class: 'warning' }));
      return;
    }
    var rows = sampleRows(sample);
    var target = withUnit(doc.target, sample.target_unit);
    s.appendChild(text('p', sample.rows + ' of the ' + fmt(sample.of_rows) + ' rows the law was scored on, evenly spread.', { class: 'sub' }));
    plot(s, 'measured-vs-predicted', {
      width: 420, height: 420, data: { values: rows },
      layer: [
        { mark: { type: 'point', filled: true, opacity: 0.5, size: 14 }, encoding: {
          x: { field: 'predicted', type: 'quantitative', scale: { zero: false }, title: 'predicted ' + target },
          y: { field: 'measured', type: 'quantitative', scale: { zero: false }, title: 'measured ' + target },
          tooltip: [{ field: 'row' }, { field: 'measured', format: '.6g' }, { field: 'predicted', format: '.6g' }] } },
        { transform: [{ aggregate: [{ op: 'min', field: 'predicted', as: 'lo' }, { op: 'max', field: 'predicted', as: 'hi' }] },
          { fold: ['lo', 'hi'], as: ['end', 'v'] }],
          mark: { type: 'line', color: '#d62728' },
          encoding: { x: { field: 'v', type: 'quantitative' }, y: { field: 'v', type: 'quantitative' } } }
      ]
    }, 'Measured against predicted; the red line is measured = predicted.');

    var r = section('Residuals', 'residuals');
    r.appendChild(text('p', 'Residual = measured − predicted. Structure left here (a trend, a curve, a step, drift in time) ' +
      'means the law is not the whole story.', { class: 'sub' }));
    var grid = el('div', { class: 'grid' });
    r.appendChild(grid);
    sample.inputs.forEach(function (inp, k) {
      residualPlot(grid, 'residual-' + inp.name, rows, { field: 'x' + k, type: 'quantitative', scale: { zero: false },
        title: withUnit(inp.name, inp.unit) }, target);
    });
    if (sample.time) {
      residualPlot(grid, 'residual-time', rows, { field: 'time', type: 'temporal', scale: { type: 'utc' }, title: sample.time.name + ' (UTC)' }, target);
    }
  }
  function residualPlot(parent, name, rows, x, target) {
    plot(parent, name, {
      width: 360, height: 220, data: { values: rows },
      layer: [
        { mark: { type: 'point', filled: true, opacity: 0.5, size: 12 }, encoding: {
          x: x, y: { field: 'residual', type: 'quantitative', title: 'residual ' + target },
          tooltip: [{ field: 'row' }, { field: 'residual', format: '.4g' }] } },
        { mark: { type: 'rule', color: '#d62728' }, encoding: { y: { datum: 0 } } }
      ]
    }, 'Residuals against ' + (x.field === 'time' ? 'time' : x.title) + '.');
  }

  function screeningOf(doc) {
    var sc = doc.screening;
    if (!sc) return;
    var s = section('Screening of the channels', 'screening');
    var channels = sc.channels || [];
    var kept = channels.filter(function (c) { return c.rank !== null && c.rank !== undefined; });
    kept.sort(function (a, b) { return a.rank - b.rank; });
    var used = {}, short = {};
    (doc.inputs || []).forEach(function (n) { used[n] = true; });
    (sc.short_list || []).forEach(function (n) { short[n] = true; });
    var roles = ['in the law', 'short list', 'the rest'];
    var shown = kept.slice(0, 30).map(function (c) {
      return { name: withUnit(c.name, c.unit), relevance: c.relevance === null ? 0 : c.relevance, rank: c.rank,
        role: used[c.name] ? roles[0] : short[c.name] ? roles[1] : roles[2], reason: c.reason };
    });
    var dropped = channels.filter(function (c) { return c.verdict !== 'kept' && c.verdict !== 'timestamp'; });
    s.appendChild(text('p', fmt(sc.candidates) + ' candidate channels, ' + fmt(sc.rows_scored) + ' rows scored, ' +
      fmt(sc.seconds, 3) + ' s; ' + kept.length + ' kept, ' + dropped.length + ' dropped or interchangeable.',
      { class: 'sub' }));
    if (shown.length) {
      plot(s, 'relevance', {
        width: 520, height: { step: 14 }, data: { values: shown },
        mark: 'bar',
        encoding: {
          y: { field: 'name', type: 'nominal', sort: { field: 'rank' }, title: null },
          x: { field: 'relevance', type: 'quantitative', title: 'relevance (given the others)' },
          color: { field: 'role', type: 'nominal', scale: { domain: roles, range: ['#d62728', '#1f77b4', '#9ecae1'] }, title: null },
          tooltip: [{ field: 'name' }, { field: 'rank' }, { field: 'relevance', format: '.3f' }, { field: 'reason' }]
        }
      }, 'The ' + shown.length + ' most relevant of the ' + kept.length + ' kept channels, by rank. The short list ' +
        '(scored by a surrogate of the target) ranks first, by what each channel adds given the others; the rest ' +
        'follow by their relevance alone, so their bars are not on the short list\'s scale.');
    }
    if (dropped.length) {
      s.appendChild(text('h3', 'Dropped and interchangeable channels'));
      s.appendChild(table(['channel', 'verdict', 'same as', 'why'], dropped.map(function (c) {
        return [withUnit(c.name, c.unit), c.verdict, c.same_as, c.reason];
      })));
    }
    var groups = (sc.groups || []).filter(function (g) { return g.members.length > 1; });
    if (groups.length) {
      s.appendChild(text('h3', 'Readings of one quantity'));
      s.appendChild(table(['representative', 'members'], groups.map(function (g) { return [g.representative, g.members.join(', ')]; })));
    }
    if ((sc.subsets || []).length) {
      s.appendChild(text('h3', 'Candidate subsets (most likely first)'));
      s.appendChild(table(['#', 'channels', 'response surface R²', 'ΔBIC', 'units', 'note'], sc.subsets.map(function (x, i) {
        return [String(i + 1), x.inputs.join(', '), fmt(x.r2, 6), fmt(x.delta_bic, 4),
          x.units_checked ? (x.units_ok ? 'ok' : 'ruled out') : 'not checked', x.reason];
      })));
    }
    if ((sc.attempts || []).length) {
      s.appendChild(text('h3', 'Subsets searched'));
      s.appendChild(table(['channels', 'law', 'RMSE', 'seconds', 'outcome'], sc.attempts.map(function (a) {
        var tried = !!a.formula;
        return [a.inputs.join(', '), tried ? code(doc.target + ' = ' + a.formula) : '—', tried ? fmt(a.rmse, 4) : '—',
          tried ? fmt(a.seconds, 3) : '—', a.outcome];
      })));
    }
    var inter = sc.interchangeable || {};
    if (Object.keys(inter).length) {
      s.appendChild(el('ul', {}, Object.keys(inter).map(function (k) {
        return text('li', k + ' could be replaced by ' + inter[k].join(', '));
      })));
    }
  }

  function explanationOf(doc) {
    if (!(doc.explanation || []).length) return;
    var s = section('Steps taken', 'explanation');
    s.appendChild(el('ol', { class: 'steps' }, doc.explanation.map(function (line) { return text('li', line); })));
  }

  function runOf(doc) {
    var s = section('The run', 'run');
    var o = doc.options || {};
    s.appendChild(keyValues([
      ['data file', doc.data],
      ['rows used', fmt(doc.rows_used)],
      ['rows left out (missing values)', fmt(doc.rows_dropped)],
      ['rows sampled for the search', doc.rows_sampled ? fmt(doc.rows_sampled) : 'all'],
      ['evaluations', fmt(doc.evaluations)],
      ['seconds', fmt(doc.seconds, 4)],
      ['stopped', doc.interrupted ? 'interrupted' : doc.timed_out ? 'at the time limit' :
        doc.evaluation_limit_reached ? 'at the evaluation limit' : 'search complete'],
      ['seed', o.seed === undefined ? undefined : String(o.seed)],
      ['kepler version', doc.kepler_version],
      ['result schema', doc.schema_version === undefined ? undefined : String(doc.schema_version)]
    ]));
    s.appendChild(text('h3', 'Options'));
    s.appendChild(keyValues(Object.keys(o).map(function (k) {
      var v = o[k];
      return [k, Array.isArray(v) ? (v.join(', ') || '—') : v === '' ? '—' : String(v)];
    })));
    if ((doc.dimensionless_groups || []).length)
      s.appendChild(el('p', {}, ['Dimensionless groups searched: ', code(doc.dimensionless_groups.join(', '))]));
  }

  function fitReport(doc) {
    lawOf(doc);
    frontOf(doc);
    fitOf(doc);
    screeningOf(doc);
    explanationOf(doc);
    runOf(doc);
  }

  // ---- the benchmark report ----
  function verdict(r) { return r.exact ? 'exact' : r.symbolic_solution ? 'symbolic solution' : r.accurate ? 'accurate' : 'missed'; }

  function benchReport(doc) {
    var t = doc.totals;
    var o = doc.options || {};
    root.appendChild(el('header', {}, [text('h1', 'Kepler on the ' + (doc.suite || '') + ' suite'),
      text('p', fmt(t.runs) + ' runs' + (doc.commit ? ', commit ' + doc.commit : '') +
        (o.noise !== undefined ? ', noise ' + o.noise : '') + (o.time_limit !== undefined ? ', time limit ' + o.time_limit + ' s' : ''),
        { class: 'sub' })]));
    var s = section('Solved, by verdict', 'verdicts');
    var counts = [['exact', t.exact], ['symbolic solution (SRBench)', t.symbolic_solution], ['accurate (R² > 0.999)', t.accurate],
      ['within the textbook size', t.within_textbook_size]];
    plot(s, 'verdicts', {
      width: 480, height: { step: 26 }, data: { values: counts.map(function (c) { return { verdict: c[0], count: c[1], runs: t.runs }; }) },
      layer: [
        { mark: 'bar', encoding: { y: { field: 'verdict', type: 'nominal', sort: null, title: null },
          x: { field: 'count', type: 'quantitative', scale: { domain: [0, t.runs] }, title: 'runs (of ' + t.runs + ')' },
          tooltip: [{ field: 'verdict' }, { field: 'count' }] } },
        { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { y: { field: 'verdict', type: 'nominal', sort: null },
          x: { field: 'count', type: 'quantitative' }, text: { field: 'count' } } }
      ]
    });
    s.appendChild(keyValues([
      ['runs', fmt(t.runs)], ['exact', fmt(t.exact)], ['symbolic solution (SRBench)', fmt(t.symbolic_solution)],
      ['accurate', fmt(t.accurate)], ['median time per law', fmt(t.median_seconds, 3) + ' s'],
      ['maximum time', fmt(t.max_seconds, 3) + ' s']
    ]));
    var results = doc.results.map(function (r) {
      return { law: r.id + (r.seed !== undefined && doc.results.length > 1 && (doc.options || {}).seeds > 1 ? ' #' + r.seed : ''),
        seconds: Math.max(r.seconds, 1e-3), verdict: verdict(r), found: r.found, truth: r.truth, r2: fmt(r.heldout_r2, 9) };
    });
    var times = section('Time per law', 'times');
    plot(times, 'time-per-law', {
      width: Math.max(300, Math.min(1100, 11 * results.length)), height: 260, data: { values: results },
      mark: { type: 'point', filled: true, size: 60 },
      encoding: {
        x: { field: 'law', type: 'nominal', sort: { field: 'seconds', order: 'descending' }, title: null, axis: { labelAngle: -60 } },
        y: { field: 'seconds', type: 'quantitative', scale: { type: 'log', nice: true }, title: 'seconds (log scale)' },
        color: { field: 'verdict', type: 'nominal', scale: { domain: ['exact', 'symbolic solution', 'accurate', 'missed'],
          range: ['#2ca02c', '#98df8a', '#1f77b4', '#d62728'] } },
        tooltip: [{ field: 'law' }, { field: 'seconds', format: '.3f' }, { field: 'verdict' }, { field: 'found' }]
      }
    });
    var missed = doc.results.filter(function (r) { return !r.exact; });
    var m = section('Laws not solved exactly', 'missed');
    if (!missed.length) { m.appendChild(text('p', 'Every law was found exactly.')); return; }
    m.appendChild(table(['law', 'seed', 'verdict', 'held-out R²', 'found', 'truth', 'time (s)'], missed.map(function (r) {
      return [r.id, String(r.seed), verdict(r), fmt(r.heldout_r2, 9), code(r.found || '—'), code(r.truth), fmt(r.seconds, 3)];
    })));
  }

  // ---- draw ----
  try {
    var doc = JSON.parse(document.getElementById('kepler-data').textContent);
    if (root.getAttribute('data-kind') === 'bench') benchReport(doc); else fitReport(doc);
  } catch (e) {
    record('report: ' + (e.stack || e));
  }
  document.documentElement.setAttribute('data-plots', String(drawing.length));
  Promise.all(drawing).then(function () {
    document.documentElement.setAttribute('data-status', 'rendered');
    document.documentElement.setAttribute('data-render-ms', String(Math.round(performance.now())));
  }, function (e) {
    record('plot: ' + (e.stack || e));
    document.documentElement.setAttribute('data-status', 'failed');
  });
})();
