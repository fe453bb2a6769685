// Patrol: my rounds, then one round walked — scan each checkpoint, answer its checklist,
// photograph problems, finish. Route `#/patrol/<route_id>[?round=<draft id>|occurrence=<id>]`;
// the id may also be an occurrence's, and `mine` lists every round of mine.
//
// The round in progress is a draft (`kind: 'patrol'`) saved after every scan and answer, so a
// phone that dies or reloads mid-round resumes it. Finishing deletes the draft and queues
// `submit_round` in ONE transaction (`ctx.enqueueWith`): the round is never both lost and
// queued, nor queued twice. The server judges it (the screen's on-time marks are a guess).

import { fill, h, hhmm, label, pictureInput } from '../patrol/dom.js';
import { exifTime } from '../patrol/exif.js';
import { watchFix } from '../patrol/gps.js';
import { checkpointForm } from '../patrol/checkpoint_form.js';
import { scanPanel } from '../patrol/scan_panel.js';
import { siteNames } from '../site_names.js';
import {
  CHECKPOINTS, DEFINITIONS, OCCURRENCES, ROUTES, WATCH, addScan, checkpointOfTag, findRoute,
  myRounds, newRound, progress, siteCheckpoints, submitRoundArgs, updateVisit, visitDefinition,
} from '../patrol/round.js';

const newId = () => (crypto.randomUUID ? crypto.randomUUID().replace(/-/g, '')
  : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));

async function patrolDrafts(ctx) {
  return ctx.db.drafts.where('kind').equals('patrol').toArray();
}

export async function mount(el, ctx, params = {}) {
  const screen = { el, ctx, stops: [], left: false };
  const leave = () => {
    screen.left = true;       // a round still opening must not start GPS or draw any more
    screen.stops.splice(0).forEach((stop) => stop());
  };
  const drafts = await patrolDrafts(ctx);
  // a guard of several sites sees which site each round is at
  if ((ctx.me?.site_ids || []).length > 1) screen.siteName = await siteNames(ctx);
  const [occurrences, routes] = await Promise.all([ctx.records(OCCURRENCES), ctx.records(ROUTES)]);
  // Today links `#/patrol/<route>?occurrence=<round>`: that round first, else the route's
  const key = params.occurrence || (params.route_id && params.route_id !== 'mine' ? params.route_id : null);
  const resumed = drafts.find((d) => d.id === params.round) ||
    drafts.find((d) => key && d.occurrence_id === key);
  if (resumed) await showRound(screen, resumed);
  else showList(screen, occurrences, routes, drafts, key);
  return leave;
}

function message(screen, text, kind = 'info') {
  const box = screen.el.querySelector('.patrol-message');
  if (!box) return;
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = !text;
}

function showList(screen, occurrenceRows, routeRows, drafts, key) {
  const { el, ctx } = screen;
  const routeName = (o) => {
    const route = findRoute(routeRows, o.route_id, o.route_version);
    return route ? label(route.name, ctx.lang) : o.route_id;
  };
  const at = (iso) => hhmm(new Date(iso));
  let rounds = myRounds(occurrenceRows, ctx.me);
  if (key) {
    const only = rounds.filter((r) => r.occurrence.id === key || r.occurrence.route_id === key);
    rounds = only.length ? only : rounds;
  }
  const draftOf = new Map(drafts.map((d) => [d.occurrence_id, d]));
  const open = (start) => async (event) => {
    event.currentTarget.disabled = true;      // one tap, one round
    await showRound(screen, await start());
  };
  const items = rounds.map(({ occurrence: o, state }) => {
    const draft = draftOf.get(o.id);
    return h('li', { class: `patrol-round patrol-${state}`, dataset: { occurrence: o.id } },
      h('div', { class: 'patrol-round-when' }, o.local_start.replace('T', ' '),
        h('span', { class: 'patrol-badge' }, ctx.t(draft ? 'patrol.in_progress' : `patrol.state.${state}`))),
      h('div', { class: 'patrol-round-what' },
        screen.siteName ? h('span', { class: 'patrol-site' }, `${screen.siteName(o.site_id)} · `) : null,
        `${routeName(o)} · `,
        ctx.t('patrol.due_by', { time: at(o.deadline) })),
      h('button', { type: 'button', class: 'patrol-big', onclick: open(async () => {
        if (draft) return draft;
        const round = newRound(o, { id: newId(), now: new Date() });
        await ctx.db.drafts.put(round);
        return round;
      }) }, ctx.t(draft ? 'patrol.resume' : 'patrol.start')));
  });
  // a round in progress stays reachable even when its occurrence left my list (cancelled,
  // or a sync brought a result from elsewhere): its scans are evidence until finished or discarded
  const listed = new Set(rounds.map((r) => r.occurrence.id));
  const strays = drafts.filter((d) => !listed.has(d.occurrence_id)).map((d) =>
    h('li', { class: 'patrol-round patrol-in-progress', dataset: { occurrence: d.occurrence_id } },
      h('div', { class: 'patrol-round-when' }, d.occurrence_id,
        h('span', { class: 'patrol-badge' }, ctx.t('patrol.in_progress'))),
      h('button', { type: 'button', class: 'patrol-big', onclick: open(async () => d) },
        ctx.t('patrol.resume'))));
  const all = [...strays, ...items];
  fill(el, h('div', { class: 'patrol' },
    h('h2', {}, ctx.t('patrol.mine')),
    all.length ? h('ul', { class: 'patrol-rounds' }, all) : h('p', {}, ctx.t('patrol.none'))));
}

async function showRound(screen, initial) {
  const { el, ctx } = screen;
  let draft = initial;
  const [routeRows, checkpointRows, occurrenceRows, definitionRows, watchRows] =
    await Promise.all([ctx.records(ROUTES), ctx.records(CHECKPOINTS), ctx.records(OCCURRENCES),
      ctx.records(DEFINITIONS), ctx.records(WATCH)]);
  const occurrence = occurrenceRows.map((r) => r.doc)
    .find((o) => o && o.id === draft.occurrence_id);
  const route = findRoute(routeRows, draft.route_id, draft.route_version);
  const checkpoints = siteCheckpoints(checkpointRows, draft.site_id);
  if (screen.left) return;
  const watch = (watchRows.map((r) => r.doc).find((w) => w && w.site_id === draft.site_id) ||
    { households: [] }).households;
  const gpsLine = h('p', { class: 'patrol-gps' });
  const showFix = () => {
    const fix = gps.latest();
    gpsLine.textContent = fix ? ctx.t('patrol.gps_on', { accuracy: Math.round(fix.accuracy_m) })
      : gps.denied() ? ctx.t('patrol.gps_off') : '';
  };
  const gps = watchFix(showFix);
  // reloading keeps the round: the address names its draft (no hashchange, no remount)
  history.replaceState(null, '', `#/patrol/${encodeURIComponent(draft.route_id)}?round=${draft.id}`);
  const scanner = scanPanel({ t: ctx.t, onTag: (tag, method) => record(tag, method),
    onMessage: (text, kind) => message(screen, text, kind) });
  let form = null;      // the open checkpoint's checklist
  // `keep: false` once the round is queued or discarded: a late save would bring it back
  const closeForm = ({ keep = true } = {}) => {
    if (form) form.release({ keep });
    form = null;
  };
  screen.stops.push(() => gps.stop(), () => scanner.stop(), closeForm);

  // the next change builds on this one at once, even before it is stored (a scan right
  // after an answer must not write the draft back without the answer)
  const save = async (next) => {
    draft = next;
    await ctx.db.drafts.put(next);
  };
  const progressBox = h('section', { class: 'patrol-progress' });
  const visitBox = h('section', { class: 'patrol-visit', hidden: true });
  const renderProgress = () => {
    showFix();
    if (!route || !occurrence) {
      fill(progressBox, h('p', { class: 'patrol-warning' }, route
        ? ctx.t('patrol.round_missing')
        : ctx.t('patrol.route_missing', { route: `${draft.route_id}@${draft.route_version}` })));
      return;
    }
    const p = progress(route, checkpoints, occurrence, draft);
    fill(progressBox,
      h('p', { class: 'patrol-count' }, ctx.t('patrol.progress', p)),
      h('progress', { max: p.total, value: p.done }),
      h('ol', { class: 'patrol-stops' }, p.stops.map((stop) => stopLine(ctx, stop, () => {
        if (stop.scan) openVisit(stop.checkpoint, stop.scan.tag);
      }))),
      p.unexpected.length ? h('div', { class: 'patrol-unexpected' },
        h('h4', {}, ctx.t('patrol.unexpected')),
        h('ul', {}, p.unexpected.map((u) => h('li', {}, `${u.tag} ${u.name || ''} · ${hhmm(new Date(u.at))}`))))
        : null,
      h('p', { class: 'patrol-hint' }, ctx.t('patrol.guess_note')));
  };
  const gpsTimer = setInterval(renderProgress, 15000);   // the GPS line and the next window
  screen.stops.push(() => clearInterval(gpsTimer));

  async function record(tag, method) {
    try {
      await save(addScan(draft, { tag, method, at: new Date(), fix: gps.latest() }));
    } catch (error) {
      message(screen, ctx.t('patrol.error', { reason: error.message }), 'error');
      return;
    }
    const checkpoint = checkpointOfTag(checkpoints, tag);
    const name = checkpoint ? checkpoint.name : tag;
    message(screen, checkpoint ? ctx.t('patrol.scanned', { name, method: ctx.t(`patrol.method.${method}`) })
      : ctx.t('patrol.unknown_tag', { tag }), checkpoint ? 'ok' : 'warning');
    renderProgress();
    if (checkpoint) openVisit(checkpoint, tag);
    else {
      closeForm();
      visitBox.hidden = true;
    }
  }

  const failed = (error) => message(screen, ctx.t('patrol.error', { reason: error.message }), 'error');
  const visitPhotos = (checkpointId) => (draft.visits[checkpointId] || { photos: [] }).photos;

  function openVisit(checkpoint, tag) {
    closeForm();
    const visit = draft.visits[checkpoint.id] || { answers: {}, photos: [] };
    const definition = checkpoint.checklist_id
      ? visitDefinition(definitionRows, checkpoint.checklist_id, visit) : null;
    // every answer is kept as it is given: scanning the next checkpoint must not lose it
    form = definition ? checkpointForm(definition, { ctx, visit, tag, onError: failed,
      problemPhotos: () => visitPhotos(checkpoint.id).map((ph) => ph.sha256),
      onChange: (f) => save(updateVisit(draft, checkpoint.id,
        { answers: f.answers(), itemPhotos: f.photos(), checklist: f.checklist, at: new Date() })) })
      : null;
    const shown = form;
    const photos = h('span', { class: 'patrol-photos' },
      ctx.t('patrol.photos_count', { count: visit.photos.length }));
    const photoInput = pictureInput('patrol-problem-photo', async (file) => {
      try {
        const taken = await exifTime(file);     // read before any IndexedDB transaction
        const ref = await ctx.photos.add(file, { kind: 'patrol' });
        const photo = taken ? { sha256: ref.sha256, exif_time: taken } : { sha256: ref.sha256 };
        if (shown) await shown.flush();        // answers typed just before: kept with it
        await save(updateVisit(draft, checkpoint.id, { photo, at: new Date() }));
        photos.textContent = ctx.t('patrol.photos_count', { count: visitPhotos(checkpoint.id).length });
        if (shown) shown.refresh();              // its checks now count the photo as evidence
      } catch (error) {
        failed(error);
      }
    });
    const households = watch.filter((w) => w.checkpoint_tag === tag);
    fill(visitBox,
      h('h3', {}, ctx.t('patrol.at_checkpoint', { name: checkpoint.name })),
      checkpoint.photo_required ? h('p', { class: 'patrol-warning' }, ctx.t('patrol.photo_required')) : null,
      households.length ? h('div', { class: 'patrol-watch' }, h('h4', {}, ctx.t('patrol.watch')),
        h('ul', {}, households.map((w) => h('li', {}, `${w.building} ${w.unit}: `,
          w.categories.map((c) => `${c.label} — ${c.watch.map((x) => x.text).join('; ')}`).join(' / ')))))
        : null,
      shown ? shown.element : null,
      h('div', { class: 'patrol-visit-actions' },
        h('label', { class: 'patrol-big patrol-photo-label' }, ctx.t('patrol.problem_photo'), photoInput),
        photos,
        h('button', { type: 'button', class: 'patrol-big patrol-save', onclick: async () => {
          const problems = shown ? shown.problems() : [];
          await save(updateVisit(draft, checkpoint.id, shown
            ? { answers: shown.answers(), itemPhotos: shown.photos(), checklist: shown.checklist,
              at: new Date() }
            : { answers: {}, at: new Date() }));
          message(screen, problems.length ? ctx.t('patrol.items_problems', { items: problems.join('、') })
            : ctx.t('patrol.saved'), problems.length ? 'warning' : 'ok');
          if (!problems.length) {
            closeForm();
            visitBox.hidden = true;
          }
        } }, ctx.t('patrol.save_answers'))));
    visitBox.hidden = false;
    visitBox.scrollIntoView({ block: 'start' });
  }

  const finish = async (event) => {
    const left = route && occurrence ? progress(route, checkpoints, occurrence, draft).left : 0;
    if (left && !confirm(ctx.t('patrol.finish_confirm', { left }))) return;
    // one tap, one round: a second submit_round with another finish time would be refused
    const button = event.currentTarget;
    button.disabled = true;
    if (form) await form.flush();     // an answer typed just now goes with the round
    const args = submitRoundArgs(draft, new Date());
    try {
      // the draft goes in the same transaction that queues the round (the shell's tables)
      await ctx.enqueueWith('submit_round', args,
        (tables) => ((tables && tables.drafts) || ctx.db.drafts).delete(draft.id));
    } catch (error) {          // nothing was queued and the draft is still there: try again
      button.disabled = false;
      message(screen, ctx.t('patrol.error', { reason: error.message }), 'error');
      return;
    }
    closeForm({ keep: false });
    screen.stops.splice(0).forEach((stop) => stop());
    fill(el, h('div', { class: 'patrol' },
      h('p', { class: 'patrol-done' }, ctx.t('patrol.finished')),
      h('button', { type: 'button', class: 'patrol-big', onclick: () => ctx.navigate('#/today') },
        ctx.t('patrol.back'))));
    ctx.sync.now().catch(() => {});    // offline: it goes with the next sync
  };
  const discard = async () => {
    if (!confirm(ctx.t('patrol.discard_confirm'))) return;
    closeForm({ keep: false });
    await ctx.db.drafts.delete(draft.id);
    screen.stops.splice(0).forEach((stop) => stop());
    showList(screen, occurrenceRows, routeRows, await patrolDrafts(ctx), null);
  };

  fill(el, h('div', { class: 'patrol patrol-walking' },
    h('h2', {}, route ? label(route.name, ctx.lang) : draft.route_id,
      occurrence ? h('small', {}, ` ${occurrence.local_start.replace('T', ' ')}`) : null),
    gpsLine, h('p', { class: 'patrol-message', hidden: true, role: 'status' }),
    visitBox, progressBox, scanner.element,
    h('div', { class: 'patrol-end' },
      h('button', { type: 'button', class: 'patrol-big patrol-finish', onclick: finish }, ctx.t('patrol.finish')),
      h('button', { type: 'button', class: 'patrol-secondary patrol-discard', onclick: discard },
        ctx.t('patrol.discard')))));
  renderProgress();
}

function stopLine(ctx, stop, onOpen) {
  const facts = [];
  if (stop.scan) {
    facts.push(ctx.t('patrol.scanned_at', { time: hhmm(new Date(stop.scan.at)) }),
      ctx.t(`patrol.method.${stop.scan.method}`));
    if (stop.guess) facts.push(ctx.t(`patrol.guess.${stop.guess}`));
  } else if (stop.state === 'next') {
    facts.push(ctx.t('patrol.next'));
  }
  if (stop.window) {
    facts.push(ctx.t('patrol.expected', { from: hhmm(stop.window.from), to: hhmm(stop.window.to) }));
  }
  return h('li', { class: `patrol-stop patrol-${stop.state} ${stop.guess ? `patrol-guess-${stop.guess}` : ''}`,
    dataset: { checkpoint: stop.checkpoint.id }, onclick: onOpen },
  h('span', { class: 'patrol-stop-name' }, `${stop.position}. ${stop.checkpoint.name}`),
  h('span', { class: 'patrol-stop-facts' }, facts.join(' · ')));
}
