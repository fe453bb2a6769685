// The short checklist answered at a checkpoint (its `checklist_id`: a pulled definition of
// kind `patrol_checkpoint`), filled with the inspection form's own renderers (FormView): every
// item type a definition may hold is asked -- checks, choices, readings, texts, dates, times,
// photo items, signatures, repeated sections, calculated values -- with the same logic,
// required marks and evidence rules as an inspection, only without a score bar (a round is
// judged on its scans, not scored).
//
// The server keeps a visit's answers as they are given (`submit_round` stores them as
// evidence). The photos those answers cite (a photo item's pictures, a signature) also go in
// the visit's `photos`: that list is how the server knows which bytes to wait for.

import { citedPhotos } from '../inspect/answers.js';
import { DraftKeeper } from '../inspect/drafts.js';
import { FormView } from '../inspect/form_view.js';
import { PhotoShelf } from '../photos/shelf.js';
import { h, hhmm } from './dom.js';
import { exifTime } from './exif.js';

/** A checkpoint item's photos: kept as patrol photos, with the camera's time like a problem photo. */
class PatrolShelf extends PhotoShelf {
  async add(file, kind = 'patrol') {
    const taken = await exifTime(file);        // read before any IndexedDB transaction
    const ref = await super.add(file, kind);
    return taken ? { ...ref, exif_time: taken } : ref;
  }
}

/** A checkpoint's problem photos belong to the visit, not to one answer: they count as the
 * evidence of every answer there (only for the checks; the answers are sent as given). */
class CheckpointView extends FormView {
  constructor(options, problemPhotos) {
    super({ ...options, scored: false, markup: false });   // a round's photos carry no markup
    this.problemPhotos = problemPhotos;
  }

  judged(sent) {
    const extra = this.problemPhotos();
    if (!extra.length) return sent;
    return Object.fromEntries(Object.entries(sent).map(([id, answer]) => [id, Array.isArray(answer)
      ? answer : { ...answer, photos: [...new Set([...(answer.photos || []), ...extra])] }]));
  }
}

/** The answers a visit starts from: the checkpoint item is the tag just scanned, a time item now. */
function startingAnswers(definition, answers, tag, now) {
  const out = structuredClone(answers || {});
  for (const item of definition.sections.filter((s) => !s.repeat).flatMap((s) => s.items)) {
    if (out[item.id]) continue;
    if (item.type === 'checkpoint') out[item.id] = { value: tag };
    else if (item.type === 'time') out[item.id] = { value: hhmm(now) };
  }
  return out;
}

/**
 * The form of a checkpoint's checklist over its visit (`{answers, item_photos}`):
 * `{element, checklist, answers(), photos(), problems(), flush(), refresh(), release()}`. `onChange(form)` runs
 * after each change (at once for a tap or a photo, after a pause in typing, and when the
 * page is hidden); `problemPhotos()` gives the visit's problem photos (sha256).
 */
export function checkpointForm(definition, { ctx, visit, tag, problemPhotos = () => [], onChange,
  onError = () => {}, now = new Date() }) {
  const draft = { answers: startingAnswers(definition, visit.answers, tag, now),
    photos: (visit.item_photos || []).map((p) => ({ ...p })) };
  const keeper = new DraftKeeper(null, draft, { save: async () => onChange(form), onError });
  const shelf = new PatrolShelf(ctx);
  const view = new CheckpointView({ ctx, definition, draft, keeper, shelf }, problemPhotos);
  const element = h('div', { class: 'patrol-checklist' });
  view.render(element);
  keeper.attach();
  const form = {
    element,
    /** The version answered (sent with the visit: the server judges the answers by it). */
    checklist: { checklist_id: definition.id, checklist_version: definition.version },
    /** The answers to send: the items the logic shows, tidied (answers.js pruneAnswers). */
    answers: () => view.sent,
    /** Refs of the photos the answers cite ({sha256, exif_time?, ...}). */
    photos: () => {
      const cited = citedPhotos(view.sent);
      return draft.photos.filter((p) => cited.has(p.sha256));
    },
    /** What is still missing or wrong, by item label (section title for a repeat's count). */
    problems: () => [...new Set(view.evaluate().problems.map((p) => {
      const path = view.problemPath(p);
      const item = view.itemOf(path);
      const section = item ? null : view.sectionOf(path);
      return item ? view.text(item.label) : section ? view.text(section.title) : path;
    }))],
    flush: () => keeper.flush(),
    /** Check again (the visit's problem photos changed). */
    refresh: () => view.evaluate(),
    /** Stop: a change still waiting is saved, unless `keep` is false (the round is gone). */
    release: ({ keep = true } = {}) => {
      if (keep && keeper.timer) keeper.flush();
      keeper.cancel();
      shelf.release();
    },
  };
  return form;
}
