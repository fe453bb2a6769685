// The device's IndexedDB (Dexie), schema version 1 of the field-app contract.
// Large values (photo blobs, documents) are never indexed: indexes hold keys only.
import Dexie from '../vendor/dexie.min.mjs';

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
  return db;
}

export const db = openDb();

/** One meta value (inside a transaction when called from one). */
export async function getMeta(key, fallback = null) {
  const row = await db.meta.get(key);
  return row === undefined ? fallback : row.value;
}

export async function setMeta(values) {
  await db.meta.bulkPut(Object.entries(values).map(([key, value]) => ({ key, value })));
}
