// A snapshot of the Today screen as last drawn from IndexedDB, kept in localStorage so the
// next start can paint it before Dexie is even parsed (opening IndexedDB costs ~0.5 s on a
// slow phone). It is the user's own data, never merged with the live screen: the shell
// mounts Today from the database beside it and then replaces it whole. Until then the
// snapshot is inert (no tap reaches it) and carries no ids, so nothing can act on it.
//
// It is tied to who drew it: `who` ("user_id device_id", written by the shell from the
// database at every start) must match the snapshot's. A change of session (token, user,
// device) clears both; a new server epoch, another language or pulled records deleted
// clear the snapshot (db.js's middleware sees every such write).
// first_paint.js (inlined into the page) paints what saveSnapshot keeps: keep the two in step.
export const SNAPSHOT_KEY = 'fieldsync-today:v1';
export const WHO_KEY = 'fieldsync-who';
const MAX_CHARS = 512 * 1024; // a snapshot larger than this is not worth the parse
// a list keeps its first items only: more than a screenful is never seen before the live
// screen replaces the snapshot, and each costs time to build on a slow phone
const LIST_ITEMS = 12;
// never rebuilt: elements that run or embed something
const SKIPPED = new Set(['script', 'style', 'link', 'meta', 'base', 'iframe', 'object', 'embed', 'template']);

export const whoOf = (me) => (me ? `${me.user_id} ${me.device_id}` : null);

function storage() {
  try { return window.localStorage; } catch (err) { return null; } // blocked storage
}

/** Forget the snapshot (an epoch reset, records deleted, another language): the next
 *  live Today saves a new one. */
export function clearSnapshot() {
  const ls = storage();
  if (ls) ls.removeItem(SNAPSHOT_KEY);
}

/** Forget the snapshot and who it was for (login, logout, another user or device): none is
 *  saved again until the shell has read the new session from the database (noteWho). */
export function forgetSession() {
  const ls = storage();
  if (!ls) return;
  ls.removeItem(SNAPSHOT_KEY);
  ls.removeItem(WHO_KEY);
}

/** The shell's session as the database says (null: nobody logged in); true when it was
 *  not the one the snapshot was kept for (the snapshot is gone then). */
export function noteWho(me) {
  const ls = storage();
  if (!ls) return false;
  const who = whoOf(me);
  if (ls.getItem(WHO_KEY) === who) return false;
  forgetSession(); // a snapshot of anyone else must never be painted
  if (who) ls.setItem(WHO_KEY, who);
  return true;
}

/** An element as [tag, {attrs}, ...children] (text as strings); ids left out. */
function tree(node) {
  if (node.nodeType === Node.TEXT_NODE) return node.data;
  if (node.nodeType !== Node.ELEMENT_NODE || SKIPPED.has(node.localName)) return null;
  const attrs = {};
  for (const { name, value } of node.attributes) {
    if (name !== 'id' && !name.startsWith('on')) attrs[name] = value;
  }
  let children = [...node.childNodes];
  if (node.localName === 'ul' || node.localName === 'ol') children = children.slice(0, LIST_ITEMS);
  return [node.localName, attrs, ...children.map(tree).filter((c) => c !== null)];
}

/** Keep what Today shows now (its screen element and the nav) for the next start. */
export function saveSnapshot(screenEl, me) {
  const ls = storage();
  const who = whoOf(me);
  if (!ls || !who || ls.getItem(WHO_KEY) !== who) return false;
  const nav = document.getElementById('nav');
  const screen = tree(screenEl);
  delete screen[1].hidden; // drawn hidden behind a painted snapshot (app.js)
  delete screen[1]['data-complete']; // the live screen's state, not the snapshot's
  const text = JSON.stringify({ who, lang: document.documentElement.lang, title: document.title,
                                screen, nav: nav ? tree(nav) : null });
  try {
    if (text.length > MAX_CHARS) throw new RangeError('snapshot too large');
    ls.setItem(SNAPSHOT_KEY, text);
    return true;
  } catch (err) { // quota, or too large: no snapshot rather than an old one
    ls.removeItem(SNAPSHOT_KEY);
    return false;
  }
}

/** The painted snapshot still on screen, if any. */
export function shownSnapshot(view) {
  return view.querySelector(':scope > [data-snapshot]');
}
