// Per-chunk checksums for tus-js-client (the tus checksum extension).
//
// tus-js-client 4.x sends no `Upload-Checksum`, so a chunk damaged on the way would be caught
// only by the whole-photo sha256 at the end, and the whole photo sent again. It takes a
// custom `httpStack`: this one wraps the default (XHR) stack and, before a PATCH goes out,
// hashes its body (a Blob slice of the photo) with SHA-1 and names it in
// `Upload-Checksum: sha1 <base64>`. The server then refuses a damaged chunk alone (460,
// nothing stored) and the uploader sends that chunk again (`retriesChecksumMismatch`).
// Without crypto.subtle (plain http on a LAN address) chunks go without the header, as before.

/** The server's answer to a chunk that does not match its `Upload-Checksum` (tus). */
export const CHECKSUM_MISMATCH = 460;

function base64(buffer) {
  let text = '';
  for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
  return btoa(text);
}

/** `sha1 <base64 digest>` of a request body (Blob, ArrayBuffer or typed array). */
export async function checksumHeader(body) {
  const bytes = body instanceof Blob ? await body.arrayBuffer() : body;
  return `sha1 ${base64(await crypto.subtle.digest('SHA-1', bytes))}`;
}

class ChecksumRequest {
  constructor(inner) {
    this.inner = inner;
    this.aborted = false;
  }

  getMethod() { return this.inner.getMethod(); }

  getURL() { return this.inner.getURL(); }

  setHeader(name, value) { this.inner.setHeader(name, value); }

  getHeader(name) { return this.inner.getHeader(name); }

  setProgressHandler(handler) { this.inner.setProgressHandler(handler); }

  getUnderlyingObject() { return this.inner.getUnderlyingObject(); }

  abort() {
    this.aborted = true;
    return this.inner.abort();
  }

  async send(body = null) {
    if (body && this.getMethod() === 'PATCH' && globalThis.crypto && crypto.subtle) {
      this.setHeader('Upload-Checksum', await checksumHeader(body));
      // aborted while hashing: the XHR was never sent, so its abort did nothing
      if (this.aborted) throw new Error('the upload request was aborted');
    }
    return this.inner.send(body);
  }
}

/** tus-js-client's default HTTP stack, with a checksum on every chunk it sends. */
export class ChecksumHttpStack {
  constructor(inner = new globalThis.tus.DefaultHttpStack()) {
    this.inner = inner;
  }

  createRequest(method, url) {
    return new ChecksumRequest(this.inner.createRequest(method, url));
  }

  getName() {
    return `Checksum${this.inner.getName()}`;
  }
}

/**
 * tus-js-client's `onShouldRetry`: a chunk the server found damaged is sent again (the
 * default gives up on every 4xx but 409 and 423); otherwise the default decides.
 */
export function retriesChecksumMismatch(error, attempt, options) {
  const response = error && error.originalResponse;
  if (response && response.getStatus() === CHECKSUM_MISMATCH) return true;
  return globalThis.tus.defaultOptions.onShouldRetry(error, attempt, options);
}
