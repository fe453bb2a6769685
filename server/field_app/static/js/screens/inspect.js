/**
 * Inspection / handover screen: `#/inspect/<definition_id>[?occurrence=<id>&draft=<id>]`.
 *
 * Fills any pulled definition (logic, required items, evidence rules, repeats)
 * over a draft that is saved on every change and survives reloads; shows the
 * engine's live score preview; submits by queueing `submit_result` and deleting
 * the draft in ONE IndexedDB transaction (ctx.enqueueWith), so a result is never
 * both queued and still a draft, nor lost between the two.
 * Without a definition id it lists the drafts to resume and the checklists to start.
 */
import { DraftKeeper, listDrafts, newDraft } from '../inspect/drafts.js';
import { draftHash, mountDraftList } from '../inspect/draft_list.js';
import { findDefinition } from '../inspect/definitions.js';
import { FormView } from '../inspect/form_view.js';
import { buildSubmitArgs } from '../inspect/submit_args.js';
import { watchBestFix } from '../inspect/gps.js';
import { h } from '../inspect/dom.js';
import { PhotoShelf } from '../photos/shelf.js';
import { siteNames } from '../site_names.js';

const OCCURRENCES = 'plan_occurrences';

async function occurrenceSite(ctx, occurrenceId) {
  const rows = await ctx.records(OCCURRENCES);
  const row = rows.find((r) => r.id === occurrenceId);
  return (row && row.doc?.site_id) || null;
}

/** The draft the route names, or a new one (not stored before its first change). */
async function openDraft(ctx, params) {
  if (params.draft) {
    const draft = await ctx.db.drafts.get(params.draft);
    if (draft) return { draft, definition: await findDefinition(ctx, draft.definition_id, draft.version) };
  }
  if (params.occurrence) { // a planned inspection opened again from Today: its open draft
    const open = (await listDrafts(ctx.db)).find((d) => d.occurrence === params.occurrence
      && d.definition_id === params.definition_id);
    if (open) return { draft: open, definition: await findDefinition(ctx, open.definition_id, open.version) };
  }
  const definition = await findDefinition(ctx, params.definition_id);
  if (!definition) return { draft: null, definition: null };
  const sites = ctx.me?.site_ids || [];
  const siteId = (params.occurrence && await occurrenceSite(ctx, params.occurrence)) || (sites.length === 1 ? sites[0] : null);
  return { draft: newDraft({ definition, siteId, occurrence: params.occurrence }), definition };
}

/** The site picker of a user with several sites (by name, in name order). */
function siteField(ctx, draft, keeper, siteName) {
  const sites = ctx.me?.site_ids || [];
  if (draft.occurrence || (sites.length === 1 && draft.site_id === sites[0])) return null;
  const byName = [...sites].sort((a, b) => siteName(a).localeCompare(siteName(b), ctx.lang));
  const select = h('select', { className: 'fi-input fi-site', 'aria-label': ctx.t('forms.site') },
    h('option', { value: '' }, ctx.t('forms.site_pick')),
    ...byName.map((s) => h('option', { value: s }, siteName(s))));
  select.value = draft.site_id || '';
  select.addEventListener('change', () => { draft.site_id = select.value || null; keeper.changed({ now: true }); });
  return h('label', { className: 'fi-site-row' }, ctx.t('forms.site'), select);
}

export async function mount(el, ctx, params = {}) {
  el.classList.add('screen-inspect');
  if (!params.definition_id && !params.draft) {
    await mountDraftList(el, ctx);
    return () => el.classList.remove('screen-inspect');
  }
  const { draft, definition } = await openDraft(ctx, params);
  if (!draft || !definition) {
    el.replaceChildren(h('p', { className: 'fi-missing' }, ctx.t('forms.no_definition', { id: params.definition_id || '?' })));
    return () => el.classList.remove('screen-inspect');
  }
  const saved = h('span', { className: 'fi-saved', 'aria-live': 'polite' });
  let mounted = true;
  const keeper = new DraftKeeper(ctx.db, draft, {
    onSaved: () => {
      saved.textContent = ctx.t('forms.saved');
      if (mounted && !location.hash.includes(`draft=${draft.id}`)) history.replaceState(history.state, '', draftHash(draft)); // a reload resumes it
    },
    onError: (err) => { saved.textContent = ctx.t('forms.save_failed', { error: err.message || String(err) }); },
  });
  keeper.attach();
  const shelf = new PhotoShelf(ctx);
  const gps = watchBestFix();
  const view = new FormView({ ctx, definition, draft, keeper, shelf });

  const discard = h('button', { type: 'button', className: 'fi-discard', onclick: async () => {
    if (!confirm(ctx.t('forms.discard_confirm'))) return;
    keeper.cancel();
    await ctx.db.drafts.delete(draft.id);
    ctx.navigate('#/today');
  } }, ctx.t('forms.discard'));
  const header = h('header', { className: 'fi-header' },
    h('h2', {}, view.text(definition.title)), h('div', { className: 'fi-header-row' }, saved, discard),
    siteField(ctx, draft, keeper, await siteNames(ctx)));
  const formEl = h('div', { className: 'fi-form' });
  el.replaceChildren(header, formEl);
  view.render(formEl);

  let submitting = false; // a second tap must not queue the same result twice
  view.onSubmit = async () => {
    if (submitting) return;
    const ev = view.evaluate();
    const local = draft.site_id ? [] : [{ item: '', code: 'site', message: ctx.t('forms.site_missing') }];
    if (local.length || ev.problems.length) {
      view.problemBox.show([...local, ...ev.problems]);
      return;
    }
    if (!confirm(ctx.t('forms.submit_confirm'))) return;
    submitting = true;
    try {
      const args = buildSubmitArgs(draft, view.sent, { gps: gps.best() }); // before the transaction
      await keeper.flush(); // the stored draft is the latest, should queueing fail
      keeper.cancel();
      // txWork gets the shell's Dexie db (its transaction is the current one)
      await ctx.enqueueWith('submit_result', args, (db) => db.drafts.delete(draft.id));
    } catch (err) {
      submitting = false;
      keeper.attach();
      view.flash(ctx.t('forms.submit_failed', { error: err.message || String(err) }));
      return;
    }
    Promise.resolve(ctx.sync?.now?.()).catch(() => {}); // queued either way: the outbox retries
    ctx.navigate('#/today');
  };

  return () => {
    mounted = false;
    if (keeper.timer) keeper.flush();
    keeper.detach();
    gps.stop();
    shelf.release();
    el.classList.remove('screen-inspect');
  };
}
