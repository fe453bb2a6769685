// ctx.photos.add: keep the ORIGINAL bytes of a photo under their sha256 (state 'waiting')
// with a downscaled thumbnail; the uploader (upload.js) sends it later.
// Hashing and resizing happen before the transaction: an IndexedDB transaction commits
// itself when the code awaits anything else. A photo is written once, never overwritten
// (Safari loses blobs re-saved under the same key).
import { db } from './db.js';
import { sha256OfBlob } from './photo_hash.js';

const THUMB_WIDTH = 320;

async function thumbnail(blob) {
  try {
    const bitmap = await createImageBitmap(blob, { resizeWidth: THUMB_WIDTH, resizeQuality: 'high' });
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    bitmap.close();
    const out = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.8));
    canvas.width = 0;
    return out;
  } catch (err) {
    return null; // not decodable here: the original is still kept and sent
  }
}

/** Store `blob` for upload; return its reference {sha256, size, type, kind, annotations}. */
export async function addPhoto(blob, { kind = 'photo', annotations = null } = {}) {
  const type = blob.type || 'image/jpeg';
  // detached from a file the picker may drop; hashed as the uploader will send it
  const original = new Blob([await blob.arrayBuffer()], { type });
  const sha256 = await sha256OfBlob(original);
  const thumb = await thumbnail(original);
  await db.transaction('rw', db.photos, async () => {
    if (await db.photos.get(sha256)) return; // same bytes, already kept
    await db.photos.add({ sha256, blob: original, thumb, kind, annotations, type,
                          size: original.size, state: 'waiting', offset: 0, error: null,
                          added_at: new Date().toISOString() });
  });
  return { sha256, size: original.size, type, kind, annotations };
}
