// controls.js — labelled controls for the demo pages, no framework.
//
// slider(): a <label>, a range slider and a number box kept in sync.
//   - Native inputs, so keyboard (arrows, PageUp/Down, Home/End), touch and
//     screen readers work; aria-valuetext says the value with its unit.
//   - Optional log scale (for sizes, rates, tolerances): the slider moves
//     through log10(value) while the number box shows the value itself.
//   - `onInput` fires while dragging (live); `onChange` fires on release or
//     when the number box is committed.
//
// select() and checkbox() give the same look for enums and booleans.
//
// Every control gets data-control="<name>" on its wrapper, so a teacher link
// (state.hidden(name)) can hide it, and tests can find it.

let uid = 0;
const nextId = (name) => `ctl-${name}-${++uid}`;

/** Format a number for display: compact, but exact for integers. */
export function formatNumber(v, { digits = 3 } = {}) {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(Math.max(0, digits - 1)).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) e.append(c);
  return e;
}

/**
 * A labelled slider + number box.
 *
 * @param {object} o
 * @param {string} o.name      state name (data-control, ids)
 * @param {string} o.label     visible label text
 * @param {number} o.min
 * @param {number} o.max
 * @param {number} [o.step]    step of the value (linear scale); for log scale,
 *                             the number box step. Integers if `int`.
 * @param {boolean} [o.int]    round to integers
 * @param {boolean} [o.log]    log-scale slider (min must be > 0)
 * @param {number} [o.ticks=200] slider positions for a log scale
 * @param {number} o.value
 * @param {string} [o.unit]    unit for aria-valuetext and the suffix ("rows", "per index")
 * @param {(v:number)=>string} [o.format]  display format (aria-valuetext)
 * @param {string} [o.help]    one-line hint shown under the control (aria-describedby)
 * @param {(v:number)=>void} [o.onInput]   while dragging / typing
 * @param {(v:number)=>void} [o.onChange]  committed
 * @returns {{ el: HTMLElement, get value(): number, set(v:number): void, setLimits(min:number,max:number): void }}
 */
export function slider(o) {
  const id = nextId(o.name);
  const fmt = o.format ?? ((v) => formatNumber(v));
  let { min, max } = o;
  const log = !!o.log;
  if (log && !(min > 0)) throw new RangeError(`slider ${o.name}: log scale needs min > 0`);
  const ticks = o.ticks ?? 200;
  const step = o.step ?? (o.int ? 1 : (max - min) / 100);
  let value = clamp(o.value);

  const range = el('input', {
    type: 'range', id, name: o.name,
    min: log ? 0 : min, max: log ? ticks : max, step: log ? 1 : step,
  });
  const number = el('input', {
    type: 'number', id: `${id}-num`, inputmode: o.int ? 'numeric' : 'decimal',
    min, max, step: log ? 'any' : step, 'aria-label': `${o.label} (exact value)`,
  });
  const label = el('label', { for: id, class: 'ctl-label', text: o.label });
  const unit = o.unit ? el('span', { class: 'ctl-unit', 'aria-hidden': 'true', text: o.unit }) : null;
  const help = o.help ? el('p', { class: 'ctl-help', id: `${id}-help`, text: o.help }) : null;
  if (help) { range.setAttribute('aria-describedby', help.id); number.setAttribute('aria-describedby', help.id); }
  const wrap = el('div', { class: 'ctl ctl-slider', 'data-control': o.name },
    el('div', { class: 'ctl-head' }, label, el('span', { class: 'ctl-num' }, number, unit)),
    range, help);

  function clamp(v) {
    let x = Number(v);
    if (!Number.isFinite(x)) x = min;
    x = Math.min(max, Math.max(min, x));
    if (o.int) x = Math.round(x);
    return x;
  }
  const toPos = (v) => log ? Math.round(ticks * Math.log(v / min) / Math.log(max / min)) : v;
  function fromPos(pos) {
    if (!log) return clamp(pos);
    const v = min * Math.pow(max / min, pos / ticks);
    // Round to 3 significant digits so log sliders give readable values.
    return clamp(o.int ? Math.round(v) : Number(v.toPrecision(3)));
  }
  function render({ skipNumber = false } = {}) {
    range.value = String(toPos(value));
    if (!skipNumber) number.value = log && !o.int ? formatNumber(value) : String(value);
    const text = `${fmt(value)}${o.unit ? ` ${o.unit}` : ''}`;
    range.setAttribute('aria-valuetext', text);
  }

  range.addEventListener('input', () => {
    value = fromPos(Number(range.value));
    render();
    o.onInput?.(value);
  });
  range.addEventListener('change', () => o.onChange?.(value));
  number.addEventListener('input', () => {
    // Live while typing only if the text is already a valid, in-range value.
    const x = Number(number.value);
    if (number.value !== '' && Number.isFinite(x) && x >= min && x <= max && (!o.int || Number.isInteger(x))) {
      value = x;
      render({ skipNumber: true });
      o.onInput?.(value);
    }
  });
  number.addEventListener('change', () => {
    value = clamp(number.value === '' ? value : number.value);
    render();
    o.onInput?.(value);
    o.onChange?.(value);
  });
  number.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') number.dispatchEvent(new Event('change'));
  });
  render();

  return {
    el: wrap,
    input: range,
    numberInput: number,
    get value() { return value; },
    /** Set from code (no events). */
    set(v) { value = clamp(v); render(); },
    /** Change the range (e.g. a rank that must stay <= n). */
    setLimits(nmin, nmax) {
      min = nmin; max = nmax;
      if (!log) { range.min = String(min); range.max = String(max); }
      number.min = String(min); number.max = String(max);
      value = clamp(value); render();
    },
  };
}

/**
 * A labelled number box alone (for values with a huge range, like a seed).
 * @param {object} o { name, label, min, max, int, value, help, onChange }
 */
export function numberBox(o) {
  const id = nextId(o.name);
  const box = el('input', { type: 'number', id, name: o.name, min: o.min, max: o.max, step: o.int ? 1 : 'any', inputmode: o.int ? 'numeric' : 'decimal' });
  box.value = String(o.value);
  const help = o.help ? el('p', { class: 'ctl-help', id: `${id}-help`, text: o.help }) : null;
  if (help) box.setAttribute('aria-describedby', help.id);
  let value = o.value;
  const commit = () => {
    let x = Number(box.value);
    if (box.value === '' || !Number.isFinite(x)) x = value;
    if (o.int) x = Math.round(x);
    x = Math.min(o.max ?? Infinity, Math.max(o.min ?? -Infinity, x));
    box.value = String(x);
    if (x !== value) { value = x; o.onChange?.(x); }
  };
  box.addEventListener('change', commit);
  box.addEventListener('keydown', (e) => { if (e.key === 'Enter') commit(); });
  const wrap = el('div', { class: 'ctl ctl-numberbox', 'data-control': o.name },
    el('label', { for: id, class: 'ctl-label', text: o.label }), box, help);
  return {
    el: wrap, input: box,
    get value() { return value; },
    set(v) { value = v; box.value = String(v); },
  };
}

/**
 * A labelled <select> for an enum.
 * @param {object} o { name, label, value, options: Array<{value, label}>, help, onChange }
 */
export function select(o) {
  const id = nextId(o.name);
  const sel = el('select', { id, name: o.name });
  for (const opt of o.options) sel.append(el('option', { value: opt.value, text: opt.label }));
  sel.value = o.value;
  const help = o.help ? el('p', { class: 'ctl-help', id: `${id}-help`, text: o.help }) : null;
  if (help) sel.setAttribute('aria-describedby', help.id);
  sel.addEventListener('change', () => o.onChange?.(sel.value));
  const wrap = el('div', { class: 'ctl ctl-select', 'data-control': o.name },
    el('label', { for: id, class: 'ctl-label', text: o.label }), sel, help);
  return {
    el: wrap, input: sel,
    get value() { return sel.value; },
    set(v) { sel.value = v; },
  };
}

/**
 * A labelled checkbox.
 * @param {object} o { name, label, value: boolean, help, onChange }
 */
export function checkbox(o) {
  const id = nextId(o.name);
  const box = el('input', { type: 'checkbox', id, name: o.name });
  box.checked = !!o.value;
  box.addEventListener('change', () => o.onChange?.(box.checked));
  const wrap = el('div', { class: 'ctl ctl-check', 'data-control': o.name },
    box, el('label', { for: id, text: o.label }));
  return {
    el: wrap, input: box,
    get value() { return box.checked; },
    set(v) { box.checked = !!v; },
  };
}

/**
 * Hide the controls a teacher link names, and return the list of those hidden.
 * @param {Record<string, {el: HTMLElement}>} controls
 * @param {(name:string)=>boolean} isHidden
 */
export function applyHidden(controls, isHidden) {
  const hidden = [];
  for (const [name, c] of Object.entries(controls)) {
    const h = isHidden(name);
    c.el.hidden = h;
    if (h) hidden.push(name);
  }
  return hidden;
}
