/**
 * A display copy of a camera photo, never larger than DISPLAY_MAX on its long side.
 *
 * A 12 MP photo decodes to ~48 MB of pixels and iOS refuses canvases over 16.7 MP,
 * so the original is never drawn: its size is read from the image header (an
 * <img> decodes lazily, on paint), and createImageBitmap decodes it straight to
 * the target size. The bitmap and canvas are released at once (research note §6).
 * EXIF orientation: both naturalWidth and createImageBitmap apply it, so no manual
 * rotation (that double-rotates since Chrome 81).
 */
export const DISPLAY_MAX = 1280;

async function naturalSize(blob) {
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.src = url;
    await new Promise((resolve, reject) => {
      img.onload = resolve;
      img.onerror = () => reject(new Error('not a readable image'));
    });
    return { width: img.naturalWidth, height: img.naturalHeight };
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** `{blob, width, height}`: a JPEG copy of `blob` at most `maxSide` px on its long side. */
export async function downscale(blob, maxSide = DISPLAY_MAX) {
  const { width, height } = await naturalSize(blob);
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const bitmap = await createImageBitmap(blob, { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' });
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  try {
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    const out = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    return { blob: out, width: w, height: h };
  } finally {
    bitmap.close();
    canvas.width = 0; // frees the backing store now, not at the next GC
    canvas.height = 0;
  }
}
