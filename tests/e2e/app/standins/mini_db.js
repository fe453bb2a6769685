// TEST STAND-IN for the SHELL's Dexie database (js/db.js): the same stores and
// keys over plain IndexedDB, with just the Dexie calls the FORMS screen makes
// (put/get/delete/toArray/where().equals().toArray()) and one-transaction work.
const SCHEMA = {
  meta: { keyPath: 'key' },
  records: { keyPath: ['bucket', 'type', 'id'], indexes: ['type', 'bucket'] },
  outbox: { keyPath: 'mutation_id' },
  drafts: { keyPath: 'id', indexes: ['kind', 'updated_at'] },
  photos: { keyPath: 'sha256', indexes: ['state'] },
};

const done = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

class Table {
  constructor(raw, name, tx = null) { Object.assign(this, { raw, name, tx }); }
  store(mode) { return (this.tx || this.raw.transaction(this.name, mode)).objectStore(this.name); }
  put(value) { return done(this.store('readwrite').put(value)); }
  get(key) { return done(this.store('readonly').get(key)); }
  delete(key) { return done(this.store('readwrite').delete(key)); }
  toArray() { return done(this.store('readonly').getAll()); }
  where(index) {
    return { equals: (value) => ({ toArray: () => done(this.store('readonly').index(index).getAll(value)) }) };
  }
}

export async function openDb(name) {
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => {
    for (const [store, spec] of Object.entries(SCHEMA)) {
      const os = request.result.createObjectStore(store, { keyPath: spec.keyPath });
      for (const index of spec.indexes || []) os.createIndex(index, index);
    }
  };
  const raw = await done(request);
  const db = { raw };
  for (const store of Object.keys(SCHEMA)) db[store] = new Table(raw, store);
  /** Run `work(tables)` in one readwrite transaction over `names`; resolves when committed. */
  db.transaction = (names, work) => new Promise((resolve, reject) => {
    const tx = raw.transaction(names, 'readwrite');
    const tables = Object.fromEntries(names.map((n) => [n, new Table(raw, n, tx)]));
    let result;
    Promise.resolve(work(tables)).then((r) => { result = r; }, (err) => { tx.abort(); reject(err); });
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('aborted'));
  });
  return db;
}
