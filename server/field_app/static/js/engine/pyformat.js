// Python's number rounding and text formatting, reproduced exactly.
//
// The server writes scores with Python's round() (correctly rounded, ties to
// even) and error messages with f-strings ({x:g}, {x!r}); the preview must
// show the very same numbers and words, so these are ports, not look-alikes.

/** Python's round(x, digits): the decimal nearest to x, an exact tie going to the even digit. */
export function pyRound(x, digits) {
  if (!Number.isFinite(x) || x === 0) return x + 0;
  const sign = x < 0 ? -1 : 1;
  const abs = Math.abs(x);
  if (abs >= 1e21) return x;
  const scaled = abs * 10 ** digits;
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-6) return sign * Number(abs.toFixed(digits)) + 0; // no tie near
  // toFixed rounds the exact binary value correctly but sends ties up; a double that is an
  // exact tie has at most digits+1 decimals, so 30 more digits show whether it is one.
  const exact = abs.toFixed(Math.min(100, digits + 30));
  const point = exact.indexOf('.');
  const tail = exact.slice(point + 1 + digits);
  let text = abs.toFixed(digits);
  if (/^50*$/.test(tail)) {
    const down = digits === 0 ? exact.slice(0, point) : exact.slice(0, point + 1 + digits);
    if (Number(down[down.length - 1]) % 2 === 0) text = down;
  }
  return sign * Number(text) + 0;
}

/** checklists.report.round_points: points to 4 decimals, never -0. */
export const roundPoints = (x) => pyRound(x, 4) + 0;
/** checklists.report.round_percent: percents to 2 decimals. */
export const roundPercent = (x) => pyRound(x, 2) + 0;

/** Python's repr() of a float (both languages print the shortest round-trip digits). */
function floatRepr(x) {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}`;
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) return `${x}`;
  const [mantissa, exp] = x.toExponential().split('e');
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** explain.num: a point value as people write it (3, 2.5, 0.25). */
export function num(x) {
  const r = pyRound(x, 4) + 0;
  return Number.isInteger(r) ? `${r}` : floatRepr(r);
}

/** Python's f"{x:g}" (six significant digits, exponent outside 1e-4 .. 1e6). */
export function formatG(x) {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : (x > 0 ? 'inf' : '-inf');
  const [mantissa, exp] = x.toExponential(5).split('e');
  const e = Number(exp);
  const strip = (s) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (e >= -4 && e < 6) return strip(x.toFixed(5 - e));
  return `${strip(mantissa)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function stringRepr(s) {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0);
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python's repr() of a JSON value (a number reads as an int when it is integral). */
export function pyRepr(value) {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return floatRepr(value);
  if (typeof value === 'string') return stringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${stringRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}
