// formatTime writes out by hand what Intl.DateTimeFormat says for zh-CN and en-GB
// (js/local_time.js): compared over a year of times in zones east and west of UTC,
// including ones with daylight saving.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { formatTime } from '../../../../server/field_app/static/js/local_time.js';

const OPTIONS = { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' };
const ZONES = ['Asia/Shanghai', 'UTC', 'Europe/London', 'America/New_York', 'Pacific/Chatham'];

test('formatTime matches Intl for both languages in every zone', () => {
  const saved = process.env.TZ;
  try {
    for (const zone of ZONES) {
      process.env.TZ = zone; // Node applies a changed TZ to Date and to new formatters
      const zh = new Intl.DateTimeFormat('zh-CN', OPTIONS), en = new Intl.DateTimeFormat('en-GB', OPTIONS);
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 7 * 3600e3 + 13 * 60e3) {
        const iso = new Date(ms).toISOString();
        assert.equal(formatTime(iso, 'zh'), zh.format(new Date(ms)), `${zone} ${iso} zh`);
        assert.equal(formatTime(iso, 'en'), en.format(new Date(ms)), `${zone} ${iso} en`);
      }
    }
  } finally {
    if (saved === undefined) delete process.env.TZ; else process.env.TZ = saved;
  }
});

test('an empty time is blank and a time that is not one is shown as it came', () => {
  assert.equal(formatTime(null, 'zh'), '');
  assert.equal(formatTime('', 'en'), '');
  assert.equal(formatTime('soon', 'en'), 'soon');
});
