// Today: inspections (plan occurrences) and patrol rounds due for me, tickets and complaints
// assigned to me -- from pulled records, so it opens offline.
import { afterPaint, h } from '../dom.js';
import { outboxIn, readOnly, rowsIn } from '../idb_reads.js';
import { PENDING } from '../outbox_states.js';
import { formatTime } from '../local_time.js';
import { newestById } from '../pulled_rows.js';
import { saveSnapshot } from '../today_snapshot.js';
import { byDue, complaints, inspections, rounds, ticketsToDo } from '../worklist.js';

// cards drawn before the screen's first paint, per list: more than a phone shows at once;
// the rest follow right after that paint (a hundred cards cost a slow phone ~0.1 s)
const FIRST_CARDS = 15;
// the pulled record types Today lists (a pull's `type`, as pulled.js keeps them)
const RECORD_TYPES = ['plan_occurrences', 'patrol_occurrences', 'tickets', 'complaint_tasks'];

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
  // one read transaction for every list, without Dexie: Today is the first screen drawn
  const read = await readOnly(['records', 'outbox', 'drafts'], (store) => ({
    ...Object.fromEntries(RECORD_TYPES.map((type) => [type, store('records').index('type').getAll(type)])),
    // queued ticket moves show on their cards; the acked archive is never read
    outbox: outboxIn(store, PENDING), drafts: store('drafts').index('kind').count('inspect'),
  }));
  const [occurrences, patrols, tickets, tasks] = RECORD_TYPES.map((type) => newestById(read[type]));
  const { drafts } = read;
  const outboxRows = rowsIn(read.outbox, PENDING);
  const sections = [
    ['today.inspections', 'inspections', inspections(occurrences, me, now)],
    ['today.rounds', 'rounds', rounds(patrols, me, now)],
    ['today.tickets', 'tickets', ticketsToDo(tickets, outboxRows, me)],
    ['today.complaints', 'complaints', complaints(tasks, me, now, (code) => t(`complaint.category.${code}`))],
  ].filter(([, , items]) => items.length);
  // elementtiming: bench/pwa.py reads when the title was painted (live or snapshot)
  el.append(h('h1', { elementtiming: 'today' }, t('today.title')));
  if (drafts) {
    // the forms' code loads only when there is a draft to list (Today opens first, offline)
    const box = h('section', { id: 'today-drafts' });
    el.append(box);
    const [{ renderDraftList }] = await Promise.all([import('../inspect/draft_list.js'), ctx.loadRest()]);
    await renderDraftList(box, ctx);
  }
  if (!sections.length && !drafts) el.append(h('p', { id: 'today-empty' }, t('today.empty')));
  const later = []; // [list, items]: the cards past the first screenful of each list
  for (const [title, id, items] of sections) {
    items.sort(byDue);
    const list = h('ul', { class: 'list' }, items.slice(0, FIRST_CARDS).map((i) => itemCard(i, ctx)));
    el.append(h('section', { id: `today-${id}` }, h('h2', {}, t(title)), list));
    if (items.length > FIRST_CARDS) later.push([list, items.slice(FIRST_CARDS)]);
  }
  // inspections and handovers not planned for me: any pulled checklist can be started
  el.append(h('p', {}, h('a', { id: 'today-start', class: 'button secondary wide', href: '#/inspect/' },
                         t('today.start_inspection'))));
  performance.mark('fieldsync:today-live'); // drawn from the database (bench/pwa.py --marks)
  afterPaint(() => {
    for (const [list, items] of later) list.append(...items.map((i) => itemCard(i, ctx)));
    el.dataset.complete = '1'; // every card is drawn (bench/pwa.py reads when)
    performance.mark('fieldsync:today-complete');
    saveSnapshot(el, me); // what the next start paints before the database is open
  });
}
