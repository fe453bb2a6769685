// Building the patrol screens' elements without innerHTML (names and codes come from the
// server and from tags: they are text, never markup).

/** `h('button', {class: 'x', onclick}, 'text', child)`: an element with attributes/children. */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  return fill(element, ...children);
}

/** Replace `element`'s children; null, undefined and false children are left out. */
export function fill(element, ...children) {
  element.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

/** The text of a bilingual label `{zh, en}` in `lang` (plain strings pass through). */
export function label(text, lang) {
  if (!text || typeof text === 'string') return text || '';
  return (lang && lang.startsWith('en') ? text.en : text.zh) || text.zh || text.en || '';
}

export { hhmm } from '../local_time.js'; // the patrol screens' times, as they import them

/**
 * A file input for one picture from the rear camera (or the gallery): `onFile(file)` per
 * pick, then the input is cleared so the same picture can be picked again.
 */
export function pictureInput(className, onFile) {
  const input = h('input', { type: 'file', accept: 'image/*', capture: 'environment',
    class: className, onchange: () => {
      const [file] = input.files;
      input.value = '';
      if (file) onFile(file);
    } });
  return input;
}
