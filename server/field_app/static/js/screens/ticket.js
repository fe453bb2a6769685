// One ticket, and "mark fixed" offline: a photo of the fix and a note, queued as the same
// move_ticket mutations the Python client sends (sync/client/ticket_work.py). A move names
// the state this device last saw (the pulled one, or the target of a move it queued since);
// from open or reopened the work is started first, as the state machine requires.
import { errorText } from '../api.js';
import { db } from '../db.js';
import { h } from '../dom.js';
import { formatTime } from '../local_time.js';
import { localTicket } from '../worklist.js';

const START_FIRST = new Set(['open', 'reopened']);

export function fixMoves(ticketId, from, note, photos) {
  const moves = [];
  if (START_FIRST.has(from)) {
    moves.push({ name: 'move_ticket', args: { ticket_id: ticketId, from, to: 'in_progress' } });
    from = 'in_progress';
  }
  if (from !== 'in_progress') return null;
  moves.push({ name: 'move_ticket', args: { ticket_id: ticketId, from, to: 'fixed', note, photos } });
  return moves;
}

function fixForm(ctx, ticket, onDone) {
  const { t } = ctx;
  let preview = null;
  const note = h('textarea', { name: 'note', id: 'fix-note' });
  const photo = h('input', { type: 'file', name: 'photo', id: 'fix-photo', accept: 'image/*',
                             capture: 'environment' });
  const shown = h('div');
  const message = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'wide', id: 'fix-submit' }, t('ticket.mark_fixed'));
  const form = h('form', { id: 'fix' }, h('label', {}, t('ticket.photo'), photo), shown,
                 h('label', {}, t('ticket.note'), note), h('p'), submit, message);
  const dirty = () => { form.toggleAttribute('data-form-open', !!(note.value || photo.files.length)); };
  note.addEventListener('input', dirty);
  photo.addEventListener('change', () => {
    dirty();
    if (preview) URL.revokeObjectURL(preview);
    preview = photo.files.length ? URL.createObjectURL(photo.files[0]) : null;
    shown.replaceChildren(...(preview ? [h('img', { class: 'thumb', src: preview, alt: '' })] : []));
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!photo.files.length) { message.textContent = t('ticket.need_photo'); return; }
    if (!note.value.trim()) { message.textContent = t('ticket.need_note'); return; }
    submit.disabled = true;
    try {
      const ref = await ctx.photos.add(photo.files[0], { kind: 'ticket_fix' });
      const current = localTicket(ticket, await db.outbox.toArray()).local_status;
      const moves = fixMoves(ticket.id, current, note.value.trim(), [ref.sha256]);
      if (!moves) { message.textContent = t('ticket.cannot_fix', { state: t(`state.${current}`) }); return; }
      await ctx.outbox.enqueueAll(moves);
      form.removeAttribute('data-form-open');
      onDone();
    } catch (err) {
      message.textContent = errorText(ctx.t, err);
    } finally {
      submit.disabled = false;
    }
  });
  return { form, cleanup: () => { if (preview) URL.revokeObjectURL(preview); } };
}

export async function mount(el, ctx, params) {
  const { t } = ctx;
  const row = (await ctx.records('tickets')).find((r) => r.id === params.id);
  el.append(h('p', {}, h('a', { href: '#/tickets' }, `← ${t('ticket.back')}`)));
  if (!row || !row.doc) { el.append(h('p', { class: 'error' }, t('ticket.not_found'))); return null; }
  const ticket = localTicket(row.doc, await db.outbox.toArray());
  const queued = ticket.queued.length ? ` ${t('state.queued')}` : '';
  el.append(h('h1', {}, ticket.title || ticket.id),
    h('p', { id: 'ticket-state', class: `state ${ticket.local_status}`, dataset: { state: ticket.local_status } },
      t(`state.${ticket.local_status}`) + queued),
    h('dl', {},
      h('dt', {}, t('ticket.description')), h('dd', {}, ticket.description || ''),
      h('dt', {}, t('ticket.location')), h('dd', {}, ticket.location || ''),
      h('dt', {}, t('ticket.priority')), h('dd', {}, ticket.priority || ''),
      h('dt', {}, t('ticket.due')), h('dd', {}, formatTime(ticket.due_at, ctx.lang))));
  if (ticket.queued.length && ['fixed'].includes(ticket.local_status)) {
    el.append(h('p', { class: 'ok', id: 'ticket-queued' }, t('ticket.queued')));
    return null;
  }
  if (!START_FIRST.has(ticket.local_status) && ticket.local_status !== 'in_progress') return null;
  const { form, cleanup } = fixForm(ctx, ticket, () => ctx.navigate(`#/ticket/${encodeURIComponent(ticket.id)}?queued=1`));
  el.append(form);
  return cleanup;
}
