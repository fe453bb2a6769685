// The start page's first module: paints the last Today snapshot (today_snapshot.js), then
// loads the shell (app.js and the modules it imports, preloaded in parallel from the page's
// #start-modules list) once that frame is painted: requesting and compiling them first
// would hold the snapshot off a slow phone's screen.
import { paintSnapshot } from './today_snapshot.js';

function startShell() {
  const listed = document.getElementById('start-modules');
  const [app, ...rest] = listed ? JSON.parse(listed.textContent) : ['/app/static/js/app.js'];
  for (const href of rest) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = href;
    document.head.append(link);
  }
  return import(app);
}

if (paintSnapshot(document.getElementById('view'), document.getElementById('nav'))) {
  performance.mark('fieldsync:today-snapshot');
  // the next frame paints the snapshot; a message posted from its callback is handled
  // right after it (a timer could wait far longer)
  const after = new MessageChannel();
  after.port1.onmessage = startShell;
  requestAnimationFrame(() => after.port2.postMessage(null));
} else {
  startShell();
}
