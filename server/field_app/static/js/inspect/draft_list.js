/**
 * The open inspection drafts (resume or discard) and the checklists this device
 * has pulled (start one): what `#/inspect/` shows, and what Today can embed.
 */
import { h } from './dom.js';
import { listDrafts, discardDraft } from './drafts.js';
import { pulledDefinitions } from './definitions.js';

function text(ctx, label) {
  if (!label) return '';
  return (ctx.lang === 'en' ? label.en : label.zh) || label.zh || label.en || '';
}

export function draftHash(draft) {
  const query = new URLSearchParams({ draft: draft.id });
  if (draft.occurrence) query.set('occurrence', draft.occurrence);
  return `#/inspect/${encodeURIComponent(draft.definition_id)}?${query}`;
}

/** The drafts list alone (Today embeds it); re-renders itself after a discard. */
export async function renderDraftList(el, ctx) {
  const drafts = await listDrafts(ctx.db);
  const items = drafts.map((d) => h('li', { className: 'dl-draft', dataset: { draft: d.id } },
    h('a', { href: draftHash(d), className: 'dl-resume' },
      h('strong', {}, text(ctx, d.title) || d.definition_id),
      h('span', { className: 'dl-when' }, ctx.t('forms.drafts.updated', { at: String(d.updated_at).slice(0, 16).replace('T', ' ') }))),
    h('button', { type: 'button', className: 'dl-discard', onclick: async () => {
      if (!confirm(ctx.t('forms.discard_confirm'))) return;
      await discardDraft(ctx.db, d.id);
      await renderDraftList(el, ctx);
    } }, ctx.t('forms.discard'))));
  el.replaceChildren(h('h2', {}, ctx.t('forms.drafts.title')),
    items.length ? h('ul', { className: 'dl-list' }, ...items) : h('p', { className: 'dl-empty' }, ctx.t('forms.drafts.none')));
}

export async function mountDraftList(el, ctx) {
  const drafts = h('div', { className: 'dl-drafts' });
  const defs = (await pulledDefinitions(ctx)).filter((d) => d.status !== 'retired' && d.definition.kind !== 'patrol_checkpoint');
  const start = h('ul', { className: 'dl-list' }, ...defs.map(({ definition }) => h('li', {},
    h('a', { href: `#/inspect/${encodeURIComponent(definition.id)}`, className: 'dl-start' }, text(ctx, definition.title)))));
  el.replaceChildren(drafts, h('h2', {}, ctx.t('forms.start')), start);
  await renderDraftList(drafts, ctx);
}
