// Sync v1 exactly as sync/client keeps it (device.py, pusher.py): push the outbox, upload
// photos, pull until the server has nothing more. Every step is safe to interrupt and to run
// again: the server's last_mutation_id decides what leaves the outbox, never the fact that a
// request was sent, so a lost response is harmless (the replayed ids answer `duplicate`).
//
// Push answers: 409 `expected` > our first id -> the server has the earlier ones (their
// answer was lost): drop them. `expected` < our first id -> the server lost acknowledged
// work (restored): re-send it from the archive, else start a new client id. 403
// client_not_owned -> this client id belongs to an older login: a new client id.
import { request, ApiError, reason } from './api.js';
import { db, getMeta, setMeta } from './db.js';
import * as outbox from './outbox.js';
import { applyPage } from './pulled.js';

export const SCHEMA_VERSION = 1;
const BATCH_MAX = 200;
const BATCH_BYTES = 256 * 1024;
const PULL_LIMIT = 500;
const MAX_ROTATIONS = 2;

/** Push until the outbox is empty; return what the server answered. */
export async function push() {
  const report = { applied: 0, duplicate: 0, rejected: [], missing: new Set(), requeued: 0 };
  let resend = [], rotations = 0;
  const rotate = async () => {
    if (rotations >= MAX_ROTATIONS) {
      throw new ApiError('the server refuses every client id of this device; log in again', 403, null, 'error.client_ids');
    }
    rotations += 1;
    await outbox.rotate();
  };
  for (;;) {
    const batch = resend.length ? resend.slice(0, BATCH_MAX) : await outbox.pending(BATCH_MAX, BATCH_BYTES);
    if (!batch.length) return report;
    const { status, body } = await request('/sync/push', { method: 'POST', accept: [200, 403, 409], json: {
      client_id: await outbox.clientId(), schema_version: SCHEMA_VERSION, sent_at: outbox.nowText(),
      epoch: await getMeta('epoch'), mutations: batch } });
    const answer = body && typeof body === 'object' ? body : {};
    if (status === 200) {
      resend = resend.slice(batch.length);
      await take(answer, report, batch);
    } else if (status === 409 && Number.isInteger(answer.expected)) {
      resend = await gap(answer.expected, batch[0].id);
      if (resend === null) { await rotate(); resend = []; }
    } else if (status === 403 && answer.error === 'client_not_owned') {
      await rotate();
      resend = [];
    } else {
      throw new ApiError(`push refused (HTTP ${status}): ${reason(answer, status)}`, status, answer,
        'error.push_refused', { status, reason: reason(answer, status) });
    }
  }
}

async function take(body, report, batch) {
  const last = body.last_mutation_id;
  const lastSent = batch[batch.length - 1].id;
  if (!Number.isInteger(last) || last < lastSent) {
    throw new ApiError(`push answer acknowledged ${last}, not ${lastSent}`, 502, body, 'error.protocol');
  }
  const results = body.results || [];
  for (const result of results) {
    if (result.status === 'rejected') report.rejected.push(result);
    else report[result.status] = (report[result.status] || 0) + 1;
    for (const sha of result.missing_photos || []) report.missing.add(sha);
  }
  await outbox.acknowledge(last, results);
  report.requeued += await outbox.noteEpoch(body.epoch);
}

/** A 409: the mutations to re-send first ([] = none, null = unrecoverable). */
async function gap(expected, first) {
  if (expected > first) {
    await outbox.acknowledge(expected - 1);
    return [];
  }
  if (expected < first) return outbox.archived(expected, first - 1);
  throw new ApiError(`server reported a gap at ${expected}, the id it was sent`, 502, null, 'error.protocol');
}

/** Pull until the server has nothing more; return {pages, changed, requeued}. */
export async function pull() {
  let pages = 0, changed = 0, requeued = 0, rotated = false;
  for (;;) {
    const had = await getMeta('cursors', {});
    const hadEpoch = await getMeta('cursors_epoch');
    const { status, body: page } = await request('/sync/pull', { method: 'POST', accept: [200, 403],
      json: { client_id: await outbox.clientId(), schema_version: SCHEMA_VERSION,
              epoch: hadEpoch, cursors: had, limit: PULL_LIMIT } });
    if (status === 403) {
      if (rotated) throw new ApiError(`pull refused: ${reason(page, status)}`, status, page, 'error.pull_refused', { reason: reason(page, status) });
      await outbox.rotate(); // this client id belongs to an older login
      rotated = true;
      continue;
    }
    const counts = await applyPage(page);
    changed += counts.put + counts.del + counts.reset + counts.removed;
    requeued += await outbox.noteEpoch(page.epoch);
    // Within one epoch a held cursor beyond high_water means the server lost history
    // (restored without a new epoch): results may be gone, re-send them. A reset at or
    // below it is the tombstone horizon: refetching is enough.
    const otherEpoch = hadEpoch !== null && page.epoch !== hadEpoch;
    if (!otherEpoch && page.buckets.some((s) => s.reset && (had[s.name] || 0) > page.high_water)) {
      requeued += await outbox.requeueResults();
    }
    await outbox.acknowledge(page.last_mutation_id);
    pages += 1;
    if (!page.has_more) return { pages, changed, requeued };
  }
}

/** Photos the server says it lacks go back to waiting (when the device still has them). */
async function requeuePhotos(missing) {
  if (!missing.size) return;
  await db.transaction('rw', db.photos, async () => {
    const rows = (await db.photos.bulkGet([...missing])).filter((p) => p && p.blob);
    await db.photos.bulkPut(rows.map((p) => ({ ...p, state: 'waiting', offset: 0, error: null })));
  });
}

/** The TUS slice's uploader, when it is there; its absence only skips uploads. */
async function uploadPhotos(ctx, onProgress) {
  let mod;
  try {
    mod = await import('./upload.js');
  } catch (err) {
    return null;
  }
  return mod.uploadWaitingPhotos(ctx, { onProgress });
}

/** One round: push, upload, pull; again when the pull re-queued results. */
export async function syncOnce(ctx, onProgress = () => {}) {
  const round = async () => {
    const pushed = await push();
    await requeuePhotos(pushed.missing);
    await uploadPhotos(ctx, onProgress);
    const pulled = await pull();
    return { pushed, pulled };
  };
  const sent = (p) => p.applied + p.duplicate + p.rejected.length;
  let { pushed, pulled } = await round();
  const rejected = [...pushed.rejected];
  let answered = sent(pushed), changed = pulled.changed;
  if (pushed.requeued || pulled.requeued) {
    ({ pushed, pulled } = await round());
    rejected.push(...pushed.rejected);
    answered += sent(pushed);
    changed += pulled.changed;
  }
  await outbox.pruneArchive();
  await setMeta({ last_sync: new Date().toISOString(), last_error: null });
  // `changed`: records the pull changed; `answered`: changes the server took or refused
  return { rejected, answered, changed, pages: pulled.pages };
}

/** Why a sync failed, in words a user can act on; kept in meta.last_error. */
export function describeError(err) {
  const status = err.status ?? null;
  let message = err.message || String(err);
  if (status === 401) message = `the server refused this device's token (${message}); log in again`;
  if (status === 426) message = `upgrade the app: this version is too old for the server (${message}); your unsent work is kept`;
  if (status === 0) message = `offline: ${message}`;
  // the text to show: these three in the user's language, others as the error says
  const key = { 401: 'error.token', 426: 'error.upgrade', 0: 'error.offline' }[status] || err.key || null;
  return { at: new Date().toISOString(), status, message, key, vars: { cause: message, ...err.vars } };
}

export { BackoffScheduler } from './sync_schedule.js';
