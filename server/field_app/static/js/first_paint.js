// The start page's first script, inlined into it by the server (server/field_app
// index_html, with its hash in the CSP): a classic script with no imports, so Today's
// snapshot is painted while the page is parsed, before any module is fetched. It paints
// the snapshot kept by today_snapshot.js (keys and format are that module's), then loads
// the shell -- app.js and the modules it imports, preloaded in parallel from the page's
// #start-modules list -- once that frame is painted: requesting and compiling them first
// would hold the snapshot off a slow phone's screen.
(() => {
  const SNAPSHOT_KEY = 'fieldsync-today:v1';
  const WHO_KEY = 'fieldsync-who';
  const SKIPPED = new Set(['script', 'style', 'link', 'meta', 'base', 'iframe', 'object', 'embed', 'template']);

  // [tag, {attrs}, ...children] -> element; text only ever as text, never parsed as HTML
  const build = ([tag, attrs, ...children]) => {
    const el = document.createElement(SKIPPED.has(tag) ? 'span' : tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (name !== 'id' && !name.startsWith('on')) el.setAttribute(name, value);
    }
    el.append(...children.map((c) => (typeof c === 'string' ? c : build(c))));
    return el;
  };

  /** The snapshot for the session localStorage names, if the route is Today; else null. */
  const snapshot = () => {
    if (!/^(#\/?(today)?)?$/.test(location.hash)) return null;
    try {
      const snap = JSON.parse(localStorage.getItem(SNAPSHOT_KEY));
      return snap && snap.who && snap.who === localStorage.getItem(WHO_KEY) && Array.isArray(snap.screen)
        ? snap : null;
    } catch (err) { // blocked storage or a broken entry: open as without one
      return null;
    }
  };

  const paint = (snap) => {
    const screen = build(snap.screen);
    screen.dataset.snapshot = '1';
    screen.inert = true; // no tap reaches it; app.js replaces it with the live screen
    screen.setAttribute('aria-busy', 'true');
    // the live title reports its paint (Element Timing) as `today`, this one as `today-snapshot`
    for (const el of screen.querySelectorAll('[elementtiming]')) el.setAttribute('elementtiming', 'today-snapshot');
    if (snap.lang) document.documentElement.lang = snap.lang;
    if (snap.title) document.title = snap.title;
    if (Array.isArray(snap.nav)) document.getElementById('nav').replaceChildren(...build(snap.nav).childNodes);
    document.getElementById('view').replaceChildren(screen);
    performance.mark('fieldsync:today-snapshot');
  };

  const startShell = () => {
    const listed = document.getElementById('start-modules');
    const [app, ...rest] = listed ? JSON.parse(listed.textContent) : ['/app/static/js/app.js'];
    const script = document.createElement('script');
    script.type = 'module';
    script.src = app;
    document.head.append(script);
    for (const href of rest) {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.href = href;
      document.head.append(link);
    }
  };

  const snap = snapshot();
  if (!snap) { startShell(); return; }
  paint(snap);
  // open the database now, while the shell loads, and let go: the browser keeps it open a
  // moment, so the shell's first read (idb_reads.js) finds it ready. Never create it (no
  // snapshot without one).
  try {
    const warm = indexedDB.open('fieldsync');
    warm.onupgradeneeded = () => warm.transaction.abort();
    warm.onsuccess = () => warm.result.close();
    warm.onerror = (event) => event.preventDefault(); // aborted: there was none
  } catch (err) { /* no IndexedDB: app.js reports it */ }
  // the next frame paints the snapshot; a message posted from its callback is handled right
  // after it (a timer could wait far longer)
  const after = new MessageChannel();
  after.port1.onmessage = startShell;
  requestAnimationFrame(() => after.port2.postMessage(null));
})();
