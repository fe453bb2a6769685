// The tickets on this device: mine first (assignee or responsible), or all of my sites'.
import { db } from '../db.js';
import { h } from '../dom.js';
import { isMine, localTicket } from '../worklist.js';
import { itemCard } from './today.js';

export async function mount(el, ctx, params) {
  const { t, me } = ctx;
  const all = params.show === 'all';
  const outboxRows = await db.outbox.toArray();
  const tickets = (await ctx.records('tickets')).map((r) => r.doc)
    .filter((doc) => doc && (all || isMine(doc, me)))
    .map((doc) => localTicket(doc, outboxRows));
  const tab = (show, key) => h('button', { class: (show === 'all') === all ? '' : 'secondary',
    onclick: () => ctx.navigate(show === 'all' ? '#/tickets?show=all' : '#/tickets') }, t(key));
  el.append(h('h1', {}, t('tickets.title')),
            h('div', { class: 'tabs' }, tab('mine', 'tickets.mine'), tab('all', 'tickets.all')));
  if (!tickets.length) { el.append(h('p', {}, t('tickets.empty'))); return; }
  tickets.sort((a, b) => ((a.due_at || '9999') < (b.due_at || '9999') ? -1 : 1));
  el.append(h('ul', { class: 'list', id: 'tickets' }, tickets.map((tk) => itemCard({
    kind: 'ticket', id: tk.id, title: tk.title || tk.description || tk.id, due_at: tk.due_at,
    state: tk.local_status, href: `#/ticket/${encodeURIComponent(tk.id)}` }, ctx))));
}
