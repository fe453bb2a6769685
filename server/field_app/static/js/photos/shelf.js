/**
 * Taking photos for a form: the camera input, the display copies, the thumbnails.
 *
 * The original blob goes to `ctx.photos.add` untouched (the uploader sends it and
 * a result cites it by sha256); the screen only ever shows downscaled copies: the
 * thumbnail the shell keeps beside the original, and a display copy (<= 1280 px)
 * to annotate, made from the original when this visit has none. Object URLs are
 * revoked when the screen goes (`release`).
 */
import { downscale } from './downscale.js';
import { annotate } from './annotate.js';
import { deviceTime } from '../inspect/submit_args.js';

/** What the server's PhotoRef accepts (sync/mutation_args.py). */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

export class PhotoShelf {
  constructor(ctx) {
    this.ctx = ctx;
    this.urls = new Map(); // sha256 -> object URL of its display copy
    this.copies = new Map(); // sha256 -> display copy made this visit (the stored thumb may be smaller)
  }

  /** Store a picked file; its ref for the draft ({sha256, content_type, size, taken_at}). */
  async add(file, kind = 'result') {
    if (!PHOTO_TYPES.includes(file.type)) {
      throw new Error(this.ctx.t('forms.photo.unsupported', { type: file.type || '?' }));
    }
    // resized before any IndexedDB transaction (research §4); a photo this browser cannot
    // decode is still kept and sent -- it is evidence -- it just shows no preview
    const display = await downscale(file).catch(() => null);
    const stored = await this.ctx.photos.add(file, { kind, annotations: null });
    if (display) this.remember(stored.sha256, display.blob);
    return { sha256: stored.sha256, content_type: file.type, size: file.size,
      taken_at: deviceTime(new Date(file.lastModified || Date.now())) };
  }

  remember(sha256, blob) {
    this.copies.set(sha256, blob);
    if (!this.urls.has(sha256)) this.urls.set(sha256, URL.createObjectURL(blob));
  }

  /** A display copy (<= 1280 px) of a stored photo, made from the original when needed. */
  async displayCopy(sha256) {
    if (this.copies.has(sha256)) return this.copies.get(sha256);
    const rec = await this.ctx.db.photos.get(sha256);
    if (!rec || !rec.blob) return null;
    const { blob } = await downscale(rec.blob);
    this.copies.set(sha256, blob);
    return blob;
  }

  /** A thumbnail URL: the stored thumb when there is one (no decoding of the original). */
  async url(sha256) {
    if (!this.urls.has(sha256)) {
      const rec = this.copies.has(sha256) ? null : await this.ctx.db.photos.get(sha256);
      const blob = rec?.thumb || await this.displayCopy(sha256);
      if (!blob) return null;
      if (!this.urls.has(sha256)) this.urls.set(sha256, URL.createObjectURL(blob));
    }
    return this.urls.get(sha256);
  }

  /** Open the editor on a photo's display copy; the new markup, or null when cancelled. */
  async annotate(sha256, markup) {
    const image = await this.displayCopy(sha256);
    return image ? annotate({ image, markup, t: this.ctx.t }) : null;
  }

  release() {
    for (const url of this.urls.values()) URL.revokeObjectURL(url);
    this.urls.clear();
    this.copies.clear();
  }
}

/**
 * A row of thumbnails with annotate/remove buttons and a camera button.
 * `opts`: {shelf, t, shas, markupOf(sha) (null: no markup), onAdded(ref), onRemove(sha), onMarkup(sha, markup),
 * beforeCamera(), onError(err), required}
 */
export function photoRow(opts) {
  const { shelf, t } = opts;
  const row = document.createElement('div');
  row.className = 'ph-row';
  for (const sha of opts.shas) {
    const fig = document.createElement('figure');
    fig.className = 'ph-thumb';
    fig.dataset.sha256 = sha;
    const img = document.createElement('img');
    img.alt = t('forms.photo.alt');
    shelf.url(sha).then((url) => { if (url) img.src = url; });
    if (opts.markupOf) {
      const marks = (opts.markupOf(sha)?.shapes || []).length;
      fig.append(button('ph-annotate', marks ? t('forms.photo.marks', { n: marks }) : t('forms.photo.annotate'),
        async () => {
          const markup = await shelf.annotate(sha, opts.markupOf(sha));
          if (markup) opts.onMarkup(sha, markup);
        }));
    }
    const remove = button('ph-remove', '×', () => {
      if (confirm(t('forms.photo.remove_confirm'))) opts.onRemove(sha);
    });
    remove.setAttribute('aria-label', t('forms.photo.remove'));
    fig.prepend(img);
    fig.append(remove);
    row.append(fig);
  }
  const add = document.createElement('label');
  add.className = 'ph-add' + (opts.required ? ' needed' : '');
  const input = document.createElement('input');
  Object.assign(input, { type: 'file', accept: 'image/*' });
  input.setAttribute('capture', 'environment');
  add.append(input, document.createTextNode(t('forms.photo.take')));
  // the camera app may get the browser killed on a small phone: save first (research §6)
  add.addEventListener('pointerdown', () => opts.beforeCamera());
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    add.classList.add('busy');
    try {
      opts.onAdded(await shelf.add(file));
    } catch (err) {
      opts.onError(err);
    } finally {
      add.classList.remove('busy');
    }
  });
  row.append(add);
  return row;
}

function button(className, text, onclick) {
  const b = document.createElement('button');
  Object.assign(b, { type: 'button', className, textContent: text, onclick });
  return b;
}
