// fetch to /api/v1 with the device token. Errors are Error objects with .status and .body;
// a broken connection has status 0 and .offline = true (the request may or may not have
// reached the server, which is why every push is idempotent).
import { readMeta } from './idb_reads.js';

export const PREFIX = '/api/v1';

export class ApiError extends Error {
  /** `key`/`vars`: the i18n text of the app's own errors (a server's reason is its own text). */
  constructor(message, status, body, key = null, vars = {}) {
    super(message);
    this.status = status;
    this.body = body;
    this.offline = status === 0;
    this.key = key;
    this.vars = vars;
  }
}

/** An error as the user reads it: the app's own in their language, else its message. */
export function errorText(t, err) {
  return err && err.key ? t(err.key, { ...err.vars, detail: err.message }) : (err && err.message) || String(err);
}

/** The server's explanation of a refusal, as plain text. */
export function reason(body, status) {
  if (body && typeof body === 'object') {
    const text = body.message || body.error || '';
    const fields = body.errors ? ' ' + JSON.stringify(body.errors) : '';
    if (text || fields) return (text + fields).trim();
  }
  return `HTTP ${status}`;
}

/** Send one request; resolve to {status, body} for any HTTP answer in `accept`. */
export async function request(path, { method = 'GET', json, body, headers = {}, auth = true,
                                     accept = [200, 201, 204] } = {}) {
  const hdrs = { Accept: 'application/json', ...headers };
  if (auth) {
    const { token } = await readMeta(['token']);
    if (!token) throw new ApiError('not logged in', 401, null, 'error.not_logged_in');
    hdrs.Authorization = `Bearer ${token}`;
  }
  if (json !== undefined) {
    hdrs['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  let resp;
  try {
    resp = await fetch(PREFIX + path, { method, headers: hdrs, body, credentials: 'omit',
                                        cache: 'no-store' });
  } catch (err) {
    throw new ApiError(`cannot reach the server (${err.message})`, 0, null, 'error.offline', { cause: err.message });
  }
  const text = await resp.text().catch(() => '');
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
  if (!accept.includes(resp.status)) {
    throw new ApiError(reason(parsed, resp.status), resp.status, parsed);
  }
  return { status: resp.status, body: parsed, headers: resp.headers };
}
