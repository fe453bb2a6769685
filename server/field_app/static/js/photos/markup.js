/**
 * The photo markup format of sync/annotations.py, and drawing it on a canvas the
 * way server/photos/markup.py draws it with Pillow -- so what the inspector sees
 * while annotating is what the supervisor's annotated copy shows.
 *
 * `{version: 1, shapes: [{type, color, width, points, text?, size?}]}`; points are
 * [x, y] fractions (0-1) of the upright image, stroke width and text size are
 * fractions of its long side. Shape types: arrow, line, rect, ellipse, freehand, text.
 */
export const DEFAULT_COLOR = '#ff3b30';
export const DEFAULT_STROKE = 0.006;
export const DEFAULT_TEXT_SIZE = 0.035;
export const MAX_SHAPES = 100;
export const MAX_POINTS_PER_SHAPE = 2000;
export const MAX_TOTAL_POINTS = 10000;
export const MAX_LABEL_CHARS = 200;

const clamp01 = (v) => Math.min(1, Math.max(0, v));
/** A point as the schema wants it: inside 0-1, 4 decimals (sub-pixel on any photo). */
export const point = (x, y) => [Math.round(clamp01(x) * 1e4) / 1e4, Math.round(clamp01(y) * 1e4) / 1e4];

export function emptyMarkup() {
  return { version: 1, shapes: [] };
}

export function totalPoints(markup) {
  return markup.shapes.reduce((n, s) => n + s.points.length, 0);
}

/** A new shape with the server's defaults spelled out (what it would fill in anyway). */
export function shape(type, points, text) {
  const out = { type, color: DEFAULT_COLOR, width: DEFAULT_STROKE, points };
  if (type === 'text') {
    out.text = text;
    out.size = DEFAULT_TEXT_SIZE;
  }
  return out;
}

/** Draw `markup` over whatever the canvas context holds (w x h pixels). */
export function drawMarkup(ctx, markup, w, h) {
  const long = Math.max(w, h);
  for (const s of markup.shapes) {
    const pts = s.points.map(([x, y]) => [x * (w - 1), y * (h - 1)]);
    const stroke = Math.max(1, Math.round((s.width ?? DEFAULT_STROKE) * long));
    const color = s.color || DEFAULT_COLOR;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = stroke;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    if (s.type === 'text') label(ctx, pts[0], s.text, color, Math.round((s.size ?? DEFAULT_TEXT_SIZE) * long));
    else if (s.type === 'rect' || s.type === 'ellipse') box(ctx, s.type, pts[0], pts[1]);
    else if (s.type === 'arrow') arrow(ctx, pts[0], pts[1], stroke);
    else polyline(ctx, pts);
    ctx.restore();
  }
}

function polyline(ctx, pts) {
  ctx.beginPath();
  pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.stroke();
}

function box(ctx, type, a, b) {
  const [left, top] = [Math.min(a[0], b[0]), Math.min(a[1], b[1])];
  const [right, bottom] = [Math.max(a[0], b[0]), Math.max(a[1], b[1])];
  ctx.beginPath();
  if (type === 'rect') ctx.rect(left, top, right - left, bottom - top);
  else ctx.ellipse((left + right) / 2, (top + bottom) / 2, (right - left) / 2, (bottom - top) / 2, 0, 0, 2 * Math.PI);
  ctx.stroke();
}

/** Shaft plus a filled head at the tip; the head is at most half the shaft (as markup.py). */
function arrow(ctx, tail, tip, width) {
  const dx = tip[0] - tail[0];
  const dy = tip[1] - tail[1];
  const shaft = Math.hypot(dx, dy);
  if (shaft < 1) return polyline(ctx, [tail, tip]);
  const length = Math.min(Math.max(width * 5, 12), shaft / 2);
  const [ux, uy] = [dx / shaft, dy / shaft];
  const base = [tip[0] - ux * length, tip[1] - uy * length];
  const half = Math.max(length * 0.6, width);
  polyline(ctx, [tail, [base[0] + ux, base[1] + uy]]);
  ctx.beginPath();
  ctx.moveTo(tip[0], tip[1]);
  ctx.lineTo(base[0] - uy * half, base[1] + ux * half);
  ctx.lineTo(base[0] + uy * half, base[1] - ux * half);
  ctx.closePath();
  ctx.fill();
}

function label(ctx, at, text, color, size) {
  const rgb = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  ctx.font = `${size}px sans-serif`;
  ctx.textBaseline = 'top';
  ctx.lineWidth = Math.max(1, Math.floor(size / 12)) * 2;
  ctx.strokeStyle = rgb.reduce((a, b) => a + b, 0) > 382 ? '#000' : '#fff';
  String(text).split('\n').forEach((line, i) => {
    ctx.strokeText(line, at[0], at[1] + i * size * 1.2);
    ctx.fillText(line, at[0], at[1] + i * size * 1.2);
  });
}
