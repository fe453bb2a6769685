// Who Today's snapshot belongs to (today_snapshot.js), on a stand-in localStorage: node has
// none. Painting and saving need a DOM: tests/e2e/app/test_today_snapshot.py covers those.
import assert from 'node:assert/strict';
import { test } from 'node:test';

const store = new Map();
globalThis.window = { localStorage: {
  getItem: (key) => (store.has(key) ? store.get(key) : null),
  setItem: (key, value) => store.set(key, String(value)),
  removeItem: (key) => store.delete(key),
} };
const snapshot = await import('../../../../server/field_app/static/js/today_snapshot.js');
const { SNAPSHOT_KEY, WHO_KEY, noteWho, clearSnapshot, forgetSession, whoOf } = snapshot;
const A = { user_id: 'u-a', device_id: 'd-1' };
const B = { user_id: 'u-b', device_id: 'd-1' };

function kept(who) {
  store.clear();
  store.set(WHO_KEY, whoOf(who));
  store.set(SNAPSHOT_KEY, JSON.stringify({ who: whoOf(who), screen: ['div', {}] }));
}

test('the same session keeps its snapshot', () => {
  kept(A);
  assert.equal(noteWho(A), false);
  assert.ok(store.has(SNAPSHOT_KEY));
});

test('another user, another device or nobody drops it', () => {
  for (const [now, who] of [[B, whoOf(B)], [{ ...A, device_id: 'd-2' }, 'u-a d-2'], [null, null]]) {
    kept(A);
    assert.equal(noteWho(now), true);
    assert.equal(store.has(SNAPSHOT_KEY), false);
    assert.equal(store.get(WHO_KEY) ?? null, who);
  }
});

test('clearing keeps who it is for; forgetting the session drops both', () => {
  kept(A);
  clearSnapshot();
  assert.deepEqual([store.has(SNAPSHOT_KEY), store.get(WHO_KEY)], [false, 'u-a d-1']);
  kept(A);
  forgetSession();
  assert.deepEqual([store.has(SNAPSHOT_KEY), store.has(WHO_KEY)], [false, false]);
});
