// A stand-in for the SHELL slice's ctx (not in this branch): just enough of the contract's
// ctx for the patrol screen. Pulled rows come from the test (window.PATROL_TEST, pulled from
// the real server); drafts and the outbox live in localStorage so a reload keeps them.
import { mount } from '/app/static/js/screens/patrol.js';
import * as patrolTexts from '/app/static/js/i18n/patrol.js';
import * as formTexts from '/app/static/js/i18n/forms.js';

const given = window.PATROL_TEST;
const lang = given.lang || 'zh';
// a checkpoint's checklist is the inspection form's: the shell merges every slice's texts
const texts = { ...formTexts[lang], ...patrolTexts[lang] };
const stored = (name) => JSON.parse(localStorage.getItem(name) || '[]');
const keep = (name, rows) => localStorage.setItem(name, JSON.stringify(rows));

function table(name, key) {
  return {
    async get(id) { return stored(name).find((r) => r[key] === id); },
    async put(row) { keep(name, [...stored(name).filter((r) => r[key] !== row[key]), row]); },
    async delete(id) { keep(name, stored(name).filter((r) => r[key] !== id)); },
    async toArray() { return stored(name); },
    where(field) {
      return { equals: (value) => ({ toArray: async () => stored(name).filter((r) => r[field] === value) }) };
    },
  };
}

const photos = new Map();
const db = { drafts: table('drafts', 'id'), outbox: table('outbox', 'mutation_id'),
  photos: { async get(sha256) { return photos.get(sha256); } } };
const ctx = {
  db, lang, me: given.me,
  t: (key, vars = {}) => (texts[key] || key)
    .replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`)),
  navigate: (hash) => { location.hash = hash; },
  outbox: { enqueue: (name, args) => ctx.enqueueWith(name, args, async () => {}) },
  async enqueueWith(name, args, txWork) {
    await txWork({ drafts: db.drafts, outbox: db.outbox });
    const rows = stored('outbox');
    const mutation_id = rows.length ? Math.max(...rows.map((r) => r.mutation_id)) + 1 : 1;
    await db.outbox.put({ mutation_id, name, args, state: 'waiting' });
    return mutation_id;
  },
  photos: {
    async add(blob, { kind }) {
      const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
      const sha256 = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
      photos.set(sha256, { sha256, blob, kind });
      return { sha256 };
    },
  },
  sync: { now: async () => {} },
  records: async (type) => given.rows.filter((r) => r.type === type),
};
window.patrolTest = { outbox: () => stored('outbox'), drafts: () => stored('drafts'),
  photos: () => [...photos.values()].map(({ sha256, kind }) => ({ sha256, kind })) };

let unmount = null;
async function route() {
  if (unmount) unmount();
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query || '');
  const routeId = decodeURIComponent(path.split('/')[2] || 'mine');
  unmount = await mount(document.getElementById('screen'), ctx,
    { ...Object.fromEntries(params), route_id: routeId });
  document.body.dataset.mounted = String(Date.now());
}
window.addEventListener('hashchange', route);
route();
