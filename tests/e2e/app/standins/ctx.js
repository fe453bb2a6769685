// TEST STAND-IN for the SHELL's ctx (fieldapp-contract.md "ctx"): the FORMS
// screen gets exactly the members the contract lists, backed by mini_db.js.
import { openDb } from './mini_db.js';
import * as forms from '/app/static/js/i18n/forms.js';

async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function makeCtx({ me, lang = 'zh' }) {
  const db = await openDb('fieldsync-forms-test');
  const dict = forms[lang] || forms.zh;
  const t = (key, vars = {}) => String(dict[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));

  async function append(tables, name, args) {
    const meta = (await tables.meta.get('next_mutation_id')) || { key: 'next_mutation_id', value: 1 };
    await tables.outbox.put({ mutation_id: meta.value, name, args, queued_at: new Date().toISOString(), state: 'queued', error: null });
    await tables.meta.put({ key: 'next_mutation_id', value: meta.value + 1 });
    return meta.value;
  }

  return {
    db, t, lang, me,
    navigate(hash) { location.hash = hash; },
    outbox: { enqueue: (name, args) => db.transaction(['outbox', 'meta'], (tables) => append(tables, name, args)) },
    // the shell passes its Dexie db to txWork; here the transaction's tables stand in for it
    enqueueWith: (name, args, txWork) => db.transaction(['outbox', 'meta', 'drafts'], async (tables) => {
      await txWork(tables);
      return append(tables, name, args);
    }),
    photos: {
      // like the shell's photos.js: the original under its sha256 and a 320 px wide thumb
      async add(blob, { kind = 'photo', annotations = null } = {}) {
        const sha256 = await sha256Hex(blob); // hashed and shrunk before the transaction
        const bitmap = await createImageBitmap(blob, { resizeWidth: 320 });
        const canvas = Object.assign(document.createElement('canvas'), { width: bitmap.width, height: bitmap.height });
        canvas.getContext('2d').drawImage(bitmap, 0, 0);
        bitmap.close();
        const thumb = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
        await db.photos.put({ sha256, blob, thumb, kind, annotations, type: blob.type, size: blob.size,
          state: 'waiting', offset: 0, error: null });
        return { sha256, size: blob.size, type: blob.type, kind, annotations };
      },
    },
    sync: { async now() {} },
    async records(type) { return db.records.where('type').equals(type).toArray(); },
  };
}

/** Pull every bucket from the real server once, storing rows as the shell keeps them. */
export async function pullAll(db, token) {
  const body = { client_id: 'forms-test', schema_version: 1, cursors: {}, limit: 1000 };
  const resp = await fetch('/api/v1/sync/pull', { method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } });
  if (!resp.ok) throw new Error(`pull: ${resp.status}`);
  const page = await resp.json();
  for (const segment of page.buckets) {
    for (const change of segment.changes) {
      if (change.op === 'put') await db.records.put({ bucket: segment.name, type: change.type, id: change.id, v: change.v, doc: change.data });
    }
  }
}
