// The device's clock as text: times shown to the user ("11/29 20:03" in zh, "29/11, 20:03"
// in en: what Intl.DateTimeFormat gives for zh-CN and en-GB, compared by tests/unit/
// field_app/js/local_time.test.mjs), "HH:MM", and ISO 8601 with the device's UTC offset
// (what the Python client sends as client_ts, finished_at, a scan's time...). Written out by
// hand because the first Intl formatter a page makes loads the locale's ICU data: about
// 40 ms of CPU, 150 ms on a slow phone, on the way to the first screen.

const pad = (n, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');

/** `HH:MM` of `date` on the device's clock. */
export function hhmm(date) {
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `iso` (any Date.parse-able time) on the device's clock in `lang`; '' when empty. */
export function formatTime(iso, lang) {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return String(iso); // not a time: shown as it came
  return lang === 'zh' ? `${at.getMonth() + 1}/${at.getDate()} ${hhmm(at)}`
    : `${pad(at.getDate())}/${pad(at.getMonth() + 1)}, ${hhmm(at)}`;
}

/** ISO 8601 on the device's clock with its UTC offset, to the second (`millis`: to the
 *  millisecond): `2026-11-29T22:15:00+08:00`. */
export function deviceTime(date = new Date(), { millis = false } = {}) {
  const off = -date.getTimezoneOffset();
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${hhmm(date)}:${pad(date.getSeconds())}${millis ? `.${pad(date.getMilliseconds(), 3)}` : ''}` +
    `${off >= 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`;
}
