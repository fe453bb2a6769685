// JSON Logic, with the semantics of the server's evaluator (datalogic-rs 5, through
// datalogic-py): its loose equality table, its strict number parsing, errors where it
// errors. Only the operators checklists.expressions.ALLOWED_OPERATORS permits are here.
//
// A rule that fails at run time (division by zero, a number compared with "abc") throws
// RuleError; applyRule() turns that into null, as Expression.evaluate does on the server.

import { toText } from './number_text.js';
import { combineTimes, scaleDuration, timesEqual, timesOrder } from './temporal.js';

export class RuleError extends Error {}

const fail = (why) => { throw new RuleError(why); };

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The truthiness both evaluators share: 0, "", [], {} and null are false. */
export function truthy(v) {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

// Rust's f64::from_str: no blanks, no hex, "inf"/"nan" spelled out.
const RUST_FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i;

function parseNumber(s) {
  if (!RUST_FLOAT.test(s)) return undefined;
  const t = s.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity');
  return /nan/i.test(t) ? NaN : Number(t);
}

/** Numeric coercion of arithmetic and ordering: "" / null / false are 0, true is 1. */
function toNumber(v) {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v === '' ? 0 : parseNumber(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null || v === undefined) return 0;
  return undefined;
}

function numberOrFail(v) {
  const n = toNumber(v);
  if (n === undefined || Number.isNaN(n)) fail('NaN');
  return n;
}

/** Structural equality (===, in): numbers by value, collections element by element. */
export function strictEquals(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => strictEquals(x, b[i]));
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length
    && keys.every((k) => Object.hasOwn(b, k) && strictEquals(a[k], b[k]));
}

/** datalogic's loose equality table (operators/comparison/loose.rs); throws when incompatible. */
function looseEquals(a, b) {
  const ta = kind(a);
  const tb = kind(b);
  if (ta === tb) {
    if (ta === 'array') { if (strictEquals(a, b)) return true; return fail('NaN'); }
    if (ta === 'object') return strictEquals(a, b);
    return a === b || (ta === 'null');
  }
  const pair = (x, y) => (ta === x && tb === y) || (ta === y && tb === x);
  const get = (t) => (ta === t ? a : b);
  if (pair('number', 'string')) {
    const n = parseNumber(get('string'));
    if (n === undefined) return fail('NaN');
    return n === get('number');
  }
  if (pair('number', 'boolean')) return get('number') === (get('boolean') ? 1 : 0);
  if (pair('string', 'boolean')) return get('string') === (get('boolean') ? 'true' : 'false');
  if (pair('null', 'number')) return get('number') === 0;
  if (pair('null', 'boolean')) return !get('boolean');
  if (pair('null', 'string')) return get('string') === '';
  if (ta === 'array' || tb === 'array' || ta === 'object' || tb === 'object') return fail('NaN');
  return false;
}

function kind(v) {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Rust's str ordering: by code point (UTF-16 units differ above U+FFFF). */
function compareText(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.codePointAt(i) < b.codePointAt(i) ? -1 : 1;
  }
  return a.length - b.length;
}

/** Ordering (<, <=, >, >=) as compare_ordered does it; strings shaped like times compare as times. */
function ordered(a, b, op) {
  const holds = (order) => (op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0);
  const cmp = (x, y) => holds(x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN);
  if (typeof a === 'number' && typeof b === 'number') return cmp(a, b);
  if (typeof a === 'string' && typeof b === 'string') return holds(timesOrder(a, b) ?? compareText(a, b));
  if (typeof a === 'object' && a !== null) fail('NaN');
  if (typeof b === 'object' && b !== null) fail('NaN');
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== undefined && y !== undefined) return cmp(x, y);
  if ((typeof a === 'number' && typeof b === 'string') || (typeof b === 'number' && typeof a === 'string')) fail('NaN');
  return false;
}

// ==, ===, !=, !== and `in`: two strings shaped like times are equal as times ("1d" == "24h").
const sameLoose = (a, b) => timesEqual(a, b) ?? looseEquals(a, b);
const sameStrict = (a, b) => timesEqual(a, b) ?? strictEquals(a, b);

const catText = (v) => (Array.isArray(v) ? v.map(toText).join('') : toText(v));

function lookup(data, path) {
  if (path === '') return { found: true, value: data };
  let node = data;
  for (const part of String(path).split('.')) {
    if (Array.isArray(node) && /^\d+$/.test(part) && Number(part) < node.length) node = node[Number(part)];
    else if (isObject(node) && Object.hasOwn(node, part)) node = node[part];
    else return { found: false, value: null };
  }
  return { found: true, value: node === undefined ? null : node };
}

/**
 * +, * and - (basic.rs). One argument that evaluates to a list folds over its items,
 * except a list written in the rule itself for + and *, which is an error.
 */
function arithmetic(op, args, values) {
  const fold = (nums) => (op === '+' ? nums.reduce((a, b) => a + b, 0)
    : op === '*' ? nums.reduce((a, b) => a * b, 1) : nums.slice(1).reduce((a, b) => a - b, nums[0]));
  if (values.length === 1 && Array.isArray(values[0])) {
    if (op !== '-' && Array.isArray(args[0])) fail('NaN');
    if (op === '-' && !values[0].length) fail('Invalid Arguments');
    return fold(values[0].map(numberOrFail));
  }
  if (values.length >= 2 && !values.every((v) => !Number.isNaN(toNumber(v) ?? NaN))) {
    // not all numbers: datetimes and durations combine, anything else fails
    const text = op === '*' ? (values.length === 2 ? scaleDuration(op, values[0], values[1], toNumber, null) : null)
      : combineTimes(op, values);
    return text ?? fail('NaN');
  }
  if (op === '-' && values.length === 0) fail('Invalid Arguments');
  if (op === '-' && values.length === 1) return -numberOrFail(values[0]);
  return fold(values.map(numberOrFail));
}

// A whole number the server holds as a 64-bit integer (as_i64).
const isWhole = (v) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= 2 ** 63;

/** A zero divisor: an error between whole numbers, else the dividend's sign saturated. */
function byZero(dividend, dividendIsWhole, divisor) {
  if (dividendIsWhole && isWhole(divisor)) fail('NaN');
  return dividend > 0 ? Number.MAX_VALUE : dividend < 0 ? -Number.MAX_VALUE : 0;
}

const divide = (op, a, b) => (op === '/' ? a / b : a % b);

/** / and % as div_mod.rs: evaluated left to right, stopping at a zero divisor. */
function divMod(op, args, data) {
  if (!args.length) fail('Invalid Arguments');
  if (args.length === 1) {
    const v = run(args[0], data);
    if (Array.isArray(v)) {
      if (!v.length || (op === '%' && v.length < 2)) fail('Invalid Arguments');
      let result = numberOrFail(v[0]);
      for (const [i, x] of v.slice(1).entries()) {
        const n = numberOrFail(x);
        if (n === 0) return byZero(result, i === 0 ? isWhole(v[0]) : isWhole(result), x);
        result = divide(op, result, n);
      }
      return result;
    }
    if (op === '%') fail('Invalid Arguments');
    const n = numberOrFail(v);
    if (n === 0) fail('NaN');
    return 1 / n;
  }
  const first = run(args[0], data);
  if (args.length === 2) {
    const second = run(args[1], data);
    const scaled = op === '/' ? scaleDuration(op, first, second, toNumber, () => fail('NaN')) : null;
    if (scaled !== null) return scaled;
    const a = numberOrFail(first);
    const b = numberOrFail(second);
    return b === 0 ? byZero(a, isWhole(first), second) : divide(op, a, b);
  }
  let result = numberOrFail(first);
  for (const [i, arg] of args.slice(1).entries()) {
    const v = run(arg, data);
    const n = numberOrFail(v);
    if (n === 0) return byZero(result, i === 0 ? isWhole(first) : isWhole(result), v);
    result = divide(op, result, n);
  }
  return result;
}

/** min / max (min_max.rs): numbers only; one argument may evaluate to a list of them. */
function extreme(op, args, values) {
  let nums = values;
  if (values.length === 1 && !Array.isArray(args[0]) && Array.isArray(values[0])) nums = values[0];
  if (nums.length === 0 || nums.some((v) => typeof v !== 'number')) fail('Invalid Arguments');
  let best = nums[0];
  for (const v of nums.slice(1)) if (op === 'max' ? v > best : v < best) best = v;
  return best;
}

function substr(source, start, length) {
  const chars = Array.from(toText(source));
  const n = chars.length;
  let from = Number.isInteger(start) ? start : 0;
  from = from < 0 ? Math.max(n + from, 0) : Math.min(from, n);
  let to = n;
  if (Number.isInteger(length)) to = length < 0 ? Math.max(n + length, from) : Math.min(from + length, n);
  return chars.slice(from, Math.max(from, to)).join('');
}

function missing(keys, data) {
  return keys.filter((k) => !lookup(data, k).found);
}

// How datalogic walks a source: a list item by item, an object by its values, null as
// nothing; a single value is one item to map, nothing to test, and an error to filter.
function iterate(op, args, data) {
  if (args.length < 2) fail('Invalid Arguments');
  const source = run(args[0], data);
  const rule = args[1];
  const object = isObject(source);
  let items = [];
  if (Array.isArray(source)) items = source;
  else if (object) items = Object.values(source);
  else if (source !== null && op === 'map') items = [source];
  else if (source !== null && op === 'filter') fail('Invalid Arguments');
  const test = (x) => truthy(run(rule, x));
  if (op === 'map') return items.map((x) => run(rule, x));
  if (op === 'filter') {
    if (object) return Object.fromEntries(Object.entries(source).filter(([, x]) => test(x)));
    return items.filter(test);
  }
  if (op === 'all') return items.length > 0 && items.every(test);
  if (op === 'some') return items.some(test);
  if (op === 'none') return !items.some(test);
  let acc = args.length > 2 ? run(args[2], data) : null;
  for (const current of items) acc = run(rule, { current, accumulator: acc });
  return acc;
}

// Operators that evaluate their arguments one by one and may stop early, as the server's
// do: a later argument that would fail is then never evaluated.
const LAZY = new Set(['if', 'and', 'or', 'map', 'filter', 'reduce', 'all', 'none', 'some',
  '==', '===', '!=', '!==', '<', '<=', '>', '>=', '!', '!!', '/', '%']);

function run(rule, data) {
  if (Array.isArray(rule)) return rule.map((r) => run(r, data));
  if (!isObject(rule)) return rule === undefined ? null : rule;
  const [op] = Object.keys(rule);
  let args = rule[op];
  if (!Array.isArray(args)) args = [args];
  if (LAZY.has(op)) return lazy(op, args, data);
  const values = args.map((a) => run(a, data));
  switch (op) {
    case 'var': {
      const found = lookup(data, values[0] ?? '');
      return found.found ? found.value : (values.length > 1 ? values[1] : null);
    }
    case 'missing': return missing(Array.isArray(values[0]) ? values[0] : values, data);
    case 'missing_some': {
      const keys = Array.isArray(values[1]) ? values[1] : [];
      const absent = missing(keys, data);
      return keys.length - absent.length >= values[0] ? [] : absent;
    }
    case 'max': case 'min': return extreme(op, args, values);
    case '+': case '-': case '*': return arithmetic(op, args, values);
    case 'merge': return values.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== null);
    case 'in': {
      const [needle, hay] = values;
      if (typeof hay === 'string') return typeof needle === 'string' && hay.includes(needle);
      return Array.isArray(hay) && hay.some((x) => sameStrict(needle, x));
    }
    case 'cat': return values.map(catText).join('');
    case 'substr': return substr(values[0], values[1], values[2]);
    default: return fail(`unknown operator ${op}`);
  }
}

function compare(op, args, data) {
  if (args.length < 2) fail('Invalid Arguments');
  if (op === '!=' || op === '!==') {
    const eq = op === '!==' ? sameStrict : sameLoose;
    return !eq(run(args[0], data), run(args[1], data));
  }
  const first = run(args[0], data);
  let prev = first;
  for (const arg of args.slice(1)) {
    const cur = run(arg, data);
    const holds = op === '==' ? sameLoose(first, cur)
      : op === '===' ? sameStrict(first, cur) : ordered(prev, cur, op);
    if (!holds) return false;
    prev = cur;
  }
  return true;
}

function lazy(op, args, data) {
  if (op === '/' || op === '%') return divMod(op, args, data);
  if (op === '!') return !truthy(args.length ? run(args[0], data) : null);
  if (op === '!!') return args.length > 0 && truthy(run(args[0], data));
  if (op[0] === '=' || op[0] === '!' || op[0] === '<' || op[0] === '>') return compare(op, args, data);
  if (op === 'if') {
    let i = 0;
    for (; i + 1 < args.length; i += 2) if (truthy(run(args[i], data))) return run(args[i + 1], data);
    return i < args.length ? run(args[i], data) : null;
  }
  if (op === 'and' || op === 'or') {
    let last = null;
    for (const a of args) {
      last = run(a, data);
      if (truthy(last) === (op === 'or')) return last;
    }
    return last;
  }
  return iterate(op, args, data);
}

/** The rule's value for `data`, or null when it fails at run time. */
export function applyRule(rule, data) {
  try {
    return run(rule, data);
  } catch (err) {
    if (err instanceof RuleError) return null;
    throw err;
  }
}
