// Building DOM nodes without innerHTML: every text is set as text, never parsed as HTML
// (pulled records hold user-written notes).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return el;
}

/** Run `fn` just after the next frame is painted: for work that must not hold a screen
 *  back (a message posted from the frame's callback runs right after it; a timer could
 *  wait far longer). A hidden page paints no frame: `fn` waits until it is shown. */
export function afterPaint(fn) {
  requestAnimationFrame(() => {
    const after = new MessageChannel();
    after.port1.onmessage = () => fn();
    after.port2.postMessage(null);
  });
}
