// The upload states the Sync screen words, and the per-chunk checksum header (node --test;
// run from tests/unit/field_app/test_js.py).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';

const STATIC = '../../../../server/field_app/static/js/';
const { percent, stateText } = await import(STATIC + 'screens/photo_list.js');
const { checksumHeader } = await import(STATIC + 'upload_checksum.js');
const { zh, en } = await import(STATIC + 'i18n/uploads.js');
const { addTexts, translator } = await import(STATIC + 'i18n.js');

test('a photo reads 100 % only once the server has it all', () => {
  assert.equal(percent(0, 1000, 'waiting'), 0);
  assert.equal(percent(999, 1000, 'uploading'), 99);
  assert.equal(percent(1000, 1000, 'uploading'), 99);   // sent, not yet answered
  assert.equal(percent(1000, 1000, 'done'), 100);
  assert.equal(percent(5, 0, 'uploading'), 0);
});

test('each upload state is worded, a refusal and a failed try with their reason', () => {
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  addTexts({ zh, en });
  const t = translator('zh');
  const sha256 = 'a'.repeat(64);
  assert.equal(stateText(t, { sha256, state: 'waiting' }), '等待上传');
  assert.equal(stateText(t, { sha256, state: 'waiting', error: 'HTTP 502' }), '等待重试（上次：HTTP 502）');
  assert.equal(stateText(t, { sha256, state: 'uploading', sent: 512, total: 1024 }), '上传中 50%');
  assert.equal(stateText(t, { sha256, state: 'done' }), '已上传');
  assert.equal(stateText(translator('en'), { sha256, state: 'refused', error: 'damaged JPEG header' }),
    'Refused by the server: damaged JPEG header');
});

test('a chunk is named by the base64 of its SHA-1, whatever holds its bytes', async () => {
  const bytes = new TextEncoder().encode('a chunk of a photo');
  const expected = `sha1 ${createHash('sha1').update(bytes).digest('base64')}`;
  assert.equal(await checksumHeader(new Blob([bytes])), expected);
  assert.equal(await checksumHeader(bytes.buffer), expected);
  assert.equal(await checksumHeader(bytes), expected);
});
