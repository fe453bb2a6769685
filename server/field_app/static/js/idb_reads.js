// Read-only access to the device's IndexedDB without Dexie, for what the first screen needs
// (Today, the status bar, the session's meta rows). Dexie takes a slow phone ~0.3 s to
// parse, run and open before its first read, and all of it sat between the tap on the icon
// and a live Today; with these reads Dexie loads after Today is drawn. Writes always go
// through Dexie (db.js): its hooks guard Today's snapshot, and its schema is the contract.
//
// The stores and indexes are db.js's schema as Dexie creates them: one object store per
// table, one index per indexed key path, named by that path. The first start after an
// update may find the previous schema (Dexie upgrades it when it opens): see outboxIn.

const DB_NAME = 'fieldsync';
let opening = null; // one connection for every read, opened on the first

/** The open database, or null when the device has none yet (never logged in): this module
 *  never creates it, Dexie does at login. */
function connection() {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME);
    req.onupgradeneeded = () => req.transaction.abort(); // none yet: leave it to Dexie
    req.onsuccess = () => {
      const conn = req.result;
      // a schema upgrade or a deletion (Dexie's) must never wait on this connection
      conn.onversionchange = () => { conn.close(); opening = null; };
      conn.onclose = () => { opening = null; };
      resolve(conn);
    };
    req.onerror = (event) => {
      opening = null;
      if (req.error && req.error.name === 'AbortError') { event.preventDefault(); resolve(null); }
      else reject(req.error);
    };
  });
  return opening;
}

/** Run `ask(store)` in one readonly transaction over `stores`: it returns an object of
 *  IDBRequests, resolved to their results once the transaction completes (null when the
 *  device has no database). */
export async function readOnly(stores, ask, again = true) {
  const conn = await connection();
  if (!conn) return null;
  let tx;
  try {
    tx = conn.transaction(stores, 'readonly');
  } catch (err) {
    // closed for Dexie's upgrade between the open and this read (onversionchange has let
    // it go): read on a new connection
    if (err.name !== 'InvalidStateError' || !again) throw err;
    return readOnly(stores, ask, false);
  }
  return new Promise((resolve, reject) => {
    const requests = ask((name) => tx.objectStore(name));
    tx.oncomplete = () => resolve(Object.fromEntries(
      Object.entries(requests).map(([key, req]) => [key, req.result])));
    tx.onabort = () => reject(tx.error || new Error('IndexedDB read aborted'));
  });
}

/** Meta requests for `keys`, to put in a readOnly ask: {key: request}. */
export function metaRequests(store, keys) {
  return Object.fromEntries(keys.map((key) => [key, store('meta').get(key)]));
}

/** The values of meta `keys` ({key: value or null}); all null without a database. */
export async function readMeta(keys) {
  const rows = await readOnly(['meta'], (store) => metaRequests(store, keys));
  return Object.fromEntries(keys.map((key) => [key, (rows && rows[key] && rows[key].value) ?? null]));
}

/** A request for the outbox rows in `state`, to put in a readOnly ask. A database of schema
 *  v1 (before Dexie's upgrade) has no state index: the request reads every row then, and
 *  the caller keeps `rowsIn(result, state)`. */
export function outboxIn(store, state) {
  const outbox = store('outbox');
  return outbox.indexNames.contains('state') ? outbox.index('state').getAll(state) : outbox.getAll();
}

/** The rows of an outboxIn result that are in `state`. */
export const rowsIn = (rows, state) => (rows || []).filter((m) => m.state === state);
