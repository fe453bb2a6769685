// Service worker registration and the update flow. A new shell waits (the worker never
// calls skipWaiting on install); the app offers "update ready — reload" and activates it
// only when the user accepts and no form is open, so no draft or outbox write is cut off
// and no open page runs against a half-replaced cache.
let accepted = false;

function offer(bar, worker, getCtx) {
  const { t } = getCtx();
  const text = document.createElement('span');
  text.textContent = t('update.ready');
  const reload = document.createElement('button');
  reload.id = 'update-reload';
  reload.textContent = t('update.reload');
  const later = document.createElement('button');
  later.className = 'secondary';
  later.textContent = t('update.later');
  const note = document.createElement('span');
  reload.addEventListener('click', () => {
    if (getCtx().formOpen()) { note.textContent = t('update.form_open'); return; }
    accepted = true;
    worker.postMessage({ type: 'SKIP_WAITING' });
  });
  later.addEventListener('click', () => { bar.hidden = true; });
  bar.replaceChildren(text, reload, later, note);
  bar.hidden = false;
}

export async function watchForUpdates(bar, getCtx) {
  if (!('serviceWorker' in navigator)) return null; // plain http on a LAN: no offline shell
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (accepted) { accepted = false; location.reload(); } // not on the first install's claim
  });
  let reg;
  try {
    reg = await navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' });
  } catch (err) {
    console.warn('service worker not registered', err);
    return null;
  }
  const waiting = (worker) => {
    if (worker && navigator.serviceWorker.controller) offer(bar, worker, getCtx);
  };
  waiting(reg.waiting);
  reg.addEventListener('updatefound', () => {
    const worker = reg.installing;
    worker.addEventListener('statechange', () => { if (worker.state === 'installed') waiting(worker); });
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && navigator.onLine) reg.update().catch(() => {});
  });
  return reg;
}
