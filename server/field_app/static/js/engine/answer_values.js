// Per-type checks of an answer's value (checklists/answer_values.py), same messages.
import { formatG, pyRepr } from './pyformat.js';

const SHA256 = /^[0-9a-f]{64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;
const MAX_CODE_LENGTH = 256;

export const isSha256 = (v) => typeof v === 'string' && SHA256.test(v);
export const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** Python's len() of a str counts code points, not UTF-16 units. */
export const pyLen = (s) => Array.from(s).length;
const blank = (s) => s.trim() === ''; // str.strip() and trim() agree on the blanks people type

function validDate(text) {
  const [y, m, d] = text.split('-').map(Number);
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(2000, m, 0)).getUTCDate() - (m === 2 && !leap(y) ? 1 : 0);
}
const leap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function validTime(text) {
  const [h, m, s = 0] = text.split(':').map(Number);
  return h < 24 && m < 60 && s < 60;
}

const optionList = (item) => item.options.map((o) => o.id).join(', ');

const CHECKERS = {
  check: (item, v) => (v === 'pass' || v === 'fail' ? null : "must be 'pass' or 'fail'"),
  choice(item, v) {
    const known = new Map(item.options.map((o) => [o.id, o]));
    if (item.multiple) {
      if (!Array.isArray(v) || !v.length) return 'must be a non-empty list of option ids';
      const bad = v.filter((x) => typeof x !== 'string' || !known.has(x));
      if (bad.length) return `unknown option ${pyRepr(bad[0])} (options: ${optionList(item)})`;
      if (new Set(v).size !== v.length) return 'an option is picked twice';
      const alone = v.filter((x) => known.get(x).exclusive);
      if (alone.length && v.length > 1) {
        const label = known.get(alone[0]).label;
        return `${pyRepr(alone[0])} (${label.zh} / ${label.en}) excludes every other option: pick it alone`;
      }
      return null;
    }
    if (typeof v !== 'string' || !known.has(v)) return `must be one of the option ids: ${optionList(item)}`;
    return null;
  },
  reading(item, v) {
    if (!isNumber(v)) return 'must be a number';
    const limits = item.limits;
    if (limits && !((limits.min == null || v >= limits.min) && (limits.max == null || v <= limits.max))) {
      const low = limits.min == null ? '…' : formatG(limits.min);
      const high = limits.max == null ? '…' : formatG(limits.max);
      return `${formatG(v)} is outside the plausible range [${low}, ${high}] (a typo?)`;
    }
    return null;
  },
  text(item, v) {
    if (typeof v !== 'string') return 'must be a string';
    return pyLen(v) > item.max_length ? `longer than ${item.max_length} characters` : null;
  },
  signature(item, v) {
    const keys = isPlainObject(v) ? Object.keys(v).sort() : [];
    if (keys.length !== 2 || keys[0] !== 'image' || keys[1] !== 'signer') {
      return 'must be {signer: name, image: sha256 of the signature image}';
    }
    if (typeof v.signer !== 'string' || blank(v.signer)) return 'signer must be a non-blank name';
    if (!isSha256(v.image)) return 'image must be a sha256 (64 lowercase hex digits)';
    return null;
  },
  checkpoint(item, v) {
    if (typeof v !== 'string' || blank(v) || pyLen(v) > MAX_CODE_LENGTH) {
      return `must be the scanned tag code (1-${MAX_CODE_LENGTH} characters)`;
    }
    return null;
  },
  date: (item, v) => (typeof v === 'string' && DATE.test(v) && validDate(v) ? null : 'must be a date YYYY-MM-DD'),
  time: (item, v) => (typeof v === 'string' && TIME.test(v) && validTime(v) ? null : 'must be a time HH:MM or HH:MM:SS'),
  calculate: () => 'a calculated item is computed, not answered',
  photo: () => "photo items take no value: list the photos under 'photos'",
};

/** Why `value` is not a valid answer to `item` (null when it is). */
export function valueError(item, value) {
  return CHECKERS[item.type](item, value);
}
