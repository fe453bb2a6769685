// The phone's position while a round is walked, for each scan's fix.
//
// `getCurrentPosition` at the moment of a scan could wait a long time indoors (its default
// timeout is infinite), and a scan must never wait for GPS: a watch runs while the round
// screen is open and each scan takes the latest fix if it is recent. Positions are stored as
// the browser gives them (WGS-84), as the checkpoints are.

import { fixFromPosition } from './round.js';

const FRESH_MS = 60000;

/**
 * Start watching; `onChange()` after each new fix or a refusal. Returns
 * `{latest(now) -> fix | null, denied(), stop()}`.
 */
export function watchFix(onChange = () => {}) {
  let last = null;
  let denied = false;
  let id = null;
  if ('geolocation' in navigator) {
    id = navigator.geolocation.watchPosition(
      (position) => {
        const fix = fixFromPosition(position);
        if (fix) last = { fix, at: Date.now() };
        onChange();
      },
      (error) => {
        if (error.code === 1) denied = true;  // PERMISSION_DENIED: scans go without a fix
        onChange();
      },
      { enableHighAccuracy: true, timeout: 30000, maximumAge: 10000 });
  } else {
    denied = true;
  }
  return {
    latest: (now = Date.now()) => (last && now - last.at <= FRESH_MS ? last.fix : null),
    denied: () => denied,
    stop: () => {
      if (id !== null) navigator.geolocation.clearWatch(id);
    },
  };
}
