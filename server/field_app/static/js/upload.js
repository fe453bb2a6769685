// Photo uploads over tus 1.0 (the vendored tus-js-client), one photo at a time.
//
// Photos are named by the sha256 of their original bytes (that is how a
// result cites them), so the tus fingerprint is that hash: the upload URL
// tus-js-client keeps in localStorage is found again after a reload whatever
// Blob object IndexedDB hands back (the default fingerprint uses the file
// name and mtime, which a Blob read back from IndexedDB lacks). The server
// creates one upload per photo, so even a lost URL only costs a HEAD.
//
// db.photos rows: {sha256, blob, state: 'waiting'|'uploading'|'done'|'refused',
// offset, error}. Each row update is its own short Dexie transaction: none is
// ever held open across a network request.
//
// Every chunk carries `Upload-Checksum` (upload_checksum.js): the server
// refuses a damaged chunk alone (460) and it is sent again; the whole photo's
// sha256 is still checked against its name when the upload completes.

import '../vendor/tus-js-client/tus.min.js'; // UMD: defines globalThis.tus
import { ChecksumHttpStack, retriesChecksumMismatch } from './upload_checksum.js';

export const ENDPOINT = '/api/v1/photos';
export const CHUNK_SIZE = 256 * 1024; // small enough that a cut costs little
export const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];
const PENDING = ['waiting', 'uploading'];

export { sha256OfBlob } from './photo_hash.js';

/** The device token the shell keeps in db.meta ({key: 'token', value}). */
async function deviceToken(ctx) {
  const row = await ctx.db.meta.get('token');
  return row && row.value;
}

/**
 * Upload every photo waiting in db.photos; resolves when each has been tried once.
 *
 * onProgress({sha256, sent, total, state, error}) is called as bytes go out
 * and when a photo ends (state 'done', 'refused', or back to 'waiting' with
 * the error). Returns {done: [sha256], refused: {sha256: reason},
 * failed: {sha256: message}}. A failed photo stays 'waiting': the next call
 * (the shell's sync triggers) resumes it from the server's offset.
 */
export async function uploadWaitingPhotos(ctx, { onProgress, endpoint = ENDPOINT,
  chunkSize = CHUNK_SIZE, retryDelays = RETRY_DELAYS } = {}) {
  const token = await deviceToken(ctx);
  const photos = await ctx.db.photos.where('state').anyOf(PENDING).toArray();
  const summary = { done: [], refused: {}, failed: {} };
  const tell = (event) => { if (onProgress) onProgress(event); };
  for (const photo of photos) {
    const options = { endpoint, chunkSize, retryDelays, token, tell };
    try {
      const outcome = await uploadPhoto(ctx, photo, options);
      if (outcome.refused) summary.refused[photo.sha256] = outcome.refused;
      else summary.done.push(photo.sha256);
    } catch (error) {
      const message = describe(error);
      summary.failed[photo.sha256] = message;
      await ctx.db.photos.update(photo.sha256, { state: 'waiting', error: message });
      tell({ sha256: photo.sha256, sent: photo.offset || 0, total: photo.blob.size,
        state: 'waiting', error: message });
    }
  }
  return summary;
}

async function uploadPhoto(ctx, photo, { endpoint, chunkSize, retryDelays, token, tell }) {
  const { sha256, blob } = photo;
  await ctx.db.photos.update(sha256, { state: 'uploading', error: null });
  tell({ sha256, sent: photo.offset || 0, total: blob.size, state: 'uploading' });
  const lastResponse = await new Promise((resolve, reject) => {
    const upload = new globalThis.tus.Upload(blob, {
      endpoint,
      chunkSize,
      retryDelays,
      httpStack: new ChecksumHttpStack(),
      onShouldRetry: retriesChecksumMismatch,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      metadata: { sha256, filetype: blob.type || 'application/octet-stream' },
      fingerprint: async () => `fieldsync-photo-${sha256}`,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => tell({ sha256, sent, total, state: 'uploading' }),
      onChunkComplete: (_size, accepted) => {
        ctx.db.photos.update(sha256, { offset: accepted }).catch(() => {}); // best effort
      },
      onSuccess: (payload) => resolve(payload && payload.lastResponse),
      onError: reject,
    });
    upload.findPreviousUploads().then((previous) => {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    }, reject);
  });
  const refused = refusalOf(lastResponse);
  const state = refused ? 'refused' : 'done';
  await ctx.db.photos.update(sha256, { state, offset: blob.size, error: refused });
  tell({ sha256, sent: blob.size, total: blob.size, state, error: refused });
  return { refused };
}

/** The server's reason for refusing a complete photo as an image, or null. */
function refusalOf(response) {
  if (!response || response.getHeader('Photo-State') !== 'refused') return null;
  const reason = response.getHeader('Photo-Refused');
  return reason ? decodeURIComponent(reason) : 'refused';
}

/** A readable message: the server's own words when it answered with an error body. */
function describe(error) {
  const response = error && error.originalResponse;
  if (response) {
    try {
      const body = JSON.parse(response.getBody());
      if (body && body.message) return `HTTP ${response.getStatus()}: ${body.message}`;
    } catch (_) { /* not JSON: fall through */ }
    return `HTTP ${response.getStatus()}`;
  }
  return String((error && error.message) || error);
}
