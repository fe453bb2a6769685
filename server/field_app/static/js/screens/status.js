// Sync status in full: what waits, what the server refused and why, the last error,
// persistent storage, language, sync now, log out.
import { db, getMeta, setMeta } from '../db.js';
import { errorText } from '../api.js';
import { h } from '../dom.js';
import { PENDING, rejected } from '../outbox.js';
import { formatTime } from '../local_time.js';
import { UPLOAD_EVENT, syncState } from '../status_bar.js';
import { LISTED, photoList } from './photo_list.js';

/** A queued change as the user reads it: its number, what it does in words, its record. */
function mutationLine(m, t) {
  const args = m.args || {};
  const record = args.result_id || args.ticket_id || args.occurrence_id || '';
  const key = `mutation.${m.name}`;
  const what = t(key) === key ? m.name : t(key); // a change this app has no words for: its name
  return `#${m.mutation_id ?? m.id} ${what} ${record}`.trim();
}

export async function mount(el, ctx) {
  const { t } = ctx;
  const s = await syncState();
  const message = h('p', { id: 'sync-message', role: 'alert' });
  const syncButton = h('button', { class: 'wide', id: 'sync-now' }, t('status.sync_now'));
  syncButton.addEventListener('click', async () => {
    syncButton.disabled = true;
    message.className = '';
    message.textContent = t('status.syncing');
    try {
      await ctx.sync.now();
      message.textContent = '';
    } catch (err) {
      message.className = 'error';
      message.textContent = t('status.error', { reason: errorText(t, err) });
    } finally {
      syncButton.disabled = false;
    }
  });
  const waiting = await db.outbox.where('state').equals(PENDING).sortBy('mutation_id');
  const photos = photoList(t, await db.photos.where('state').anyOf(LISTED).toArray());
  const refused = await rejected();
  const persisted = await getMeta('persisted');
  const lang = h('select', { id: 'lang' },
    h('option', { value: '' }, t('status.lang_auto')),
    h('option', { value: 'zh' }, '中文'), h('option', { value: 'en' }, 'English'));
  lang.value = (await getMeta('lang')) || '';
  lang.addEventListener('change', async () => {
    await setMeta({ lang: lang.value || null });
    await window.fieldsync.restart();
  });
  const logout = h('button', { class: 'secondary wide', id: 'logout' }, t('status.logout'));
  logout.addEventListener('click', async () => {
    await setMeta({ token: null }); // the outbox stays: it is sent after the next login
    location.hash = '#/login';
  });
  el.append(...[
    h('h1', {}, t('nav.status')),
    h('p', {}, t('status.user', { name: ctx.me ? ctx.me.username : '' })),
    h('p', {}, s.lastSync ? t('status.last_sync', { at: formatTime(s.lastSync, ctx.lang) }) : t('status.never')),
    s.lastError ? h('p', { class: 'error', id: 'last-error' }, t('status.error', { reason: errorText(t, s.lastError) })) : null,
    persisted === false ? h('p', { class: 'notice', id: 'storage-refused' }, t('status.storage_refused')) : null,
    persisted === true ? h('p', { class: 'ok' }, t('status.storage_ok')) : null,
    syncButton, message,
    h('h2', {}, t('status.outbox')),
    h('ul', { id: 'outbox' }, waiting.length ? waiting.map((m) => h('li', {}, mutationLine(m, t))) : h('li', {}, t('status.none'))),
    h('h2', {}, t('status.photos')), photos.el,
    h('h2', {}, t('status.rejected_list')),
    h('ul', { id: 'rejected' }, refused.length ? refused.map((m) => h('li', { class: 'error' },
      `${mutationLine(m, t)}: ${(m.error && (m.error.message || m.error.code)) || ''}`)) : h('li', {}, t('status.none'))),
    h('label', {}, t('status.lang'), lang), h('p'), logout].filter(Boolean));
  window.addEventListener(UPLOAD_EVENT, photos.update);
  return () => window.removeEventListener(UPLOAD_EVENT, photos.update);
}
