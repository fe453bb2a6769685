// Times on the device's clock, as "11/29 20:03" (zh) or "29/11, 20:03" (en): month, day,
// hour and minute in the device's time zone, exactly what Intl.DateTimeFormat gives for
// zh-CN and en-GB (tests/unit/field_app/js/local_time.test.mjs compares them). Written out
// by hand because the first Intl formatter a page makes loads the locale's ICU data: about
// 40 ms of CPU, 150 ms on a slow phone, on the way to the first screen.

const two = (n) => String(n).padStart(2, '0');

/** `iso` (any Date.parse-able time) on the device's clock in `lang`; '' when empty. */
export function formatTime(iso, lang) {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return String(iso); // not a time: shown as it came
  const time = `${two(at.getHours())}:${two(at.getMinutes())}`;
  return lang === 'zh' ? `${at.getMonth() + 1}/${at.getDate()} ${time}`
    : `${two(at.getDate())}/${two(at.getMonth() + 1)}, ${time}`;
}
