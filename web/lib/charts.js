// charts.js — Chart.js v4 defaults and helpers for live demo charts.
//
// Chart.js is loaded as a classic script from web/vendor/chart.umd.js (global
// `Chart`), never from a CDN: pages must work offline and behind school filters.
//
// Conventions (Chart.js docs: Performance, Responsive Charts, Accessibility):
//   - animation off; after changing data call chart.update('none')
//   - data pre-parsed as {x, y} points with parsing:false, normalized:true
//   - one relatively positioned container per canvas (.chart-box in style.css)
//   - canvas role="img" with an aria-label that says what the chart shows now
//   - Okabe–Ito colour-blind-safe palette, plus distinct point styles / dashes
//     so series differ by more than colour

/** Okabe & Ito (2008) colour-blind-safe palette. */
export const PALETTE = Object.freeze({
  blue: '#0072B2',
  orange: '#E69F00',
  vermillion: '#D55E00',
  green: '#009E73',
  sky: '#56B4E9',
  purple: '#CC79A7',
  yellow: '#F0E442',
  black: '#000000',
  grey: '#6b6b6b',
});
/** The palette in the order series should use it. */
export const SERIES = [PALETTE.blue, PALETTE.vermillion, PALETTE.green, PALETTE.orange, PALETTE.purple, PALETTE.sky, PALETTE.black];

/** The Chart constructor (global from chart.umd.js); throws a clear error if missing. */
export function getChartLib() {
  const C = globalThis.Chart;
  if (!C) throw new Error('Chart.js is missing: run `make web` so web/vendor/chart.umd.js exists');
  return C;
}

let defaultsApplied = false;
/** Apply project-wide Chart.js defaults once. */
export function applyDefaults() {
  if (defaultsApplied) return;
  const C = getChartLib();
  const d = C.defaults;
  d.animation = false;
  d.responsive = true;
  d.maintainAspectRatio = false;
  d.font.family = getComputedStyle(document.documentElement).getPropertyValue('--font-sans').trim() || 'system-ui, sans-serif';
  d.font.size = 13;
  d.color = '#222';
  d.borderColor = 'rgba(0,0,0,0.12)';
  d.plugins.legend.labels.usePointStyle = true;
  d.plugins.tooltip.animation = false;
  d.datasets.line.parsing = false;
  d.datasets.line.normalized = true;
  d.datasets.line.spanGaps = false;
  d.transitions.active.animation.duration = 0;
  defaultsApplied = true;
}

const SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
/** 10^k as "10⁻¹⁶". */
export function pow10Label(k) {
  return `10${String(k).split('').map((c) => SUP[c] ?? c).join('')}`;
}

/**
 * A logarithmic axis whose ticks are labelled only at powers of ten: every
 * `every`-th decade, or sparser so that at most `maxLabels` labels show
 * (keeps phone-width axes readable when the range spans 40 decades).
 * @param {object} [o] { title, min, max, every, maxLabels }
 */
export function logAxis({ title, min, max, every = 1, maxLabels = 9 } = {}) {
  return {
    type: 'logarithmic',
    min, max,
    title: title ? { display: true, text: title } : undefined,
    ticks: {
      autoSkip: false,
      callback(value) {
        const k = Math.log10(value);
        if (Math.abs(k - Math.round(k)) > 1e-9) return null;
        const span = Math.log10(this.max / this.min);
        // At most one label per ~30px of chart height (phones get fewer).
        const limit = Math.max(3, Math.min(maxLabels, Math.floor((this.chart?.height ?? 300) / 30)));
        const step = Math.max(every, Math.ceil(span / limit));
        const r = Math.round(k);
        return r % step === 0 ? pow10Label(r) : null;
      },
    },
    grid: { color: (ctx) => (ctx.tick && ctx.tick.label ? 'rgba(0,0,0,0.12)' : 'rgba(0,0,0,0.04)') },
  };
}

/** A linear axis. */
export function linearAxis({ title, min, max, integer = false } = {}) {
  return {
    type: 'linear', min, max,
    title: title ? { display: true, text: title } : undefined,
    ticks: integer ? { precision: 0 } : {},
  };
}

/*
 * Charts are created one per task. Creating a Chart.js chart lays it out and
 * draws it empty (axes, legend): 150-250 ms each on a slow laptop (CPU
 * throttled 4x), and a page creating its three charts while its module
 * evaluated ran one 0.6-1.1 s task at load, during which no click or key press
 * was handled. liveChart() returns at once a LiveChart whose Chart.js chart is
 * made in a task of its own soon after (in creation order), or at its first
 * use (update, setData), whichever comes first: the same chart with the same
 * options, so the same drawing.
 */
const waiting = []; // LiveCharts not created yet, oldest first
let creationTimer = 0;

function scheduleCreation() {
  if (creationTimer || waiting.length === 0) return;
  creationTimer = setTimeout(() => {
    creationTimer = 0;
    waiting[0]?.chart; // creates it (and takes it off the list)
    scheduleCreation();
  }, 0);
}

/**
 * A Chart.js chart made on first need (see above). `options`, `data`,
 * `canvas` and `update()` behave as the chart's own; `chart` is the Chart.js
 * chart itself (created by reading it).
 */
export class LiveChart {
  #chart = null;
  #config;

  constructor(canvas, config) {
    this.canvas = canvas;
    this.#config = config;
    waiting.push(this);
    scheduleCreation();
  }

  /** The Chart.js chart (created now if it was not yet). */
  get chart() {
    if (!this.#chart) {
      const i = waiting.indexOf(this);
      if (i >= 0) waiting.splice(i, 1);
      this.#chart = new (getChartLib())(this.canvas, this.#config);
    }
    return this.#chart;
  }

  /** True once the Chart.js chart exists. */
  get created() { return this.#chart !== null; }
  /** The chart's options: before creation the config's (Chart.js builds its resolved options from them). */
  get options() { return this.#chart ? this.#chart.options : this.#config.options; }
  /** The chart's data ({ datasets }); the same object before and after creation. */
  get data() { return this.#chart ? this.#chart.data : this.#config.data; }
  get width() { return this.chart.width; }
  get height() { return this.chart.height; }
  update(mode) { return this.chart.update(mode); }
}

/**
 * Create a live chart inside `container` (a .chart-box element); its Chart.js
 * chart is made in a task of its own (see LiveChart).
 *
 * @param {HTMLElement} container
 * @param {object} o
 * @param {string} o.label              accessible description (aria-label)
 * @param {Array<object>} o.datasets    Chart.js dataset options (data filled later)
 * @param {object} o.scales             { x: axis, y: axis }
 * @param {object} [o.plugins]          extra plugin options
 * @param {string} [o.type='line']
 * @returns {LiveChart}
 */
export function liveChart(container, { label, datasets, scales, plugins = {}, type = 'line' }) {
  applyDefaults();
  getChartLib(); // a clear error now if Chart.js is missing
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  canvas.textContent = label; // fallback content
  container.append(canvas);
  return new LiveChart(canvas, {
    type,
    data: { datasets: datasets.map((d) => ({ data: [], ...d })) },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales,
      plugins: {
        legend: { position: 'top', align: 'start', labels: { boxWidth: 10, boxHeight: 10 } },
        tooltip: {
          callbacks: {
            label: (ctx) => `${ctx.dataset.label}: ${formatSci(ctx.parsed.y)}`,
          },
        },
        ...plugins,
      },
    },
  });
}

/**
 * Replace the data of each dataset (arrays of {x, y}) and redraw without
 * animation. `label` updates the canvas aria-label.
 */
export function setData(chart, seriesData, label) {
  seriesData.forEach((data, i) => { if (chart.data.datasets[i]) chart.data.datasets[i].data = data; });
  if (label) chart.canvas.setAttribute('aria-label', label);
  chart.update('none');
}

/** A line series as {x, y} points from a typed array, x = index + x0. */
export function indexSeries(values, { x0 = 1, map = (v) => v } = {}) {
  const out = new Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = { x: i + x0, y: map(values[i], i) };
  return out;
}

/** Compact scientific formatting for tooltips and tables. */
export function formatSci(v, digits = 3) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(digits)));
  return v.toExponential(digits - 1).replace('e+', 'e');
}

/**
 * Fill a <table> with a header row and data rows (the accessible companion of
 * a chart). Rows are arrays of cell values (numbers are formatted).
 */
export function fillTable(table, headers, rows) {
  const thead = document.createElement('thead');
  const tr = document.createElement('tr');
  for (const h of headers) { const th = document.createElement('th'); th.scope = 'col'; th.textContent = h; tr.append(th); }
  thead.append(tr);
  const tbody = document.createElement('tbody');
  for (const r of rows) {
    const row = document.createElement('tr');
    for (const c of r) { const td = document.createElement('td'); td.textContent = typeof c === 'number' ? formatSci(c, 4) : c; row.append(td); }
    tbody.append(row);
  }
  table.replaceChildren(thead, tbody);
}

/** Scriptable point radius: smaller dots on phone-width charts, so a line under them stays visible. */
export function dotRadius(ctx) {
  return (ctx.chart?.width ?? 800) < 500 ? 1.4 : 2.5;
}

/** True if the user asked for reduced motion. */
export function prefersReducedMotion() {
  return globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}
