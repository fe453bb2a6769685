/**
 * A signature pad: the signer draws with a finger; the result is a PNG blob that
 * is stored like any photo and cited by sha256 as the signature's `image`.
 * Resolves to the blob, or null when cancelled or left blank.
 */
const WIDTH = 900;
const HEIGHT = 360;

export async function signaturePad({ t }) {
  const canvas = Object.assign(document.createElement('canvas'), { width: WIDTH, height: HEIGHT, className: 'sig-canvas' });
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, WIDTH, HEIGHT);
  Object.assign(g, { lineWidth: 5, lineCap: 'round', lineJoin: 'round', strokeStyle: '#111' });
  let strokes = 0;
  let last = null;
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * (WIDTH / r.width), (e.clientY - r.top) * (HEIGHT / r.height)];
  };
  canvas.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
    strokes += 1;
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    g.beginPath();
    g.moveTo(...last);
    g.lineTo(...p);
    g.stroke();
    last = p;
  });
  const up = () => { last = null; };
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);

  const mk = (cls, text) => Object.assign(document.createElement('button'), { type: 'button', className: cls, textContent: text });
  const clear = mk('sig-clear', t('forms.signature.clear'));
  const cancel = mk('sig-cancel', t('forms.cancel'));
  const done = mk('sig-done primary', t('forms.signature.done'));
  const bar = Object.assign(document.createElement('div'), { className: 'an-actions' });
  bar.append(clear, cancel, done);
  const hint = Object.assign(document.createElement('p'), { className: 'sig-hint', textContent: t('forms.signature.hint') });
  const overlay = Object.assign(document.createElement('div'), { className: 'an-overlay sig-overlay' });
  overlay.setAttribute('role', 'dialog');
  overlay.append(hint, canvas, bar);
  document.body.append(overlay);
  clear.onclick = () => { g.fillRect(0, 0, WIDTH, HEIGHT); strokes = 0; };
  try {
    const ok = await new Promise((resolve) => { done.onclick = () => resolve(true); cancel.onclick = () => resolve(false); });
    if (!ok || strokes === 0) return null;
    return await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  } finally {
    overlay.remove();
    canvas.width = 0;
  }
}
