// When to sync: at start, when the browser says it is online again, when the app becomes
// visible, on a timer while open, and shortly after every local write (Background Sync
// does not exist outside Chromium, so the page drives it). Failures back off
// exponentially with jitter; one sync at a time per origin (a Web Lock across tabs).
/** Held by every sync of every tab of the app (one device, one outbox). */
export const SYNC_LOCK = 'fieldsync-sync';

/** Delay before attempt `failures` + 1: base * 2^(failures-1), capped, half of it jittered. */
export function backoffDelay(failures, { base = 2000, max = 5 * 60 * 1000, random = Math.random } = {}) {
  if (failures <= 0) return 0;
  const full = Math.min(max, base * 2 ** (failures - 1));
  return full / 2 + random() * (full / 2);
}

export class BackoffScheduler {
  /** run(): one sync (throws on failure); retryable(err): back off and try again later. */
  constructor(run, { retryable, onState = () => {}, onSynced = () => {}, interval = 60 * 1000,
                     afterWrite = 1500 } = {}) {
    Object.assign(this, { run, retryable, onState, onSynced, interval, afterWrite });
    this.failures = 0;
    this.timer = null;
    this.running = null;
  }

  start() {
    window.addEventListener('online', () => this.soon(0));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.soon(0);
    });
    this.soon(0);
  }

  /** Sync after `delay` ms (replacing a later planned one). */
  soon(delay = this.afterWrite) {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => { this.timer = null; this.now().catch(() => {}); }, delay);
  }

  /** Sync now (joining one in progress); resolves to its report, rejects with its error. */
  now() {
    if (!this.running) {
      this.running = this._locked().finally(() => { this.running = null; });
    }
    return this.running;
  }

  async _locked() {
    const work = () => this._attempt();
    if (navigator.locks) return navigator.locks.request(SYNC_LOCK, work);
    return work();
  }

  async _attempt() {
    this.onState({ syncing: true });
    try {
      const report = await this.run();
      this.failures = 0;
      if (report) this.onSynced(report);
      this.soon(this.interval);
      return report;
    } catch (err) {
      if (this.retryable(err)) {
        this.failures += 1;
        this.soon(backoffDelay(this.failures));
      } else {
        this.soon(this.interval); // e.g. a refused token: nothing to hurry, keep checking
      }
      throw err;
    } finally {
      this.onState({ syncing: false });
    }
  }
}
