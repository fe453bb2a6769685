// The outbox: mutations made offline, numbered 1, 2, 3... per client id, kept until the
// server acknowledges them (mirrors sync/client/outbox.py).
//
// A mutation gets its id and is stored in ONE Dexie transaction over meta+outbox, so it
// exists with its id or not at all, and no id is ever handed out twice. Rows stay in the
// table after the server's ack as a short archive (state 'acked'): a server restored from
// a backup may ask for them again. Rejected ones stay visible with their reason
// (state 'rejected'); the queue goes on. A new login (or a server that lost this client
// id's history) rotates the client id: pending ones are renumbered from 1 under the new
// id, which is safe because every mutation is idempotent by its own record id.
import { db, getMeta, setMeta } from './db.js';
import { deviceTime } from './local_time.js';
import { ACKED, PENDING, REJECTED } from './outbox_states.js';

export { ACKED, PENDING, REJECTED };
const ARCHIVE_MAX = 1000;
const ARCHIVE_MS = 30 * 24 * 3600 * 1000;
const RESUBMITTABLE = new Set(['submit_result', 'amend_result']); // insert-once by result_id

/** 32 random hex digits (getRandomValues: unlike randomUUID it exists over plain http too). */
export function newId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)),
                    (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Local time with its offset, as the Python client's client_ts. */
export const nowText = (date = new Date()) => deviceTime(date);

/** The client id (created once, with the id counter, on first use). */
export async function clientId() {
  return db.transaction('rw', db.meta, async () => {
    let id = await getMeta('client_id');
    if (!id) {
      id = newId();
      await setMeta({ client_id: id, next_mutation_id: 1 });
    }
    return id;
  });
}

/** Append mutations [{name, args}] inside the caller's rw transaction; return their ids. */
async function appendIn(mutations) {
  if (!(await getMeta('client_id'))) await setMeta({ client_id: newId(), next_mutation_id: 1 });
  let next = await getMeta('next_mutation_id', 1);
  const at = nowText();
  const rows = mutations.map(({ name, args }) => ({
    mutation_id: next++, name, args, queued_at: at, state: PENDING, error: null }));
  await db.outbox.bulkAdd(rows); // bulkAdd: an existing id is an error, never overwritten
  await setMeta({ next_mutation_id: next });
  return rows.map((r) => r.mutation_id);
}

/** Queue one mutation; durable when the promise resolves. */
export async function enqueue(name, args) {
  const [id] = await enqueueWith([{ name, args }]);
  return id;
}

/** Queue mutations, running txWork(tables) in the same transaction (e.g. drop a draft). */
export async function enqueueWith(mutations, txWork = null, tables = []) {
  return db.transaction('rw', [db.meta, db.outbox, ...tables], async () => {
    if (txWork) await txWork(db);
    return appendIn(mutations);
  });
}

// Every id at or below `acked_through` is answered (acknowledged or rejected), every id
// above it pending: acknowledgement goes by "every id up to N", appends take the next id.
// So pending rows are one key range, read without scanning the archive.
async function pendingRows(limit = Infinity) {
  const through = await getMeta('acked_through', 0);
  const rows = db.outbox.where('mutation_id').above(through);
  return limit === Infinity ? rows.toArray() : rows.limit(limit).toArray();
}

/** Pending mutations in id order as a push sends them; at most `limit` and ~`maxBytes`. */
export async function pending(limit = Infinity, maxBytes = Infinity) {
  const rows = await pendingRows(limit);
  const out = [];
  let size = 0;
  for (const m of rows) {
    const mutation = { id: m.mutation_id, name: m.name, client_ts: m.queued_at, args: m.args };
    size += JSON.stringify(mutation).length;
    if (out.length && (out.length >= limit || size > maxBytes)) break;
    out.push(mutation);
  }
  return out;
}

/** Drop pending mutations up to `last`; rejected ones keep their reason. */
export async function acknowledge(last, results = []) {
  const errors = new Map(results.filter((r) => r.status === 'rejected').map((r) => [r.id, r.error]));
  return db.transaction('rw', db.meta, db.outbox, async () => {
    const through = await getMeta('acked_through', 0);
    if (last <= through) return 0;
    const done = await db.outbox.where('mutation_id').between(through, last, false, true).toArray();
    const at = Date.now();
    await db.outbox.bulkPut(done.map((m) => (errors.has(m.mutation_id)
      ? { ...m, state: REJECTED, error: errors.get(m.mutation_id), rejected_at: at }
      : { ...m, state: ACKED, acked_at: at })));
    await setMeta({ acked_through: last });
    return done.length;
  });
}

/** Drop archived acknowledgements beyond the newest ARCHIVE_MAX or older than 30 days
 *  (once per sync: it reads the whole archive). Refusals stay. */
export async function pruneArchive() {
  await db.transaction('rw', db.outbox, async () => {
    const acked = (await db.outbox.orderBy('mutation_id').toArray()).filter((m) => m.state === ACKED);
    const horizon = Date.now() - ARCHIVE_MS;
    const drop = acked.filter((m, i) => i < acked.length - ARCHIVE_MAX || m.acked_at < horizon);
    await db.outbox.bulkDelete(drop.map((m) => m.mutation_id));
  });
}

/** Acknowledged mutations from..to if the archive still holds all of them, else null. */
export async function archived(from, to) {
  const rows = (await db.outbox.where('mutation_id').between(from, to, true, true).toArray())
    .filter((m) => m.state === ACKED);
  if (rows.length !== to - from + 1) return null;
  return rows.map((m) => ({ id: m.mutation_id, name: m.name, client_ts: m.queued_at, args: m.args }));
}

/** Start a new client id; pending mutations are renumbered from 1 (in order). */
export async function rotate() {
  await db.transaction('rw', db.meta, db.outbox, async () => {
    const rows = await db.outbox.orderBy('mutation_id').toArray();
    const through = await getMeta('acked_through', 0);
    const waiting = rows.filter((m) => m.mutation_id > through);
    const refused = rows.filter((m) => m.state === REJECTED);
    const oldId = await getMeta('client_id');
    // refused ones stay visible, kept aside: their ids belong to the old client id
    const kept = (await getMeta('rejected_before', [])).concat(
      refused.map((m) => ({ ...m, client_id: oldId })));
    await db.outbox.clear();
    await db.outbox.bulkAdd(waiting.map((m, i) => ({ ...m, mutation_id: i + 1 })));
    await setMeta({ client_id: newId(), next_mutation_id: waiting.length + 1,
                    rejected_before: kept, acked_through: 0 });
  });
}

/** Tie the outbox to a new device registration; true if the client id rotated. */
export async function bind(deviceId, userId) {
  const known = await getMeta('device_id');
  if (known === deviceId) return false;
  const first = known === null && (await getMeta('next_mutation_id', 1)) === 1;
  if (!first) await rotate();
  await setMeta({ device_id: deviceId, user_id: userId });
  return !first;
}

/** Queue again every archived result submission not pending (the server may have lost
 *  them: a restore from backup); return how many. Re-sending is answered `duplicate`. */
export async function requeueResults() {
  return db.transaction('rw', db.meta, db.outbox, async () => {
    const rows = await db.outbox.orderBy('mutation_id').toArray();
    const waiting = new Set((await pendingRows()).map((m) => m.args.result_id));
    const again = new Map();
    for (const m of rows) {
      const rid = m.args && m.args.result_id;
      if (m.state === ACKED && RESUBMITTABLE.has(m.name) && !waiting.has(rid) && !again.has(rid)) {
        again.set(rid, { name: m.name, args: m.args });
      }
    }
    if (again.size) await appendIn([...again.values()]);
    return again.size;
  });
}

/** Remember the server's epoch; on a change re-queue results and return how many. */
export async function noteEpoch(epoch) {
  if (!epoch) return 0;
  return db.transaction('rw', db.meta, db.outbox, async () => {
    const known = await getMeta('epoch');
    if (known === epoch) return 0;
    await setMeta({ epoch });
    return known === null ? 0 : requeueResults();
  });
}

/** Everything the server refused, newest last (this client id's and earlier ones'). */
export async function rejected() {
  const now = await db.outbox.where('state').equals(REJECTED).sortBy('mutation_id'); // not the archive
  return (await getMeta('rejected_before', [])).concat(now);
}
