// Checkpoint tags read over Web NFC (Chrome for Android 89+ only, HTTPS, page visible).
//
// `scan()` must be called from a tap (a user gesture) and the radio stops while the page is
// hidden, so the screen arms it from a button and re-arms it when the page is shown again.

import { tagFromNdef } from './payload.js';

export const nfcAvailable = () => 'NDEFReader' in globalThis;

/**
 * Listen for NFC tags; `onTag(tag)` per checkpoint tag read, `onProblem(code)` for a tag that
 * holds no checkpoint code ('not_a_tag') or cannot be read ('unreadable'). Returns `stop()`.
 */
export async function startNfc(onTag, onProblem) {
  const controller = new AbortController();
  const reader = new globalThis.NDEFReader();
  reader.onreading = (event) => {
    const tag = tagFromNdef(event.message);
    if (tag) onTag(tag);
    else onProblem('not_a_tag');
  };
  reader.onreadingerror = () => onProblem('unreadable');
  await reader.scan({ signal: controller.signal });
  return () => controller.abort();
}
