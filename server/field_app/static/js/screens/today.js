// Today: inspections (plan occurrences) and patrol rounds due for me, tickets and complaints
// assigned to me -- from pulled records, so it opens offline.
import { db } from '../db.js';
import { h } from '../dom.js';
import { formatTime } from '../status_bar.js';
import { saveSnapshot } from '../today_snapshot.js';
import { byDue, complaints, inspections, rounds, ticketsToDo } from '../worklist.js';

export function itemCard(item, ctx) {
  const when = item.due_at ? ctx.t('today.due', { at: formatTime(item.due_at, ctx.lang) }) : '';
  const body = [h('span', { class: `state ${item.state}` }, ctx.t(`state.${item.state}`)),
                h('div', {}, item.title), h('div', { class: 'meta' }, when)];
  const attrs = { class: 'card', dataset: { kind: item.kind, id: item.id } };
  return h('li', {}, item.href ? h('a', { ...attrs, href: item.href }, body) : h('div', attrs, body));
}

export async function mount(el, ctx) {
  const { t, me } = ctx;
  const now = Date.now();
  // one read transaction for every list (opening it is a good part of the cost)
  const [occurrences, patrols, tickets, tasks, outboxRows, drafts] = await db.transaction(
    'r', db.records, db.outbox, db.drafts, () => Promise.all([
      ctx.records('plan_occurrences'), ctx.records('patrol_occurrences'), ctx.records('tickets'),
      ctx.records('complaint_tasks'), db.outbox.toArray(),
      db.drafts.where('kind').equals('inspect').count()]));
  const sections = [
    ['today.inspections', 'inspections', inspections(occurrences, me, now)],
    ['today.rounds', 'rounds', rounds(patrols, me, now)],
    ['today.tickets', 'tickets', ticketsToDo(tickets, outboxRows, me)],
    ['today.complaints', 'complaints', complaints(tasks, me, now)],
  ].filter(([, , items]) => items.length);
  // elementtiming: bench/pwa.py reads when the title was painted (live or snapshot)
  el.append(h('h1', { elementtiming: 'today' }, t('today.title')));
  if (drafts) {
    // the forms' code loads only when there is a draft to list (Today opens first, offline)
    const box = h('section', { id: 'today-drafts' });
    el.append(box);
    const { renderDraftList } = await import('../inspect/draft_list.js');
    await renderDraftList(box, ctx);
  }
  if (!sections.length && !drafts) el.append(h('p', { id: 'today-empty' }, t('today.empty')));
  for (const [title, id, items] of sections) {
    el.append(h('section', { id: `today-${id}` }, h('h2', {}, t(title)),
                h('ul', { class: 'list' }, items.sort(byDue).map((i) => itemCard(i, ctx)))));
  }
  // inspections and handovers not planned for me: any pulled checklist can be started
  el.append(h('p', {}, h('a', { id: 'today-start', class: 'button secondary wide', href: '#/inspect/' },
                         t('today.start_inspection'))));
  performance.mark('fieldsync:today-live'); // drawn from the database (bench/pwa.py --marks)
  saveSnapshot(el, me); // what the next start paints before the database is open
}
