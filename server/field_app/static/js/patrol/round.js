// A patrol round on the phone, as pure functions over plain objects (no DOM, no IndexedDB),
// so Node tests them and the screen only renders and stores what they return.
//
// It mirrors the Python device (sync/client/patrol.py): a round in progress is a draft
// {id, kind: 'patrol', occurrence_id, site_id, route_id, route_version, started_at, scans,
// visits}; finishing turns it into the args of `submit_round` exactly as the server's
// schema (checklists/patrol/result_schema.py) reads them. Times are the device's clock
// with its UTC offset; the server corrects them by the offset it measures at the push.

import { citedPhotos } from '../inspect/answers.js';
import { deviceTime } from '../local_time.js';

export const SCAN_METHODS = Object.freeze(['qr', 'nfc', 'gps', 'manual']);
/** A typed code: accepted by the server but flagged (`manual_entry` on the round). */
export const MANUAL = 'manual';
export const MANUAL_FLAG = 'manual_entry';
export const MAX_TAG_LENGTH = 256;
/** The server refuses a fix claiming worse than this (100 km): it is no position. */
export const MAX_ACCURACY_M = 100000;
export const OCCURRENCES = 'patrol_occurrences';
export const ROUTES = 'patrol_routes';
export const CHECKPOINTS = 'patrol_checkpoints';
export const DEFINITIONS = 'definitions';
export const WATCH = 'household_watch';

/** ISO 8601 on the device's clock with its UTC offset, to the millisecond (a scan's time). */
export const localIso = (date) => deviceTime(date, { millis: true });

/**
 * A GPS fix as the server stores it, or null when the browser's reading is one the server
 * would refuse (and refusing one scan's fix would refuse the whole round): coordinates out of
 * range, or an accuracy that is not a positive number of metres up to 100 km.
 */
export function fixFromPosition(position) {
  const c = position && position.coords;
  if (!c) return null;
  const { latitude: lat, longitude: lon, accuracy } = c;
  const finite = [lat, lon, accuracy].every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!finite || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  if (!(accuracy > 0 && accuracy <= MAX_ACCURACY_M)) return null;
  return { lat, lon, accuracy_m: accuracy };
}

const docs = (rows) => rows.map((r) => r.doc).filter(Boolean);

/** The newest published pulled version of definition `id` (records `{definition, status}`). */
export function newestDefinition(rows, id) {
  const found = rows.map((r) => r.doc)
    .filter((d) => d && d.definition && d.definition.id === id &&
      (d.status || 'published') === 'published')
    .sort((a, b) => a.definition.version - b.definition.version);
  return found.length ? found[found.length - 1].definition : null;
}

/**
 * The definition a visit's form renders: the version its answers were given to when the visit
 * names one still pulled (a resumed round keeps labelling them as answered), else the newest.
 */
export function visitDefinition(rows, checklistId, visit) {
  if (visit && visit.checklist_id === checklistId && Number.isInteger(visit.checklist_version)) {
    const named = rows.map((r) => r.doc).find((d) => d && d.definition &&
      d.definition.id === checklistId && d.definition.version === visit.checklist_version);
    if (named) return named.definition;
  }
  return newestDefinition(rows, checklistId);
}

/** Whether `me` walks the occurrence: a named guard, or any guard for a post's round. */
export function isAssigned(occurrence, me) {
  const assignees = occurrence.assignees || {};
  if ('post' in assignees) return me.role === 'guard';
  return (assignees.guards || []).includes(me.user_id);
}

/**
 * My rounds still to walk, by start (those with a result or cancelled/missed left out),
 * each with where `now` falls: `upcoming` (before it opens), `open`, `late` (past the grace),
 * `overdue` (past the deadline: the server marks it missed, a late result is still judged).
 */
export function myRounds(occurrenceRows, me, now = new Date()) {
  const t = now.getTime();
  return docs(occurrenceRows)
    .filter((o) => o.status === 'scheduled' && o.round_id == null && isAssigned(o, me))
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))
    .map((o) => {
      const state = t < Date.parse(o.opens) ? 'upcoming'
        : t <= Date.parse(o.late_after) ? 'open'
          : t <= Date.parse(o.deadline) ? 'late' : 'overdue';
      return { occurrence: o, state };
    });
}

/** The published route version a round was planned with (records `<route>@<version>`). */
export function findRoute(routeRows, routeId, version) {
  const found = docs(routeRows).find((d) => d.route && d.route.id === routeId &&
    d.route.version === version);
  return found ? found.route : null;
}

/** `{checkpoint_id: checkpoint}` of a site (one pulled record per site). */
export function siteCheckpoints(checkpointRows, siteId) {
  const record = docs(checkpointRows).find((d) => d.id === siteId || d.site_id === siteId);
  return record ? record.checkpoints || {} : {};
}

export function checkpointOfTag(checkpoints, tag) {
  return Object.values(checkpoints).find((c) => c.tag === tag) || null;
}

/** A new round draft for an occurrence; `id` becomes the round's id (the server's dedup key). */
export function newRound(occurrence, { id, now }) {
  const at = localIso(now);
  return {
    id, kind: 'patrol', occurrence_id: occurrence.id, site_id: occurrence.site_id,
    route_id: occurrence.route_id, route_version: occurrence.route_version,
    started_at: at, updated_at: at, scans: [], visits: {}, photos: [],
  };
}

/** Why a tag code cannot be recorded (null when it can): the server's own limits. */
export function tagProblem(tag) {
  if (typeof tag !== 'string' || !tag.trim()) return 'blank';
  if (tag.length > MAX_TAG_LENGTH) return 'too_long';
  return null;
}

/**
 * The draft with one more scan (a new object: the stored draft changes only when the caller
 * saves it). A tag that is no checkpoint is still recorded: the server flags it `unexpected`.
 */
export function addScan(draft, { tag, method, at, fix = null }) {
  if (!SCAN_METHODS.includes(method)) throw new Error(`unknown scan method ${method}`);
  const problem = tagProblem(tag);
  if (problem) throw new Error(`tag ${problem}`);
  if (method === 'gps' && !fix) throw new Error('a gps check-in needs its fix');
  const scan = { tag, at: localIso(at), method };
  if (fix) scan.gps = { lat: fix.lat, lon: fix.lon, accuracy_m: fix.accuracy_m };
  return { ...draft, scans: [...draft.scans, scan], updated_at: scan.at };
}

/**
 * The draft with a checkpoint's visit updated: its answers replaced when given (the form
 * holds them all: an answer taken back or hidden by the checklist's logic must go), a problem
 * photo added (`{sha256, exif_time?}`), the refs of the photos its items took replaced when
 * given (`item_photos`: a photo item's pictures, a signature), `done_at` (the guard's last
 * act there) set to `at`. `checklist` (`{checklist_id, checklist_version}`, given with the
 * answers) names the version the form rendered: the server judges the answers by it.
 */
export function updateVisit(draft, checkpointId, { answers = null, photo = null, itemPhotos = null,
  checklist = null, at }) {
  const old = draft.visits[checkpointId] || { answers: {}, photos: [] };
  const visit = {
    answers: answers === null ? old.answers : { ...answers },
    photos: photo ? [...old.photos, photo] : old.photos,
    done_at: localIso(at),
  };
  const named = checklist || old;
  if (named.checklist_id && Number.isInteger(named.checklist_version)) {
    visit.checklist_id = named.checklist_id;
    visit.checklist_version = named.checklist_version;
  }
  const items = itemPhotos === null ? old.item_photos : itemPhotos;
  if (items && items.length) visit.item_photos = items.map((p) => ({ ...p }));
  return { ...draft, visits: { ...draft.visits, [checkpointId]: visit }, updated_at: visit.done_at };
}

/**
 * Answers with the unanswered entries ({} or value null/'') dropped, as the server wants; a
 * repeated section's instances (a list, already tidied by the form) pass as they are.
 */
export function cleanAnswers(answers) {
  const out = {};
  for (const [item, answer] of Object.entries(answers || {})) {
    if (Array.isArray(answer)) {
      if (answer.length) out[item] = answer;
      continue;
    }
    if (!answer || typeof answer !== 'object') continue;
    const kept = Object.fromEntries(Object.entries(answer).filter(
      ([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && !v.length)));
    if (Object.keys(kept).length) out[item] = kept;
  }
  return out;
}

/**
 * A visit's photos as the server reads them (`{sha256, exif_time?}`): the problem photos,
 * then those its answers cite (the server waits for the bytes of exactly these).
 */
function visitPhotos(visit, answers) {
  const cited = citedPhotos(answers);
  const seen = new Set();
  return [...visit.photos, ...(visit.item_photos || []).filter((p) => cited.has(p.sha256))]
    .filter((p) => !seen.has(p.sha256) && seen.add(p.sha256))
    .map((p) => (p.exif_time ? { sha256: p.sha256, exif_time: p.exif_time } : { sha256: p.sha256 }));
}

/** The `submit_round` args of a finished draft: exactly the fields the server's schema reads. */
export function submitRoundArgs(draft, finishedAt) {
  const visits = {};
  for (const [cid, v] of Object.entries(draft.visits)) {
    const answers = cleanAnswers(v.answers);
    const visit = { answers, photos: visitPhotos(v, answers) };
    if (v.done_at) visit.done_at = v.done_at;
    if (v.checklist_id) {
      visit.checklist_id = v.checklist_id;
      visit.checklist_version = v.checklist_version;
    }
    visits[cid] = visit;
  }
  return {
    id: draft.id, occurrence_id: draft.occurrence_id, route_id: draft.route_id,
    route_version: draft.route_version, started_at: draft.started_at,
    finished_at: localIso(finishedAt), scans: draft.scans.map((s) => ({ ...s })), visits,
  };
}

const seconds = (iso) => Date.parse(iso) / 1000;

/**
 * The route's progress for the screen: each stop in route order with its first scan (the
 * visit, as the server counts it), the expected time window where one applies (the
 * schedule's windows, or the route's walk from the previous visit ± tolerance), a local
 * guess of on time / early / late (the server judges with the measured clock offset),
 * which stop is next, and the scans of tags that are no stop of the route.
 */
export function progress(route, checkpoints, occurrence, draft) {
  const windowed = occurrence.timing && occurrence.timing.mode === 'window';
  const strict = route.order === 'strict';
  const startS = seconds(occurrence.start);
  const position = new Map(route.stops.map((s, i) => [s.checkpoint_id, i]));
  const byTag = new Map(Object.values(checkpoints).map((c) => [c.tag, c]));
  const elapsed = [];
  const slack = [];
  route.stops.reduce(([t, s], stop) => {
    elapsed.push(t + stop.travel_s);
    slack.push(s + stop.tolerance_s);
    return [t + stop.travel_s, s + stop.tolerance_s];
  }, [0, 0]);
  const visits = new Map();
  const unexpected = [];
  draft.scans.forEach((scan, k) => {
    const checkpoint = byTag.get(scan.tag);
    const pos = checkpoint ? position.get(checkpoint.id) : undefined;
    if (pos === undefined) unexpected.push({ ...scan, index: k, name: checkpoint && checkpoint.name });
    else if (!visits.has(pos)) visits.set(pos, { scan, k });
  });
  const expectation = (pos, prevPos, prevAt) => {
    const cid = route.stops[pos].checkpoint_id;
    if (windowed) {
      const w = (occurrence.timing.windows || []).find((x) => x.checkpoint_id === cid);
      return w ? [startS + w.open_min * 60, startS + w.close_min * 60] : null;
    }
    if (prevPos === null && !strict) return null;
    const [a, b] = prevPos === null ? [-1, pos] : [Math.min(prevPos, pos), Math.max(prevPos, pos)];
    const travel = elapsed[b] - (a < 0 ? 0 : elapsed[a]);
    const tol = slack[b] - (a < 0 ? 0 : slack[a]);
    return [prevAt + travel - tol, prevAt + travel + tol];
  };
  let prevPos = null;
  let prevAt = seconds(draft.started_at);
  const judged = new Map();
  for (const [pos, { scan, k }] of [...visits.entries()].sort((x, y) => x[1].k - y[1].k)) {
    const at = seconds(scan.at);
    const window = expectation(pos, prevPos, prevAt);
    let guess = 'on_time';
    if (window && at > window[1]) guess = 'late';
    else if (at > seconds(occurrence.deadline)) guess = 'late';
    else if (window && at < window[0]) guess = 'early';
    judged.set(pos, { scan, index: k, window, guess });
    prevPos = pos;
    prevAt = at;
  }
  const nextPos = strict
    ? route.stops.findIndex((_, pos) => !visits.has(pos) && pos > Math.max(-1, ...visits.keys()))
    : route.stops.findIndex((_, pos) => !visits.has(pos));
  const stops = route.stops.map((stop, pos) => {
    const checkpoint = checkpoints[stop.checkpoint_id] || { id: stop.checkpoint_id, name: stop.checkpoint_id };
    const seen = judged.get(pos);
    const base = { position: pos + 1, checkpoint, visit: draft.visits[stop.checkpoint_id] || null };
    if (seen) return { ...base, state: 'done', scan: seen.scan, window: toTimes(seen.window), guess: seen.guess };
    const next = pos === nextPos;
    return { ...base, state: next ? 'next' : 'todo', scan: null, guess: null,
      window: next ? toTimes(expectation(pos, prevPos, prevAt)) : null };
  });
  const done = judged.size;
  return { stops, done, total: route.stops.length, left: route.stops.length - done, unexpected };
}

function toTimes(window) {
  return window ? { from: new Date(window[0] * 1000), to: new Date(window[1] * 1000) } : null;
}
