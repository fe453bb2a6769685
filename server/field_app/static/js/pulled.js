// The device's copy of its buckets: pulled records plus one cursor per bucket (mirrors
// sync/client/pulled.py). A page's rows and its new cursors are written in ONE Dexie
// transaction: after a crash the device holds the page and its cursors or neither, and
// re-pulling re-applies at most a page it has -- harmless, because a put is applied only
// when its `v` is newer than the local row's (or either has none).
// `reset` drops the bucket's rows first, `removed_buckets` drops rows and cursor; neither
// touches the outbox. Rows are {bucket, type, id, v, seq, doc}.
import { db, getMeta, setMeta } from './db.js';
import { newer, newestById } from './pulled_rows.js';

/** Apply one pull response and its cursors atomically; return counts applied. */
export async function applyPage(page) {
  const counts = { put: 0, del: 0, skipped: 0, reset: 0, removed: 0 };
  await db.transaction('rw', db.records, db.meta, async () => {
    const cursors = { ...(await getMeta('cursors', {})) };
    for (const segment of page.buckets) {
      const bucket = segment.name;
      if (segment.reset) {
        await db.records.where('bucket').equals(bucket).delete();
        counts.reset += 1;
      }
      const keys = segment.changes.map((c) => [bucket, c.type, c.id]);
      const local = await db.records.bulkGet(keys);
      const puts = new Map(), dels = [], gone = new Set();
      segment.changes.forEach((change, i) => {
        const key = keys[i].join('\u0000');
        if (change.op === 'del' || change.op === 'remove') {
          puts.delete(key);
          gone.add(key);
          dels.push(keys[i]);
          counts.del += 1;
          return;
        }
        const held = puts.get(key) || (gone.has(key) ? null : local[i]);
        if (!newer(change, held)) { counts.skipped += 1; return; }
        puts.set(key, { bucket, type: change.type, id: change.id, v: change.v ?? null,
                        seq: change.seq, doc: change.data ?? null });
        counts.put += 1;
      });
      if (dels.length) await db.records.bulkDelete(dels);
      if (puts.size) await db.records.bulkPut([...puts.values()]);
      cursors[bucket] = segment.cursor;
    }
    for (const bucket of page.removed_buckets || []) {
      await db.records.where('bucket').equals(bucket).delete();
      delete cursors[bucket];
      counts.removed += 1;
    }
    // cursors_epoch: the epoch these cursors count in, sent back with the next pull
    await setMeta({ cursors, high_water: page.high_water ?? null,
                    cursors_epoch: page.epoch ?? null });
  });
  return counts;
}

/** Pulled rows of `type` across buckets (the newest `v` when several buckets hold one);
 *  the record is `row.doc` (the pull's `data`, renamed once here as the contract names it). */
export async function records(type) {
  return newestById(await db.records.where('type').equals(type).toArray());
}

/** The document of one pulled record, or null. */
export async function recordDoc(type, id) {
  const found = (await records(type)).find((r) => r.id === id);
  return found ? found.doc : null;
}
