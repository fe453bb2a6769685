/**
 * The best GPS fix while a form is open. getCurrentPosition can wait forever
 * indoors (its default timeout is Infinity), so the form watches the position,
 * keeps the most accurate recent fix, and never waits for one: a result without
 * GPS is still a result (research note §10). Coordinates stay WGS-84 as the
 * phone reports them.
 */
import { deviceTime } from './submit_args.js';

const STALE_MS = 5 * 60 * 1000;

export function watchBestFix() {
  if (!('geolocation' in navigator)) return { best: () => null, stop() {} };
  let best = null;
  const id = navigator.geolocation.watchPosition((pos) => {
    const stale = best && pos.timestamp - best.timestamp > STALE_MS;
    if (!best || stale || pos.coords.accuracy <= best.coords.accuracy) best = pos;
  }, () => {}, { enableHighAccuracy: true, timeout: 60000, maximumAge: 60000 });
  return {
    /** `{lat, lon, accuracy_m, at}` as SubmitResult's gps, or null without a fix. */
    best() {
      if (!best) return null;
      const { latitude, longitude, accuracy } = best.coords;
      const fix = { lat: latitude, lon: longitude, at: deviceTime(new Date(best.timestamp)) };
      if (Number.isFinite(accuracy) && accuracy >= 0) fix.accuracy_m = accuracy;
      return fix;
    },
    stop() { navigator.geolocation.clearWatch(id); },
  };
}
