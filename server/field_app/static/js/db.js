// The device's IndexedDB (Dexie), schema version 2 of the field-app contract: version 1's
// tables, and the outbox indexed by state (its acked rows stay as an archive of up to a
// thousand results, which Today and the status bar must not read to count what waits).
// Large values (photo blobs, documents) are never indexed: indexes hold keys only.
import Dexie from '../vendor/dexie.min.mjs';
import { clearSnapshot, forgetSession } from './today_snapshot.js';

export const DB_NAME = 'fieldsync';

export function openDb(name = DB_NAME) {
  const db = new Dexie(name);
  db.version(1).stores({
    meta: '&key',
    records: '&[bucket+type+id], type, bucket',
    outbox: '&mutation_id',
    drafts: '&id, kind, updated_at',
    photos: '&sha256, state',
  });
  db.version(2).stores({ outbox: '&mutation_id, state' });
  db.use(SNAPSHOT_GUARD);
  return db;
}

// meta keys whose change means another session, or other server history or language:
// Today's snapshot (today_snapshot.js) no longer shows this user's screen
const SESSION_KEYS = new Set(['token', 'me', 'device', 'device_id', 'user_id']);
const VIEW_KEYS = new Set(['epoch', 'lang']);

const deletes = (req) => req.type === 'delete' || req.type === 'deleteRange';

/** 'session', 'view' or null: what a write to `tableName` ends (a draft deleted -- discarded
 *  or sent -- is one Today's snapshot may still list). */
function endsSnapshot(tableName, req) {
  if (tableName === 'records' || tableName === 'drafts') return deletes(req) ? 'view' : null;
  if (tableName !== 'meta') return null;
  if (req.type === 'deleteRange') return 'session';
  const keys = req.type === 'delete' ? req.keys : req.values.map((row) => row && row.key);
  if (keys.some((key) => SESSION_KEYS.has(key))) return 'session';
  return keys.some((key) => VIEW_KEYS.has(key)) ? 'view' : null;
}

/** Clears the Today snapshot when a write ends what it showed: every writer (login,
 *  logout, an epoch change, a pull's bucket reset or removal) goes through here, so no
 *  code path can leave a snapshot of the wrong user or history behind. */
const SNAPSHOT_GUARD = {
  stack: 'dbcore',
  name: 'today-snapshot-guard',
  create(down) {
    return {
      ...down,
      table(tableName) {
        const table = down.table(tableName);
        return {
          ...table,
          mutate(req) {
            const ends = endsSnapshot(tableName, req);
            if (ends === 'session') forgetSession();
            else if (ends === 'view') clearSnapshot();
            return table.mutate(req);
          },
        };
      },
    };
  },
};

export const db = openDb();

/** One meta value (inside a transaction when called from one). */
export async function getMeta(key, fallback = null) {
  const row = await db.meta.get(key);
  return row === undefined ? fallback : row.value;
}

export async function setMeta(values) {
  await db.meta.bulkPut(Object.entries(values).map(([key, value]) => ({ key, value })));
}
