// The status bar every screen shows: online/offline, last sync, results and photos waiting,
// refusals, and the last error with its reason.
import { errorText } from './api.js';
import { metaRequests, outboxIn, readOnly, rowsIn } from './idb_reads.js';
import { formatTime } from './local_time.js';
import { PENDING, REJECTED } from './outbox_states.js';

/** A photo upload's progress, {sha256, sent, total, state, error}, as a window event. */
export const UPLOAD_EVENT = 'fieldsync:upload';
/** Photo states still to send (upload.js moves them to 'done' or 'refused'). */
export const PHOTO_PENDING = ['waiting', 'uploading'];

/** The numbers the bar (and the status screen) show. */
export async function syncState() {
  // one read transaction, without Dexie (the bar is drawn at start); photos counted on the
  // index: reading the rows would read every photo's bytes
  const META = ['rejected_before', 'last_sync', 'last_error', 'persisted'];
  const read = await readOnly(['outbox', 'photos', 'meta'], (store) => ({
    pending: outboxIn(store, PENDING), rejected: outboxIn(store, REJECTED),
    ...Object.fromEntries(PHOTO_PENDING.map((state) => [state, store('photos').index('state').count(state)])),
    ...metaRequests(store, META),
  })) || {};
  const value = (key) => (read[key] ? read[key].value : null) ?? null;
  return {
    online: navigator.onLine,
    waiting: rowsIn(read.pending, PENDING).length,
    refused: rowsIn(read.rejected, REJECTED).length +
      (value('rejected_before') || []).length,
    photos: PHOTO_PENDING.reduce((n, state) => n + (read[state] || 0), 0),
    lastSync: value('last_sync'), lastError: value('last_error'), persisted: value('persisted'),
  };
}

function chip(text, cls) {
  const el = document.createElement('span');
  el.className = `chip ${cls}`;
  el.textContent = text;
  return el;
}

/** Render the bar into `el`; `syncing` while a sync runs. */
export async function renderStatusBar(el, ctx, syncing = false) {
  const s = await syncState();
  const t = ctx.t;
  const parts = [
    chip(s.online ? t('status.online') : t('status.offline'), s.online ? 'ok' : 'off'),
    chip(syncing ? t('status.syncing')
      : s.lastSync ? t('status.last_sync', { at: formatTime(s.lastSync, ctx.lang) }) : t('status.never'),
    'sync'),
  ];
  if (s.waiting) parts.push(chip(t('status.results_waiting', { n: s.waiting }), 'waiting'));
  if (s.photos) parts.push(chip(t('status.photos_waiting', { n: s.photos }), 'waiting'));
  if (s.refused) parts.push(chip(t('status.rejected', { n: s.refused }), 'error'));
  if (s.lastError && s.lastError.status === 0) parts.push(chip(t('status.unreachable'), 'waiting'));
  else if (s.lastError) parts.push(chip(t('status.error', { reason: errorText(t, s.lastError) }), 'error'));
  if (s.persisted === false) {
    const link = document.createElement('a');
    link.href = '#/status';
    link.className = 'chip waiting';
    link.id = 'storage-chip';
    link.textContent = t('status.storage_short');
    parts.push(link);
  }
  // WeChat's built-in browser has no service worker on iOS and a user-clearable cache
  if (/MicroMessenger/i.test(navigator.userAgent)) parts.unshift(chip(t('status.wechat'), 'error'));
  el.replaceChildren(...parts);
  el.dataset.waiting = String(s.waiting);
  el.dataset.photos = String(s.photos);
  el.dataset.synced = s.lastSync ? '1' : '0';
}
