// validate.js — the two helpers every argument check shares:
//   describe(v)          a short, safe description of ANY JavaScript value for an
//                        error message (Symbols, BigInts, null-prototype objects and
//                        revoked Proxies included: building the message never throws)
//   lookupName(t, name)  an enum name → its value by OWN property only, so names
//                        inherited from Object.prototype ('constructor', '__proto__',
//                        'toString', 'hasOwnProperty', ...) are unknown names, not
//                        silent aliases of something else.
// Shared by the main-thread API, the worker host and the worker client (no wasm here).

const hasOwn = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * A description of v for "..., got <describe(v)>". Never throws.
 * Numbers and booleans print as themselves, strings quoted (long ones cut),
 * BigInts as `5n (a BigInt)`, everything else by kind and length.
 */
export function describe(v) {
  switch (typeof v) {
    case 'number': return String(v);
    case 'boolean': return String(v);
    case 'undefined': return 'undefined';
    case 'bigint': return `${v.toString()}n (a BigInt)`;
    case 'string': return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
    case 'symbol': return 'a Symbol';
    case 'function': return 'a function';
    default: break;
  }
  if (v === null) return 'null';
  try {
    if (Array.isArray(v)) return `an array of length ${Number(v.length)}`;
    if (ArrayBuffer.isView(v)) {
      const tag = Object.prototype.toString.call(v).slice(8, -1);
      return typeof v.length === 'number' ? `a ${tag} of length ${v.length}` : `a ${tag}`;
    }
    if (v instanceof ArrayBuffer) return `an ArrayBuffer of ${v.byteLength} bytes`;
    if (Object.getPrototypeOf(v) === null) return 'an object with a null prototype';
  } catch {
    // a revoked Proxy or a throwing getter: fall through to the generic answer
  }
  return 'an object';
}

/** true if `name` is a string naming an OWN property of the enum table `table`. */
export function isName(table, name) {
  if (typeof name !== 'string') return false;
  return table instanceof Map ? table.has(name) : hasOwn(table, name);
}

/** The value of enum name `name` in `table` (own properties only), or undefined. */
export function lookupName(table, name) {
  if (!isName(table, name)) return undefined;
  return table instanceof Map ? table.get(name) : table[name];
}

/** The table's names quoted for a message: "'a', 'b', 'c'". */
export function nameList(table) {
  const keys = table instanceof Map ? [...table.keys()] : Object.keys(table);
  return keys.map((k) => `'${k}'`).join(', ');
}
