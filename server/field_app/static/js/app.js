// The shell: hash router with lazily imported screens, the ctx every screen gets, the status
// bar, sync scheduling and the service worker's update flow.
// Only what the first screen needs is imported here; syncing, photos and the update flow
// load once it is drawn (each module on the start path costs a request on a slow phone).
// So does Dexie (the store): Today and the status bar read IndexedDB without it
// (idb_reads.js), and every other screen waits for it (loadRest).
import { errorText } from './api.js';
import { loadSliceTexts, pickLang, translator } from './i18n.js';
import { readMeta } from './idb_reads.js';
import { UPLOAD_EVENT, renderStatusBar } from './status_bar.js';
import { BackoffScheduler } from './sync_schedule.js';
import { noteWho, shownSnapshot } from './today_snapshot.js';
import * as todayScreen from './screens/today.js'; // the start screen comes with the shell

// route name -> screen module and the name of its path parameter
const ROUTES = {
  login: ['./screens/login.js'], today: ['./screens/today.js'],
  tickets: ['./screens/tickets.js'], ticket: ['./screens/ticket.js', 'id'],
  status: ['./screens/status.js'], inspect: ['./screens/inspect.js', 'definition_id'],
  patrol: ['./screens/patrol.js', 'route_id'],
};
// a form is open on these routes, or when the screen marks an element [data-form-open]
const FORM_ROUTES = new Set(['inspect', 'patrol']);
const LIST_ROUTES = new Set(['today', 'tickets', 'status']);

// localStorage['fieldsync-debug'] = '1': timings of the start as performance marks
// (`fieldsync:start:*`, read by bench/pwa.py --marks); off, nothing is recorded
const DEBUG = localStorage.getItem('fieldsync-debug') === '1';
const mark = (name) => { if (DEBUG) performance.mark(`fieldsync:start:${name}`); };
mark('app-module');

const view = document.getElementById('view');
const bar = document.getElementById('status-bar');
let unmount = null, current = null, syncing = false;

/** `#/ticket/a:b?x=1` -> {name: 'ticket', params: {id: 'a:b', x: '1'}}. */
export function parseHash(hash) {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const [name, ...rest] = path.split('/');
  const params = Object.fromEntries(new URLSearchParams(query));
  const route = ROUTES[name];
  if (route && route[1] && rest.length) params[route[1]] = decodeURIComponent(rest.join('/'));
  return { name: name || '', params };
}

let store = null, restLoading = null;
/** What Today does not need, loaded once: the store (Dexie and the modules written on it)
 *  and the other screens' texts. Resolves to the store: {db, getMeta, setMeta, outbox, records}. */
function loadRest() {
  const listed = document.getElementById('i18n-modules');
  restLoading ??= Promise.all([import('./db.js'), import('./outbox.js'), import('./pulled.js'),
                               loadSliceTexts(listed ? JSON.parse(listed.textContent) : [])])
    .then(([dbModule, outbox, pulled]) => {
      store = { ...dbModule, outbox, records: pulled.records };
      mark('rest');
      return store;
    })
    .catch((err) => { restLoading = null; throw err; }); // a failed fetch may work next time
  return restLoading;
}

// {token} as buildCtx just read it: the route right after it needs no second read
let justRead = null;

async function buildCtx() {
  const { lang: langSetting, me, token } = await readMeta(['lang', 'me', 'token']);
  justRead = { token };
  // the painted snapshot must be this session's (first_paint.js); else it goes at once
  if (noteWho(token ? me : null)) shownSnapshot(view)?.remove();
  const lang = pickLang(langSetting);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  const ctx = {
    // Dexie: loaded before any screen but Today mounts (route), and by Today for its drafts
    get db() {
      if (!store) throw new Error('the store is not loaded yet: await ctx.loadRest() first');
      return store.db;
    },
    loadRest,
    lang, t: translator(lang),
    me: me || null,
    navigate: (hash) => { location.hash = hash; },
    outbox: {
      enqueue: async (name, args) => {
        const id = await (await loadRest()).outbox.enqueue(name, args);
        afterWrite();
        return id;
      },
      enqueueAll: async (mutations) => {
        const ids = await (await loadRest()).outbox.enqueueWith(mutations);
        afterWrite();
        return ids;
      },
    },
    // txWork(db) runs in the same rw transaction as the append; name the extra tables it uses
    enqueueWith: async (name, args, txWork, tables) => {
      const { db, outbox } = await loadRest();
      const [id] = await outbox.enqueueWith([{ name, args }], txWork, tables || [db.drafts, db.photos]);
      afterWrite();
      return id;
    },
    photos: { add: async (blob, opts) => {
      const { addPhoto } = await import('./photos.js');
      const ref = await addPhoto(blob, opts);
      afterWrite();
      return ref;
    } },
    sync: { now: () => scheduler.now() },
    records: async (type) => (await loadRest()).records(type),
    formOpen: () => FORM_ROUTES.has(current) || !!view.querySelector('[data-form-open]'),
    refreshStatus: () => renderStatusBar(bar, ctx, syncing),
  };
  return ctx;
}

let ctx;
const scheduler = new BackoffScheduler(async () => {
  if (!(await readMeta(['token'])).token) return null;
  const [{ describeError, syncOnce }, { setMeta }] = await Promise.all([import('./sync.js'), loadRest()]);
  try {
    return await syncOnce(ctx, (progress) => {
      ctx.refreshStatus();
      // the Sync screen shows each photo's bytes sent
      if (progress && progress.sha256) window.dispatchEvent(new CustomEvent(UPLOAD_EVENT, { detail: progress }));
    });
  } catch (err) {
    await setMeta({ last_error: describeError(err) });
    throw err;
  }
}, {
  retryable: (err) => err.status === 0 || err.status >= 500,
  onState: (state) => { syncing = state.syncing; ctx.refreshStatus(); },
  onSynced: (report) => { if (report.changed || report.answered) rerenderIfIdle(); },
});

function afterWrite() {
  ctx.refreshStatus();
  scheduler.soon();
}

// After a sync brings new records, list screens show them; an open form is left alone.
function rerenderIfIdle() {
  if (LIST_ROUTES.has(current)) route();
}

async function route() {
  const { name, params } = parseHash(location.hash);
  // the screen's module (and the store, for any screen but Today) loads while the token is read
  const loading = name === 'today' ? todayScreen  // a dynamic import would wait for a task
    : ROUTES[name] ? Promise.all([import(ROUTES[name][0]), loadRest()]).then(([m]) => m, (err) => err)
      : null;
  const known = justRead;
  justRead = null;
  const loggedIn = !!(known || await readMeta(['token'])).token;
  mark(`token:${name}`);
  if (!loggedIn && name !== 'login') { location.replace('#/login'); return; }
  if (!ROUTES[name]) { location.replace(loggedIn ? '#/today' : '#/login'); return; }
  if (unmount) { try { unmount(); } catch (err) { console.error(err); } unmount = null; }
  current = name;
  document.body.dataset.route = name;
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.getAttribute('href') === `#/${name}`);
  }
  // each route renders into its own container: a slower earlier mount that finishes late
  // writes into a detached one, never beside the current screen
  const screenEl = document.createElement('div');
  screenEl.className = `screen screen-${name}`;
  // Today's snapshot stays on screen until the live one is drawn, then is replaced whole
  const snapshot = name === 'today' ? shownSnapshot(view) : null;
  if (snapshot) {
    for (const older of view.querySelectorAll(':scope > .screen[hidden]')) older.remove(); // the newest wins
    screenEl.hidden = true;
    view.append(screenEl);
  } else view.replaceChildren(screenEl);
  const show = () => { if (screenEl.isConnected && screenEl.hidden) { screenEl.hidden = false; view.replaceChildren(screenEl); } };
  try {
    const screen = await loading;
    mark(`screen-module:${name}`);
    if (screen instanceof Error) throw screen;
    sessionStorage.removeItem('fieldsync-chunk-reload');
    const done = (await screen.mount(screenEl, ctx, params)) || null;
    mark(`mounted:${name}`);
    show();
    if (screenEl.isConnected) unmount = done;
    else if (done) done();
  } catch (err) {
    // A stale shell after an update can miss a module: reload once (online only).
    if (navigator.onLine && !sessionStorage.getItem('fieldsync-chunk-reload') &&
        /dynamically imported module|Importing a module script failed/.test(err.message)) {
      sessionStorage.setItem('fieldsync-chunk-reload', '1');
      location.reload();
      return;
    }
    console.error(err);
    show();
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = ctx.t('error.screen', { reason: errorText(ctx.t, err) });
    screenEl.replaceChildren(p);
  }
}

function renderNav() {
  const nav = document.getElementById('nav');
  nav.replaceChildren(...[['today', 'nav.today'], ['tickets', 'nav.tickets'], ['status', 'nav.status']]
    .map(([name, key]) => {
      const a = document.createElement('a');
      a.href = `#/${name}`;
      a.textContent = ctx.t(key);
      return a;
    }));
  document.title = ctx.t('app.title');
}

/** Start (or restart after login / a language change) the shell. */
export async function restart() {
  ctx = await buildCtx();
  renderNav();
  await ctx.refreshStatus();
  await route();
}

async function main() {
  ctx = await buildCtx();
  mark('ctx');
  window.fieldsync = { restart, scheduler, get ctx() { return ctx; } };
  renderNav();
  window.addEventListener('hashchange', route);
  for (const ev of ['online', 'offline']) window.addEventListener(ev, () => ctx.refreshStatus());
  const status = ctx.refreshStatus();
  await route(); // the screen first; the store and syncing load once it is drawn
  mark('routed');
  loadRest().catch((err) => console.error(err)); // for the next screen (sync reports failures)
  await status;
  mark('status-bar');
  scheduler.start();
  const { watchForUpdates } = await import('./updates.js');
  watchForUpdates(document.getElementById('update-bar'), () => ctx);
}

main();
