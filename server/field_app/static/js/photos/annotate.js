/**
 * The annotation editor: a full-screen canvas over the photo's display copy with
 * arrow, box, ellipse, freehand and text tools and undo. It edits markup in the
 * server's vector format (markup.js); nothing is burnt into the photo -- the
 * original is uploaded untouched and the server renders the annotated copy.
 *
 * `annotate({image, markup, t})` resolves to the new markup, or null when cancelled.
 */
import {
  drawMarkup, emptyMarkup, point, shape, totalPoints,
  MAX_SHAPES, MAX_POINTS_PER_SHAPE, MAX_TOTAL_POINTS, MAX_LABEL_CHARS,
} from './markup.js';
import { h as el } from '../inspect/dom.js';

const TOOLS = ['arrow', 'rect', 'ellipse', 'freehand', 'text'];
const MIN_STEP = 0.004; // freehand: drop points closer than this (fraction of the image)

export async function annotate({ image, markup, t }) {
  const bitmap = await createImageBitmap(image);
  const work = structuredClone(markup && markup.shapes ? markup : emptyMarkup());
  let tool = 'arrow';
  let drawing = null; // the shape being drawn

  const canvas = el('canvas', { className: 'an-canvas', width: bitmap.width, height: bitmap.height });
  const g = canvas.getContext('2d');
  const textInput = el('input', { className: 'an-text', type: 'text', maxLength: MAX_LABEL_CHARS, hidden: true,
    placeholder: t('forms.annotate.text_prompt') });
  const toolButtons = TOOLS.map((name) => el('button', {
    type: 'button', className: 'an-tool', textContent: t(`forms.annotate.${name}`), dataset: { tool: name },
    onclick: () => { tool = name; paintTools(); },
  }));
  const undo = el('button', { type: 'button', className: 'an-undo', textContent: t('forms.annotate.undo') });
  const done = el('button', { type: 'button', className: 'an-done primary', textContent: t('forms.annotate.done') });
  const cancel = el('button', { type: 'button', className: 'an-cancel', textContent: t('forms.cancel') });
  const overlay = el('div', { className: 'an-overlay', role: 'dialog' },
    el('div', { className: 'an-stage' }, canvas),
    textInput,
    el('div', { className: 'an-tools' }, ...toolButtons),
    el('div', { className: 'an-actions' }, undo, cancel, done));
  document.body.append(overlay);

  function paintTools() {
    toolButtons.forEach((b) => b.classList.toggle('active', b.dataset.tool === tool));
  }

  function redraw() {
    g.clearRect(0, 0, canvas.width, canvas.height);
    g.drawImage(bitmap, 0, 0);
    const shapes = drawing ? [...work.shapes, drawing] : work.shapes;
    drawMarkup(g, { shapes }, canvas.width, canvas.height);
    undo.disabled = work.shapes.length === 0;
  }

  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return point((e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
  };
  const full = () => work.shapes.length >= MAX_SHAPES || totalPoints(work) + 2 > MAX_TOTAL_POINTS;

  canvas.addEventListener('pointerdown', (e) => {
    if (full()) return;
    e.preventDefault();
    const p = at(e);
    if (tool === 'text') {
      textInput.hidden = false;
      textInput.value = '';
      textInput.dataset.at = JSON.stringify(p);
      textInput.focus();
      return;
    }
    canvas.setPointerCapture(e.pointerId);
    drawing = shape(tool, tool === 'freehand' ? [p] : [p, p]);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const p = at(e);
    const pts = drawing.points;
    if (drawing.type !== 'freehand') pts[1] = p;
    else if (pts.length < MAX_POINTS_PER_SHAPE && totalPoints(work) + pts.length < MAX_TOTAL_POINTS) {
      const last = pts[pts.length - 1];
      if (Math.hypot(p[0] - last[0], p[1] - last[1]) >= MIN_STEP) pts.push(p);
    }
    redraw();
  });
  const finish = (e) => {
    if (!drawing) return;
    if (e.type === 'pointerup') {
      const p = at(e);
      if (drawing.type === 'freehand') drawing.points.push(p);
      else drawing.points[1] = p;
    }
    const [a, b] = [drawing.points[0], drawing.points[drawing.points.length - 1]];
    if (Math.hypot(a[0] - b[0], a[1] - b[1]) > 0.005) work.shapes.push(drawing); // not a mere tap
    drawing = null;
    redraw();
  };
  canvas.addEventListener('pointerup', finish);
  canvas.addEventListener('pointercancel', finish);
  const commitText = () => {
    if (textInput.hidden) return;
    textInput.hidden = true; // first, so the blur this causes commits nothing more
    const text = textInput.value.trim();
    if (text && !full()) work.shapes.push(shape('text', [JSON.parse(textInput.dataset.at)], text));
    redraw();
  };
  textInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); commitText(); }
  });
  textInput.addEventListener('blur', commitText);
  undo.addEventListener('click', () => { work.shapes.pop(); redraw(); });

  paintTools();
  redraw();
  try {
    return await new Promise((resolve) => {
      done.addEventListener('click', () => resolve(work));
      cancel.addEventListener('click', () => resolve(null));
    });
  } finally {
    overlay.remove();
    bitmap.close();
    canvas.width = 0;
    canvas.height = 0;
  }
}
