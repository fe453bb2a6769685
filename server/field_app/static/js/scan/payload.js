// What a checkpoint's label or tag holds, read back into its tag code.
//
// The server prints each checkpoint's QR label from its tag code and nothing else
// (server/services/patrol/labels.py: `segno.make(tag)`), and matches a scan against the
// site's tags byte for byte (checklists/patrol/judge.py). So the payload IS the tag: no
// prefix, no URL, no trimming (a tag may hold any non-blank text up to 256 characters).
// Decoders differ only in how they hand the bytes over; these functions take each form.

import { MAX_TAG_LENGTH } from '../patrol/round.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The tag code of a label's text, or null when it is no tag code (blank or too long). */
export function tagFromText(text) {
  if (typeof text !== 'string' || !text.trim() || text.length > MAX_TAG_LENGTH) return null;
  return text;
}

/**
 * The tag code of a jsQR result `{data, binaryData}`. segno writes non-ASCII tags (Chinese
 * names) as UTF-8 bytes; jsQR's own text may garble them, so the bytes are decoded first.
 */
export function tagFromJsQr(code) {
  if (!code) return null;
  if (code.binaryData && code.binaryData.length) {
    try {
      return tagFromText(utf8.decode(Uint8Array.from(code.binaryData)));
    } catch (_) { /* not UTF-8 (a Kanji-mode code): jsQR's text below */ }
  }
  return tagFromText(code.data);
}

/** The tag code of a `BarcodeDetector` result (`rawValue`, already text). */
export function tagFromBarcode(barcode) {
  return barcode ? tagFromText(barcode.rawValue) : null;
}

/**
 * The tag code of a Web NFC `NDEFMessage`: the first text or URL record (a tag written with
 * the checkpoint's code, like its QR label). A text record names its encoding.
 */
export function tagFromNdef(message) {
  for (const record of (message && message.records) || []) {
    if (record.recordType !== 'text' && record.recordType !== 'url') continue;
    const encoding = record.recordType === 'text' ? record.encoding || 'utf-8' : 'utf-8';
    let text;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(record.data);
    } catch (_) {
      continue;
    }
    const tag = tagFromText(text);
    if (tag) return tag;
  }
  return null;
}

/**
 * A typed code as the guard meant it: spaces around it are the keyboard's, not the tag's.
 * (The scan is recorded `manual`, which the server flags.)
 */
export function tagFromTyped(text) {
  return typeof text === 'string' ? tagFromText(text.trim()) : null;
}
