// The name of a photo: hex sha256 of its original bytes, the same digest the server computes
// when an upload completes (a result cites photos by it). One function for ctx.photos.add and
// the uploader, so the two can never disagree.

/** Hex sha256 of a Blob's bytes. */
export async function sha256OfBlob(blob) {
  if (!(globalThis.crypto && crypto.subtle)) {
    const err = new Error('photos need a secure context (https): crypto.subtle is missing');
    err.key = 'error.insecure';
    throw err;
  }
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
