// Which pulled row counts when several buckets hold one record (mirrors sync/client/
// pulled.py): the newest `v`, or the incoming one when either has none. Apart from
// pulled.js so the first screen reads records without loading Dexie (idb_reads.js).

/** True when `incoming` replaces `local` (absent, or either without a version). */
export function newer(incoming, local) {
  if (!local) return true;
  const a = incoming.v, b = local.v;
  return a === null || a === undefined || b === null || b === undefined || a > b;
}

/** One row per record id (the newest across buckets), sorted by id. */
export function newestById(rows) {
  const best = new Map();
  for (const row of rows) {
    if (newer(row, best.get(row.id))) best.set(row.id, row);
  }
  return [...best.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
