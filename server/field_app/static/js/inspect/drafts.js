/**
 * Inspection drafts in `db.drafts` (kind 'inspect'): a tap, a photo or a markup
 * is saved at once; typing is saved a short while after the last key (not a write
 * per key), and at once when the page is hidden or unloaded -- a phone that
 * switches to the camera app may kill the browser, and whatever was answered must
 * still be there. (A write started in `pagehide` may not finish before the page
 * is torn down, which is why discrete changes do not wait for it.)
 */
import { newResultId, deviceTime } from './submit_args.js';

export const KIND = 'inspect';
const SAVE_DELAY_MS = 400;

export function newDraft({ definition, siteId, occurrence = null }) {
  const now = deviceTime();
  return {
    id: `insp-${newResultId()}`,
    kind: KIND,
    definition_id: definition.id,
    version: definition.version,
    title: definition.title,
    site_id: siteId || null,
    occurrence: occurrence || null,
    result_id: newResultId(),
    answers: {},
    photos: [],
    note: '',
    started_at: now,
    updated_at: now,
  };
}

/** Open inspection drafts, the latest first. */
export async function listDrafts(db) {
  const all = await db.drafts.where('kind').equals(KIND).toArray();
  return all.sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)));
}

export async function discardDraft(db, id) {
  await db.drafts.delete(id);
}

/**
 * Saves one draft: debounced on change, flushed when the page goes away. `save(draft)`
 * replaces the write to `db.drafts` where the draft lives inside another record (a
 * checkpoint's answers inside a patrol round).
 */
export class DraftKeeper {
  constructor(db, draft, { onSaved = () => {}, onError = () => {}, save = null } = {}) {
    this.db = db;
    this.draft = draft;
    this.save = save || ((d) => this.db.drafts.put(structuredClone(d)));
    this.timer = null;
    this.stored = false; // nothing is written before the first change: no empty drafts
    this.onSaved = onSaved;
    this.onError = onError;
    this.flushNow = () => { if (this.timer) this.flush(); };
    this.onVisibility = () => { if (document.visibilityState === 'hidden') this.flushNow(); };
  }

  attach() {
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener('pagehide', this.flushNow);
  }

  detach() {
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener('pagehide', this.flushNow);
  }

  /** Note a change: saved at once when `now` (a tap, a photo), else after a pause in typing. */
  changed({ now = false } = {}) {
    this.draft.updated_at = deviceTime();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), now ? 0 : SAVE_DELAY_MS);
  }

  async flush() {
    clearTimeout(this.timer);
    this.timer = null;
    try {
      await this.save(this.draft);
      this.stored = true;
      this.onSaved(this.draft);
    } catch (err) {
      this.onError(err);
    }
  }

  /** Stop saving (the draft was submitted or discarded). */
  cancel() {
    clearTimeout(this.timer);
    this.timer = null;
    this.detach();
  }
}
