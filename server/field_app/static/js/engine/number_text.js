// Values as text the way the server's evaluator writes them (datalogic-rs data_to_str),
// for cat and substr.
//
// The server keeps a number as a 64-bit integer or a float. Arithmetic results are
// integers whenever they are whole and fit (10 / 2 is 5, written "5"), so JavaScript's one
// number type writes them alike. A float stays a float only when it is passed through
// unchanged — a literal 5.0 in a rule, or an answer sent as 5.0 — and the server writes it
// "5.0": JSON.parse has already turned it into 5 here, so checklists/expressions.py
// refuses whole-number literals written as decimals in rules that use cat or substr, and
// the app never sends 5.0. Whole numbers beyond ±2^63 can only be floats on the server.

const TWO_63 = 2 ** 63;

/** Shortest round-trip digits and decimal exponent: x = 0.d1d2… × 10^point. */
function shortestDigits(x) {
  const [mantissa, exp] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  return { digits, point: Number(exp) + 1 };
}

/** Positional notation with the shortest round-trip digits (Rust's f64 Display). */
function positional(x) {
  const { digits, point } = shortestDigits(x);
  const sign = x < 0 ? '-' : '';
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Rust's f64 Debug beyond ±1e16: "1e20", "1.2345678901234568e20". */
function scientific(x) {
  const { digits, point } = shortestDigits(x);
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${x < 0 ? '-' : ''}${mantissa}e${point - 1}`;
}

/** An integer the server holds as i64 (whole and within range; ±2^63 saturate there). */
const isServerInteger = (x) => Number.isInteger(x) && Math.abs(x) <= TWO_63;

function integerText(x) {
  if (x === TWO_63) return '9223372036854775807';
  return BigInt(x).toString();  // no sign on -0
}

/** A number as cat writes it: integers plainly, floats positionally, huge floats in e-form. */
export function numberText(x) {
  if (!Number.isFinite(x)) return 'null';
  if (isServerInteger(x)) return integerText(x);
  if (Number.isInteger(x)) return scientific(x);
  return positional(x);
}

/** A float inside JSON text (the server's ryu-style emitter): e-form below 1e-5 and from 1e16. */
function jsonFloat(x) {
  const { point } = shortestDigits(x);
  return point > 16 || point <= -5 ? scientific(x) : positional(x);
}

/** A list or object as the server writes it into text: compact JSON. */
export function jsonText(v) {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return 'null';
    return isServerInteger(v) ? integerText(v) : jsonFloat(v);
  }
  if (typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jsonText).join(',')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${jsonText(x)}`).join(',')}}`;
}

/** datalogic's data_to_str: how cat and substr read a value as text. */
export function toText(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return numberText(v);
  return jsonText(v);
}
