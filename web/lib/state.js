// state.js — page state declared once as a property table, kept in the URL hash.
//
// Modelled on TensorFlow Playground's src/state.ts: every setting, the random
// seed included, round-trips through `location.hash`, so a teacher can post one
// link and every student sees the same figure.
//
//   const PROPS = [
//     { name: 'm',     type: 'int',    default: 200, min: 2, max: 400 },
//     { name: 'decay', type: 'number', default: 0.05, min: 0, max: 1 },
//     { name: 'shape', type: 'enum',   default: 'exp', values: ['exp', 'poly'] },
//     { name: 'seed',  type: 'int',    default: 42, min: 0, max: 2 ** 31 - 1 },
//   ];
//   const state = createState(PROPS, { onChange: redraw });
//   state.values.m;            // read
//   state.set({ m: 300 });     // write: updates the hash (replaceState) and calls onChange
//
// Parsing never throws: a value that is missing keeps its default silently; a
// value that is malformed or out of range falls back to the default and is
// reported with console.info. Unknown keys are ignored (also with console.info).
//
// Teacher links: the reserved key `hide` lists control names to hide
// (`#m=200&hide=m,seed`), like Playground's `*_hide` keys. `hidden(name)` says
// whether a control should be hidden; the page decides how.

/** The reserved hash key that lists hidden controls. */
export const HIDE_KEY = 'hide';

const TYPES = new Set(['number', 'int', 'string', 'bool', 'enum']);

/**
 * Check a property table once, so that mistakes in a page show up at load
 * time rather than as a silently ignored hash key.
 * @param {Array<object>} props
 */
export function checkProps(props) {
  const seen = new Set();
  for (const p of props) {
    if (!p || typeof p.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(p.name)) {
      throw new TypeError(`state: bad property name ${JSON.stringify(p?.name)}`);
    }
    if (p.name === HIDE_KEY) throw new TypeError(`state: "${HIDE_KEY}" is reserved`);
    if (seen.has(p.name)) throw new TypeError(`state: duplicate property "${p.name}"`);
    seen.add(p.name);
    if (!TYPES.has(p.type)) throw new TypeError(`state: property "${p.name}" has unknown type "${p.type}"`);
    if (p.type === 'enum' && !(Array.isArray(p.values) && p.values.includes(p.default))) {
      throw new TypeError(`state: enum "${p.name}" needs values[] containing its default`);
    }
    if (validate(p, p.default) === undefined) {
      throw new TypeError(`state: default of "${p.name}" is invalid or out of range`);
    }
  }
}

/**
 * Validate one already-decoded value against its property; returns the
 * (normalised) value, or undefined if invalid.
 */
function validate(p, v) {
  switch (p.type) {
    case 'number':
    case 'int': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
      if (p.type === 'int' && !Number.isInteger(v)) return undefined;
      if (p.min !== undefined && v < p.min) return undefined;
      if (p.max !== undefined && v > p.max) return undefined;
      return v;
    }
    case 'bool': return typeof v === 'boolean' ? v : undefined;
    case 'enum': return p.values.includes(v) ? v : undefined;
    case 'string': {
      if (typeof v !== 'string') return undefined;
      if (p.maxLength !== undefined && v.length > p.maxLength) return undefined;
      if (p.pattern && !p.pattern.test(v)) return undefined;
      return v;
    }
    default: return undefined;
  }
}

/** Decode the text of one hash value for property p (undefined if malformed). */
function decode(p, text) {
  switch (p.type) {
    case 'number':
    case 'int': {
      // Number('') is 0 and Number(' 7') is 7: insist on a plain numeric literal.
      if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return undefined;
      return validate(p, Number(text));
    }
    case 'bool':
      if (text === '1' || text === 'true') return true;
      if (text === '0' || text === 'false') return false;
      return undefined;
    default:
      return validate(p, text);
  }
}

/** Encode one value for the hash. Numbers use the shortest round-trip form. */
function encode(p, v) {
  if (p.type === 'bool') return v ? '1' : '0';
  return encodeURIComponent(String(v));
}

/** The defaults of a property table, as a plain object. */
export function defaults(props) {
  return Object.fromEntries(props.map((p) => [p.name, p.default]));
}

/**
 * Parse a hash string ("#a=1&b=2", with or without "#") against the table.
 * Never throws. Returns { values, hidden: Set<string>, problems: string[] }.
 * Each problem is also reported with console.info unless `quiet`.
 */
export function parseHash(props, hash, { quiet = false } = {}) {
  const values = defaults(props);
  const hidden = new Set();
  const problems = [];
  const byName = new Map(props.map((p) => [p.name, p]));
  const text = String(hash ?? '').replace(/^#/, '');
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const raw = eq < 0 ? '' : part.slice(eq + 1);
    const val = safeDecode(raw);
    if (key === HIDE_KEY) {
      for (const name of (val ?? '').split(',')) {
        if (byName.has(name)) hidden.add(name);
        else if (name) problems.push(`hide: unknown control "${name}" ignored`);
      }
      continue;
    }
    const p = byName.get(key);
    if (!p) { problems.push(`unknown key "${key}" ignored`); continue; }
    const v = val === undefined ? undefined : decode(p, val);
    if (v === undefined) {
      problems.push(`${key}=${raw} is not valid${rangeText(p)}; using the default ${p.default === '' ? '(empty)' : p.default}`);
    } else {
      values[key] = v;
    }
  }
  if (!quiet) for (const msg of problems) console.info(`sketchlab state: ${msg}`);
  return { values, hidden, problems };
}

function safeDecode(s) {
  try { return decodeURIComponent(s.replace(/\+/g, ' ')); } catch { return undefined; }
}

function rangeText(p) {
  if (p.type === 'enum') return ` (one of ${p.values.join(', ')})`;
  if (p.type === 'bool') return ' (0 or 1)';
  if (p.type === 'number' || p.type === 'int') {
    const kind = p.type === 'int' ? 'an integer' : 'a number';
    if (p.min !== undefined && p.max !== undefined) return ` (${kind} in [${p.min}, ${p.max}])`;
    return ` (${kind})`;
  }
  return '';
}

/**
 * Serialize values (+ hidden set) to a hash string without the leading "#".
 * Every property is written, in table order, so a shared link keeps meaning
 * the same thing even if a default changes later.
 */
export function serialize(props, values, hidden = new Set()) {
  const parts = props.map((p) => `${p.name}=${encode(p, values[p.name] ?? p.default)}`);
  const hide = props.filter((p) => hidden.has(p.name)).map((p) => p.name);
  if (hide.length) parts.push(`${HIDE_KEY}=${hide.join(',')}`);
  return parts.join('&');
}

/**
 * Create the live state of a page, read from location.hash.
 *
 * @param {Array<object>} props  the property table
 * @param {object} [opts]
 * @param {(values: object, changed: Set<string>) => void} [opts.onChange]
 *        called after set() and after the user edits the hash (back/forward,
 *        pasting a link); `changed` holds the names whose value changed.
 * @param {Window} [opts.win=window]
 */
export function createState(props, { onChange = () => {}, win = globalThis.window } = {}) {
  checkProps(props);
  const byName = new Map(props.map((p) => [p.name, p]));
  const first = parseHash(props, win?.location?.hash ?? '');
  const values = { ...first.values };
  let hidden = new Set(first.hidden);
  // What the last link read (at load or a pasted hash) could not use, for lib/link-notice.js.
  let problems = first.problems;
  let lastWritten = null;

  function write() {
    const text = serialize(props, values, hidden);
    lastWritten = text;
    if (!win) return;
    const url = `${win.location.pathname}${win.location.search}#${text}`;
    // replaceState: dragging a slider must not fill the back button history.
    win.history.replaceState(win.history.state, '', url);
  }

  const api = {
    /** Current values (read-only by convention; use set()). */
    values,
    props,
    /** Set some values; invalid ones are clamped (numbers) or ignored. */
    set(patch, { silent = false } = {}) {
      const changed = new Set();
      for (const [k, v] of Object.entries(patch)) {
        const p = byName.get(k);
        if (!p) { console.info(`sketchlab state: unknown property "${k}" ignored`); continue; }
        const nv = coerce(p, v);
        if (nv === undefined) { console.info(`sketchlab state: ${k}=${v} rejected${rangeText(p)}`); continue; }
        if (!Object.is(values[k], nv)) { values[k] = nv; changed.add(k); }
      }
      write();
      if (changed.size && !silent) onChange(values, changed);
      return changed;
    },
    /** Restore every default (keeps the hidden set). */
    reset() { return api.set(defaults(props)); },
    /** Problems of the last link read (bad or unknown values; their defaults were used), as texts. */
    get problems() { return [...problems]; },
    /** Is this control hidden by a teacher link? */
    hidden(name) { return hidden.has(name); },
    hiddenSet() { return new Set(hidden); },
    setHidden(set) { hidden = new Set([...set].filter((n) => byName.has(n))); write(); },
    /** The hash text (no "#") for the current values, optionally with another hidden set. */
    hash(hiddenOverride) { return serialize(props, values, hiddenOverride ?? hidden); },
    /** A full URL for sharing. */
    url(hiddenOverride) {
      const loc = win?.location;
      const base = loc ? `${loc.origin}${loc.pathname}${loc.search}` : '';
      return `${base}#${api.hash(hiddenOverride)}`;
    },
  };

  // Normalise the address bar at load (fills in defaults, drops bad values).
  write();

  win?.addEventListener('hashchange', () => {
    const text = win.location.hash.replace(/^#/, '');
    if (text === lastWritten) return;
    const next = parseHash(props, text);
    problems = next.problems;
    const changed = new Set();
    for (const p of props) {
      if (!Object.is(values[p.name], next.values[p.name])) { values[p.name] = next.values[p.name]; changed.add(p.name); }
    }
    hidden = next.hidden;
    write();
    onChange(values, changed, { hiddenChanged: true });
  });

  return api;
}

/** Coerce a value set from code or a control: numbers are clamped and rounded. */
function coerce(p, v) {
  if (p.type === 'number' || p.type === 'int') {
    let x = typeof v === 'string' ? Number(v) : v;
    if (typeof x !== 'number' || !Number.isFinite(x)) return undefined;
    if (p.type === 'int') x = Math.round(x);
    if (p.min !== undefined) x = Math.max(p.min, x);
    if (p.max !== undefined) x = Math.min(p.max, x);
    return x;
  }
  if (p.type === 'bool') return typeof v === 'boolean' ? v : v === '1' || v === 'true' ? true : v === '0' || v === 'false' ? false : undefined;
  return validate(p, v);
}
