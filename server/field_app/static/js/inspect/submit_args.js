/**
 * The `submit_result` mutation args of a finished draft, exactly as the server's
 * sync/mutation_args.SubmitResult takes them (and as sync/client/fill.py builds them):
 * the draft's result id (fixed when the draft was made, so a retried submit is the
 * same result), the pruned answers, the photos the answers cite (by sha256, with
 * their markup), device times with the device's UTC offset, GPS when there is a fix,
 * and the plan occurrence being filled (sync/plan_link.py).
 */
import { deviceTime } from '../local_time.js';
import { citedPhotos } from './answers.js';

export { deviceTime }; // the form's times, as its modules import them

/** A new result id: 32 hex digits like the Python client's uuid4().hex. */
export function newResultId() {
  return crypto.randomUUID().replaceAll('-', '');
}

/** The PhotoRef of one draft photo: only fields the server schema knows. */
function photoRef(ref) {
  const out = { sha256: ref.sha256 };
  if (ref.item) out.item = ref.item;
  if (ref.content_type) out.content_type = ref.content_type;
  if (ref.size) out.size = ref.size;
  if (ref.taken_at) out.taken_at = ref.taken_at;
  if (ref.annotations && ref.annotations.shapes && ref.annotations.shapes.length) {
    out.annotations = ref.annotations;
  }
  return out;
}

/**
 * @param draft    the inspection draft ({result_id, site_id, definition_id, version,
 *                 photos, started_at, occurrence, note})
 * @param answers  the pruned answers (answers.js pruneAnswers)
 * @param opts     {finishedAt: Date, gps: {lat, lon, accuracy_m, at} | null}
 */
export function buildSubmitArgs(draft, answers, { finishedAt = new Date(), gps = null } = {}) {
  const cited = citedPhotos(answers);
  const seen = new Set();
  const photos = (draft.photos || []).filter((ref) => {
    if (!cited.has(ref.sha256) || seen.has(ref.sha256)) return false;
    seen.add(ref.sha256);
    return true;
  }).map(photoRef);
  const args = {
    result_id: draft.result_id,
    site_id: draft.site_id,
    checklist: { id: draft.definition_id, version: draft.version },
    answers,
    photos,
    finished_at: deviceTime(finishedAt),
  };
  if (draft.started_at) args.started_at = draft.started_at;
  if (gps) args.gps = gps;
  if (draft.occurrence) args.occurrence_id = draft.occurrence;
  if (draft.note && draft.note.trim()) args.note = draft.note;
  return args;
}
