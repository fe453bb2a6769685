// The label payload parsers: a checkpoint's QR/NFC payload is its tag code, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tagFromBarcode, tagFromJsQr, tagFromNdef, tagFromText, tagFromTyped,
} from '../../../server/field_app/static/js/scan/payload.js';

const bytes = (text) => [...new TextEncoder().encode(text)];

test('a label holds the tag exactly: nothing trimmed, nothing added', () => {
  assert.equal(tagFromText('TAG-1'), 'TAG-1');
  assert.equal(tagFromText(' TAG-1'), ' TAG-1');
  assert.equal(tagFromText('北门-01'), '北门-01');
});

test('blank, missing or over-long payloads are no tag', () => {
  for (const text of ['', '   ', null, undefined, 42, 'x'.repeat(257)]) {
    assert.equal(tagFromText(text), null, String(text));
  }
  assert.equal(tagFromText('x'.repeat(256)), 'x'.repeat(256));
});

test('jsQR results are read from their UTF-8 bytes (Chinese tags), else from their text', () => {
  assert.equal(tagFromJsQr({ data: 'åŒ—é—¨', binaryData: bytes('北门') }), '北门');
  assert.equal(tagFromJsQr({ data: 'TAG-2', binaryData: [] }), 'TAG-2');
  assert.equal(tagFromJsQr({ data: 'ok', binaryData: [0xff, 0xfe] }), 'ok');  // not UTF-8
  assert.equal(tagFromJsQr(null), null);
  assert.equal(tagFromJsQr({ data: '', binaryData: [] }), null);
});

test('BarcodeDetector results give their rawValue', () => {
  assert.equal(tagFromBarcode({ rawValue: 'TAG-3', format: 'qr_code' }), 'TAG-3');
  assert.equal(tagFromBarcode(undefined), null);
});

test('NFC: the first text or URL record holding a tag, in its declared encoding', () => {
  const text = (t, encoding = 'utf-8') => ({ recordType: 'text', encoding,
    data: new DataView(new TextEncoder().encode(t).buffer) });
  const utf16 = { recordType: 'text', encoding: 'utf-16le',
    data: new DataView(new Uint8Array([0x17, 0x53, 0xe8, 0x95]).buffer) };  // 北门
  assert.equal(tagFromNdef({ records: [{ recordType: 'mime', data: new DataView(new ArrayBuffer(2)) },
    text('TAG-4')] }), 'TAG-4');
  assert.equal(tagFromNdef({ records: [utf16] }), '北门');
  assert.equal(tagFromNdef({ records: [text('  ')] }), null);
  assert.equal(tagFromNdef({ records: [] }), null);
  assert.equal(tagFromNdef(undefined), null);
});

test('a typed code loses the spaces the keyboard added', () => {
  assert.equal(tagFromTyped('  TAG-5 \n'), 'TAG-5');
  assert.equal(tagFromTyped('   '), null);
});
