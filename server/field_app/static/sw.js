// The field app's service worker. The server prepends SHELL_VERSION (a digest of every
// shell file) and SHELL_URLS (the precache list): a change to any file is a new worker
// with a new cache. /api/ is never cached (network only: the app's own IndexedDB is its
// offline data); shell files are served cache-first. A new worker waits until the app
// posts SKIP_WAITING (the user accepted the update with no form open).
/* global SHELL_VERSION, SHELL_URLS */
const CACHE = `fieldsync-shell-${SHELL_VERSION}`;
const PREFIX = 'fieldsync-shell-';

// the shell's cache, opened once per worker start (not once per request of a start)
let opened = null;
const shell = () => (opened ??= caches.open(CACHE));

self.addEventListener('install', (event) => {
  event.waitUntil(shell().then((cache) => cache.addAll(
    SHELL_URLS.map((url) => new Request(url, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim(); // or controllerchange never fires after SKIP_WAITING
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return; // network only, never cached
  if (!url.pathname.startsWith('/app/')) return;
  event.respondWith((async () => {
    // every route of the app is the one page: /app/ (hash routes never reach the server)
    const key = event.request.mode === 'navigate' ? '/app/' : url.pathname;
    const hit = await (await shell()).match(key);
    if (hit) return hit;
    return fetch(event.request);
  })());
});
