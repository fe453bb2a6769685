/** Building DOM nodes tersely: `h(tag, attrs, ...children)`; `on*` attrs are listeners. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'className' || key === 'textContent' || key === 'hidden' || key === 'disabled') node[key] = value;
    else if (key === 'value') continue; // set last: an input's type must be known first
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? '' : value);
  }
  if ('value' in attrs) node.value = attrs.value;
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}
