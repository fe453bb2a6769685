// The Sync screen's list of photos: each one still to send, or refused, with its upload state
// and progress -- waiting (with the last try's error), uploading n %, done, refused with the
// server's reason. Rows are kept current by the uploader's progress events (UPLOAD_EVENT).
import { h } from '../dom.js';

/** Photo states the list shows when the screen opens (done ones have nothing left to say). */
export const LISTED = ['waiting', 'uploading', 'refused'];

/** Whole percent of `sent` of `total` (100 only once the server has it all). */
export function percent(sent, total, state) {
  if (state === 'done' || state === 'refused') return 100;
  if (!total) return 0;
  return Math.min(99, Math.floor((100 * (sent || 0)) / total));
}

/** The words of a photo's state: `{sha256, sent, total, state, error}`. */
export function stateText(t, p) {
  switch (p.state) {
    case 'uploading': return t('upload.state.uploading', { pct: percent(p.sent, p.total, p.state) });
    case 'done': return t('upload.state.done');
    case 'refused': return t('upload.state.refused', { reason: p.error || '?' });
    default: return p.error ? t('upload.state.retry', { reason: p.error }) : t('upload.state.waiting');
  }
}

/** What a photo was taken for (photos.js `kind`), in words; unknown kinds say nothing. */
const KINDS = ['result', 'signature', 'patrol', 'ticket_fix'];
const kindText = (t, kind) => (KINDS.includes(kind) ? `${t(`upload.kind.${kind}`)} ` : '');

function line(t, p) {
  const pct = percent(p.sent, p.total, p.state);
  const kb = (n) => Math.round((n || 0) / 1024);
  return h('li', { class: `photo photo-${p.state}`,
    dataset: { sha256: p.sha256, state: p.state, percent: pct, kind: p.kind || '' } },
    h('span', { class: 'photo-name' }, `${kindText(t, p.kind)}${p.sha256.slice(0, 10)}… `),
    h('progress', { max: '100', value: String(pct) }),
    h('span', { class: `photo-state${p.state === 'refused' ? ' error' : ''}` }, ` ${stateText(t, p)}`),
    h('span', { class: 'meta' }, ` ${t('status.photo_bytes', { kb: kb(p.state === 'done' ? p.total : p.sent), of: kb(p.total) })}`));
}

/** `{el, update(event)}`: the list of stored photo rows; `update` takes an UPLOAD_EVENT. */
export function photoList(t, rows) {
  const el = h('ul', { id: 'photos' }, rows.length
    ? rows.map((p) => line(t, { sha256: p.sha256, sent: p.offset, total: p.size ?? (p.blob && p.blob.size),
      state: p.state, error: p.error, kind: p.kind }))
    : h('li', {}, t('status.none')));
  const update = ({ detail }) => {
    const old = el.querySelector(`li[data-sha256="${detail.sha256}"]`);
    const row = line(t, { kind: old && old.dataset.kind, ...detail });   // events carry no kind
    if (old) old.replaceWith(row);
    else el.replaceChildren(...el.querySelectorAll('li[data-sha256]'), row);
  };
  return { el, update };
}
