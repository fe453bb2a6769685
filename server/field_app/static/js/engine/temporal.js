// Strings shaped like datetimes and durations, read the way the server's evaluator reads
// them (datalogic-rs 5.9 through datalogic-py; its times are datavalue's DataDateTime and
// DataDuration over chrono). The rules, found in its source and confirmed by probing
// datalogic_py, are written down in checklists/expressions.py; in short:
//
// - a datetime is RFC 3339 ("2026-01-01T08:00:00+08:00", "…Z", fractions, "t"/" " also
//   separate date and time) or "%Y-%m-%dT%H:%M:%S" read as UTC ("2026-1-1T8:0:0" too);
//   "2026-01-01" alone is not one;
// - a duration is groups of <integer><d|h|m|s>, each unit at most once: compact ("1d2h",
//   "-1d2h" = -22h) or colon-separated ("1d:-2h:3m", one group per part);
// - ==, ===, !=, !== and `in` compare two such strings as instants / lengths when both
//   start with a digit and look temporal (see couldBeTemporal); <, <=, >, >= likewise;
// - + - * / on them compute times and answer text ("1d:2h:0m:0s", "2026-01-02T00:00:00Z").
//
// Values here are BigInt so that chrono's i64 limits and saturation come out the same.

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);
const NS = 1_000_000_000n;
/** chrono's Duration::MAX / MIN: ±i64::MAX milliseconds (here in nanoseconds). */
const DURATION_MAX = I64_MAX * 1_000_000n;
const DURATION_MIN = -DURATION_MAX;
const UNIT_SECONDS = { d: 86_400n, h: 3_600n, m: 60n, s: 1n };

class Duration { constructor(ns) { this.ns = ns; } }
class DateTime { constructor(secs, nanos) { this.secs = secs; this.nanos = nanos; } }

const inI64 = (v) => v >= I64_MIN && v <= I64_MAX;

// ---- durations -------------------------------------------------------------------------

const COMPACT = /^(?:-?\d+[dhms])+$/;
const COMPACT_GROUP = /(-?\d+)([dhms])/g;
const COLON_PART = /^([+-]?\d+)([dhms])$/;

/** DataDuration::parse: null when `s` is not a duration. */
export function parseDuration(s) {
  let groups;
  if (s.includes(':')) {
    groups = s.split(':').map((part) => COLON_PART.exec(part));
    if (groups.some((g) => g === null)) return null;
  } else {
    if (!COMPACT.test(s)) return null;
    groups = [...s.matchAll(COMPACT_GROUP)];
  }
  const amounts = {};
  for (const [, digits, unit] of groups) {
    if (unit in amounts) return null;
    const n = BigInt(digits);
    if (!inI64(n)) return null;
    amounts[unit] = n;
  }
  let total = 0n;
  for (const unit of ['d', 'h', 'm', 's']) {  // checked arithmetic, in the server's order
    const part = (amounts[unit] ?? 0n) * UNIT_SECONDS[unit];
    total += part;
    if (!inI64(part) || !inI64(total)) return null;
  }
  if (total > I64_MAX / 1000n) return new Duration(DURATION_MAX);
  if (total < I64_MIN / 1000n) return new Duration(DURATION_MIN);
  return new Duration(total * NS);
}

/** chrono's num_seconds: whole seconds, truncated toward zero. */
const wholeSeconds = (d) => d.ns / NS;

function formatDuration(d) {
  const total = wholeSeconds(d);
  return `${total / 86_400n}d:${(total % 86_400n) / 3_600n}h:${(total % 3_600n) / 60n}m:${total % 60n}s`;
}

/** DataDuration::saturate of a number of seconds (multiply, divide); ±infinity saturates. */
function durationOfSeconds(seconds) {
  if (seconds > Number(I64_MAX) / 1000) return new Duration(DURATION_MAX);
  if (seconds < Number(I64_MIN) / 1000) return new Duration(DURATION_MIN);
  const whole = BigInt(Math.trunc(seconds));
  return new Duration(whole > I64_MAX / 1000n || whole < -(I64_MAX / 1000n) ? DURATION_MAX : whole * NS);
}

function addDurations(a, b, sign) {
  const ns = a.ns + sign * b.ns;
  if (ns >= DURATION_MIN && ns <= DURATION_MAX) return new Duration(ns);
  const up = sign > 0n ? wholeSeconds(a) > 0n || wholeSeconds(b) > 0n : wholeSeconds(a) > wholeSeconds(b);
  return new Duration(up ? DURATION_MAX : DURATION_MIN);
}

// ---- datetimes -------------------------------------------------------------------------

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function civilDays(y, m, d) {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

function civilDate(days) {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, doy - Math.floor((153 * mp + 2) / 5) + 1];
}

const leapYear = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
// chrono's NaiveDate range, and DateTime<Utc>::MIN_UTC / MAX_UTC
const MIN_YEAR = -262_143;
const MAX_YEAR = 262_142;
const MIN_UTC = new DateTime(BigInt(civilDays(MIN_YEAR, 1, 1)) * 86_400n, 0n);
const MAX_UTC = new DateTime(BigInt(civilDays(MAX_YEAR, 12, 31)) * 86_400n + 86_399n, NS - 1n);

/** A DateTime from fields, or null when chrono would refuse them. Second 60 is a leap second. */
function dateTimeOf(y, mo, d, h, mi, s, nanos, offsetSeconds) {
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1) return null;
  if (d > (mo === 2 && leapYear(y) ? 29 : MONTH_DAYS[mo - 1])) return null;
  if (h > 23 || mi > 59 || s > 60) return null;
  const leap = s === 60 ? NS : 0n;
  const secs = BigInt(civilDays(y, mo, d)) * 86_400n + BigInt(h * 3600 + mi * 60 + Math.min(s, 59));
  return new DateTime(secs - BigInt(offsetSeconds), nanos + leap);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:[Zz]|([+\-\u2212])(\d{2}):([0-5]\d))$/;

function parseRfc3339(s) {
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  const nanos = m[7] ? BigInt(m[7].slice(0, 9).padEnd(9, '0')) : 0n;
  let offset = 0;
  if (m[8]) {
    offset = Number(m[9]) * 3600 + Number(m[10]) * 60;
    if (offset > (23 * 60 + 59) * 60) return null;
    if (m[8] !== '+') offset = -offset;
  }
  return dateTimeOf(y, mo, d, h, mi, sec, nanos, offset);
}

/** chrono's parse of "%Y-%m-%dT%H:%M:%S": numbers may be short and follow blanks. */
function parseNaive(s) {
  let rest = s;
  const fields = [];
  const widths = [4, 2, 2, 2, 2, 2];
  const separators = ['-', '-', 'T', ':', ':', ''];
  for (let i = 0; i < 6; i += 1) {
    rest = rest.trimStart();
    const signed = i === 0 && (rest[0] === '+' || rest[0] === '-');
    const m = (signed ? /^([+-])(\d+)/ : new RegExp(`^()(\\d{1,${widths[i]}})`)).exec(rest);
    if (!m) return null;
    const value = BigInt(m[2]) * (m[1] === '-' ? -1n : 1n);
    if (!inI64(value)) return null;
    fields.push(value);
    rest = rest.slice(m[0].length);
    if (!rest.startsWith(separators[i])) return null;
    rest = rest.slice(separators[i].length);
  }
  if (rest !== '' || fields[0] < -(2n ** 31n) || fields[0] >= 2n ** 31n) return null;
  const [y, mo, d, h, mi, sec] = fields.map(Number);
  return dateTimeOf(y, mo, d, h, mi, sec, 0n, 0);
}

/** DataDateTime::parse: null when `s` is not a datetime. */
export function parseDateTime(s) {
  return parseRfc3339(s) ?? parseNaive(s);
}

const compareDateTimes = (a, b) => (a.secs !== b.secs ? (a.secs < b.secs ? -1 : 1)
  : a.nanos === b.nanos ? 0 : (a.nanos < b.nanos ? -1 : 1));

const pad = (n, width) => String(n).padStart(width, '0');

/** to_iso_string: whole seconds in UTC; years beyond 0–9999 carry a sign (RFC 3339 form). */
function formatDateTime(dt) {
  const days = dt.secs / 86_400n - (dt.secs % 86_400n < 0n ? 1n : 0n);
  const [y, mo, d] = civilDate(Number(days));
  const daySecs = Number(dt.secs - days * 86_400n);
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : `${y < 0 ? '-' : '+'}${pad(Math.abs(y), 4)}`;
  return `${year}-${pad(mo, 2)}-${pad(d, 2)}T${pad(Math.floor(daySecs / 3600), 2)}:`
    + `${pad(Math.floor((daySecs % 3600) / 60), 2)}:${pad(daySecs % 60, 2)}Z`;
}

/** chrono's checked_add_signed; a time inside a leap second leaves it as chrono does. */
function shift(dt, d, sign) {
  const delta = sign * d.ns;
  let { secs, nanos } = dt;
  if (nanos >= NS) {
    const deltaSecs = delta / NS;
    const deltaFrac = delta % NS;
    if (deltaSecs > 0n || (deltaFrac > 0n && nanos >= 2n * NS - deltaFrac)) nanos -= NS;
    else if (deltaSecs < 0n) { nanos -= NS; secs += 1n; } else return new DateTime(secs, nanos + deltaFrac);
  }
  const total = secs * NS + nanos + delta;
  const whole = total / NS - (total % NS < 0n ? 1n : 0n);
  const moved = new DateTime(whole, total - whole * NS);
  if (compareDateTimes(moved, MAX_UTC) > 0 || compareDateTimes(moved, MIN_UTC) < 0) {
    const up = sign > 0n ? wholeSeconds(d) > 0n : wholeSeconds(d) < 0n;
    return up ? MAX_UTC : MIN_UTC;
  }
  return moved;
}

const secondOfDay = (dt) => ((dt.secs % 86_400n) + 86_400n) % 86_400n;

/** chrono's signed_duration_since: a leap second counts once it is passed. */
function between(a, b) {
  let secs = a.secs - b.secs;
  if (secondOfDay(a) > secondOfDay(b) && b.nanos >= NS) secs += 1n;
  else if (secondOfDay(a) < secondOfDay(b) && a.nanos >= NS) secs -= 1n;
  return new Duration(secs * NS + a.nanos - b.nanos);
}

// ---- what the operators do with them ---------------------------------------------------

/** A value as a datetime, else as a duration, else null (extract_dt_dur). */
function temporal(v) {
  if (typeof v !== 'string') return null;
  return parseDateTime(v) ?? parseDuration(v);
}

const UTF8 = new TextEncoder();

/** The server's cheap gate before it tries to read two values as times. */
function couldBeTemporal(s) {
  const first = s.charCodeAt(0);
  if (!(first >= 0x30 && first <= 0x39)) return false;  // most text stops here
  const bytes = UTF8.encode(s);  // the server looks at UTF-8 bytes
  return bytes.length >= 2 && ((bytes.length >= 10 && bytes[4] === 0x2d) || /[dhms]/.test(s));
}

const ISO_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;

/** Two ISO timestamps written alike (same length, fraction and zone) compare as text. */
function sameIsoShape(a, b) {
  const ma = ISO_SHAPE.exec(a);
  const mb = ISO_SHAPE.exec(b);
  return ma !== null && mb !== null && a.length === b.length
    && (ma[1] ?? '').length === (mb[1] ?? '').length && (ma[2] ?? '') === (mb[2] ?? '');
}

/** How two strings compare as times: -1, 0, 1, or null when they are not compared as times. */
function compareAsTimes(a, b) {
  const da = parseDateTime(a);
  const db = parseDateTime(b);
  if (da && db) return compareDateTimes(da, db);
  const ua = da ? null : parseDuration(a);
  const ub = db ? null : parseDuration(b);
  if (ua && ub) return ua.ns === ub.ns ? 0 : (ua.ns < ub.ns ? -1 : 1);
  return null;
}

/**
 * Equality of two values as times (==, ===, !=, !==, `in` a list): true or false, or
 * undefined when they are not compared as times and ordinary equality decides.
 */
export function timesEqual(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string') return undefined;
  if (!couldBeTemporal(a) || !couldBeTemporal(b)) return undefined;
  if (sameIsoShape(a, b)) return a === b;
  const order = compareAsTimes(a, b);
  return order === null ? undefined : order === 0;
}

/**
 * Ordering of two strings as <, <=, >, >= do: a number (<0, 0, >0), or null when they are
 * compared as text.
 */
export function timesOrder(a, b) {
  if (!couldBeTemporal(a) || !couldBeTemporal(b) || sameIsoShape(a, b)) return null;
  return compareAsTimes(a, b);
}

const asText = (v) => (v instanceof DateTime ? formatDateTime(v) : formatDuration(v));

/**
 * + and - over datetimes and durations, folded left to right: datetime ± duration is a
 * datetime, datetime - datetime and duration ± duration a duration. The text of the
 * result, or null when an operand is not a time or the pair cannot combine.
 */
export function combineTimes(op, values) {
  let acc = temporal(values[0]);
  for (const v of values.slice(1)) {
    const t = temporal(v);
    if (acc === null || t === null) return null;
    const sign = op === '+' ? 1n : -1n;
    if (acc instanceof Duration && t instanceof Duration) acc = addDurations(acc, t, sign);
    else if (acc instanceof DateTime && t instanceof Duration) acc = shift(acc, t, sign);
    else if (op === '+' && acc instanceof Duration && t instanceof DateTime) acc = shift(t, acc, 1n);
    else if (op === '-' && acc instanceof DateTime && t instanceof DateTime) acc = between(acc, t);
    else return null;
  }
  return acc === null ? null : asText(acc);
}

/**
 * duration * number (either order) and duration / number; `factorOf` reads the other
 * operand as a number (undefined when it is not one). The text of the scaled duration,
 * null when the pair is not of that shape, or what `onZero()` does for a zero divisor.
 */
export function scaleDuration(op, a, b, factorOf, onZero) {
  const ta = temporal(a);
  const tb = temporal(b);
  let d = ta instanceof Duration && tb === null ? ta : null;
  let factor = d ? factorOf(b) : null;
  if (op === '*' && d === null && tb instanceof Duration && ta === null) {
    d = tb;
    factor = factorOf(a);
  }
  if (d === null || factor === null || factor === undefined || !Number.isFinite(factor)) return null;
  const seconds = Number(wholeSeconds(d));
  if (op === '*') return formatDuration(durationOfSeconds(seconds * factor));
  if (factor === 0) return onZero();
  if (Math.abs(factor) < Number.EPSILON) return formatDuration(new Duration(DURATION_MAX));
  return formatDuration(durationOfSeconds(seconds / factor));
}
