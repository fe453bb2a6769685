// Building a round on the phone (run with TZ=Asia/Shanghai, as pytest does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addScan, cleanAnswers, findRoute, fixFromPosition, localIso, myRounds, newRound, progress,
  siteCheckpoints, submitRoundArgs, updateVisit, visitDefinition,
} from '../../../server/field_app/static/js/patrol/round.js';

const at = (hhmm, day = '2026-11-02') => new Date(`${day}T${hhmm}:00+08:00`);
const occurrence = (fields = {}) => ({
  id: 'night.v1.20261102T2200', site_id: 'A', route_id: 'night-walk', route_version: 1,
  status: 'scheduled', start: '2026-11-02T14:00:00+00:00', opens: '2026-11-02T13:55:00+00:00',
  late_after: '2026-11-02T14:15:00+00:00', deadline: '2026-11-02T15:00:00+00:00',
  timing: { mode: 'offset' }, assignees: { guards: ['u-guard'] }, ...fields,
});
const route = {
  id: 'night-walk', version: 1, order: 'strict',
  stops: [{ checkpoint_id: 'cp1', travel_s: 300, tolerance_s: 300 },
    ...[2, 3].map((n) => ({ checkpoint_id: `cp${n}`, travel_s: 120, tolerance_s: 60 }))],
};
const checkpoints = Object.fromEntries([1, 2, 3, 9].map((n) => [`cp${n}`,
  { id: `cp${n}`, tag: `TAG-${n}`, name: `point ${n}` }]));

test('device times carry the device clock with its offset', () => {
  assert.equal(localIso(at('22:05')), '2026-11-02T22:05:00.000+08:00');
});

test('a browser fix the server would refuse is dropped, not sent', () => {
  const pos = (latitude, longitude, accuracy) => ({ coords: { latitude, longitude, accuracy } });
  assert.deepEqual(fixFromPosition(pos(31.2, 121.4, 8)), { lat: 31.2, lon: 121.4, accuracy_m: 8 });
  for (const bad of [pos(31.2, 121.4, 0), pos(91, 121.4, 8), pos(31.2, 181, 8),
    pos(31.2, 121.4, 100001), pos(NaN, 121.4, 8), null, {}]) {
    assert.equal(fixFromPosition(bad), null, JSON.stringify(bad));
  }
});

test('my rounds: scheduled, without a result, mine (or a post), by start, with where now falls', () => {
  const me = { user_id: 'u-guard', role: 'guard' };
  const rows = [
    { doc: occurrence({ id: 'earlier', start: '2026-11-02T12:00:00+00:00',
      opens: '2026-11-02T11:55:00+00:00', late_after: '2026-11-02T12:15:00+00:00',
      deadline: '2026-11-02T13:00:00+00:00' }) },
    { doc: occurrence() },
    { doc: occurrence({ id: 'done', round_id: 'r1' }) },
    { doc: occurrence({ id: 'cancelled', status: 'cancelled' }) },
    { doc: occurrence({ id: 'other', assignees: { guards: ['someone'] } }) },
    { doc: occurrence({ id: 'post', start: '2026-11-02T16:00:00+00:00',
      opens: '2026-11-02T15:55:00+00:00', assignees: { post: 'gate' } }) },
  ];
  const mine = myRounds(rows, me, at('22:20'));
  assert.deepEqual(mine.map((r) => [r.occurrence.id, r.state]),
    [['earlier', 'overdue'], ['night.v1.20261102T2200', 'late'], ['post', 'upcoming']]);
  assert.deepEqual(myRounds(rows, { user_id: 'u-eng', role: 'engineer' }, at('22:20')), []);
});

test('a round walked with scans, answers and a photo gives exactly the submit_round args', () => {
  let draft = newRound(occurrence(), { id: 'round-1', now: at('22:02') });
  assert.equal(draft.kind, 'patrol');
  draft = addScan(draft, { tag: 'TAG-1', method: 'qr', at: at('22:05'),
    fix: { lat: 31.2, lon: 121.4, accuracy_m: 8 } });
  draft = updateVisit(draft, 'cp1', { answers: { 'np.lighting.ok': { value: 'fail' },
    'np.remarks': { value: '' } }, at: at('22:06') });
  draft = updateVisit(draft, 'cp1', { photo: { sha256: 'a'.repeat(64) }, at: at('22:06') });
  const retaken = updateVisit(draft, 'cp1', { answers: { 'np.remarks': { value: 'ok' } }, at: at('22:06') });
  assert.deepEqual(retaken.visits.cp1.answers, { 'np.remarks': { value: 'ok' } });   // replaced
  draft = addScan(draft, { tag: 'TAG-2', method: 'manual', at: at('22:08') });
  assert.deepEqual(submitRoundArgs(draft, at('22:09')), {
    id: 'round-1', occurrence_id: 'night.v1.20261102T2200', route_id: 'night-walk',
    route_version: 1, started_at: '2026-11-02T22:02:00.000+08:00',
    finished_at: '2026-11-02T22:09:00.000+08:00',
    scans: [
      { tag: 'TAG-1', at: '2026-11-02T22:05:00.000+08:00', method: 'qr',
        gps: { lat: 31.2, lon: 121.4, accuracy_m: 8 } },
      { tag: 'TAG-2', at: '2026-11-02T22:08:00.000+08:00', method: 'manual' },
    ],
    visits: { cp1: { answers: { 'np.lighting.ok': { value: 'fail' } },
      photos: [{ sha256: 'a'.repeat(64) }], done_at: '2026-11-02T22:06:00.000+08:00' } },
  });
});

test('a bad scan leaves the draft as it was', () => {
  const draft = newRound(occurrence(), { id: 'r', now: at('22:02') });
  assert.throws(() => addScan(draft, { tag: '  ', method: 'qr', at: at('22:03') }), /blank/);
  assert.throws(() => addScan(draft, { tag: 'T', method: 'gps', at: at('22:03') }), /fix/);
  assert.throws(() => addScan(draft, { tag: 'T', method: 'laser', at: at('22:03') }), /method/);
  assert.deepEqual(draft.scans, []);
});

test('unanswered entries are dropped from answers', () => {
  assert.deepEqual(cleanAnswers({ a: {}, b: { value: null }, c: { value: [] }, d: { value: 0 },
    e: { value: 'pass', note: '' } }), { d: { value: 0 }, e: { value: 'pass' } });
});

test('progress: visits in route order, the next stop with its expected window, strays apart', () => {
  let draft = newRound(occurrence(), { id: 'r', now: at('22:00') });
  draft = addScan(draft, { tag: 'TAG-1', method: 'qr', at: at('22:05') });
  draft = addScan(draft, { tag: 'TAG-9', method: 'qr', at: at('22:06') });
  draft = addScan(draft, { tag: 'TAG-1', method: 'qr', at: at('22:06') });   // a repeat
  const p = progress(route, checkpoints, occurrence(), draft);
  assert.deepEqual([p.done, p.left, p.total], [1, 2, 3]);
  assert.deepEqual(p.stops.map((s) => s.state), ['done', 'next', 'todo']);
  assert.equal(p.stops[0].guess, 'on_time');
  assert.deepEqual(p.stops[0].window, { from: at('22:00'), to: at('22:10') });
  assert.deepEqual(p.stops[1].window, { from: at('22:06'), to: at('22:08') });   // 2 ± 1 min
  assert.deepEqual(p.unexpected.map((u) => [u.tag, u.name]), [['TAG-9', 'point 9']]);
  draft = addScan(draft, { tag: 'TAG-3', method: 'qr', at: at('22:30') });   // skips cp2, late
  const q = progress(route, checkpoints, occurrence(), draft);
  assert.deepEqual(q.stops.map((s) => [s.state, s.guess]),
    [['done', 'on_time'], ['todo', null], ['done', 'late']]);
});

test('window timing: each stop against its window from the scheduled start', () => {
  const timed = occurrence({ timing: { mode: 'window', windows: [
    { checkpoint_id: 'cp1', open_min: 0, close_min: 10 },
    { checkpoint_id: 'cp2', open_min: 10, close_min: 20 }] } });
  let draft = newRound(timed, { id: 'r', now: at('22:00') });
  draft = addScan(draft, { tag: 'TAG-1', method: 'nfc', at: at('22:04') });
  const p = progress(route, checkpoints, timed, draft);
  assert.deepEqual(p.stops[1].window, { from: at('22:10'), to: at('22:20') });
  draft = addScan(draft, { tag: 'TAG-2', method: 'nfc', at: at('22:05') });
  assert.equal(progress(route, checkpoints, timed, draft).stops[1].guess, 'early');
});

test('any order: the first unvisited stop is next and the first visit has no expected walk', () => {
  const anyOrder = { ...route, order: 'any' };
  let draft = newRound(occurrence(), { id: 'r', now: at('22:00') });
  draft = addScan(draft, { tag: 'TAG-2', method: 'qr', at: at('22:03') });
  const p = progress(anyOrder, checkpoints, occurrence(), draft);
  assert.deepEqual(p.stops.map((s) => s.state), ['next', 'done', 'todo']);
  assert.equal(p.stops[1].window, null);
  // walking back cp2 -> cp1 takes the leg between them: 2 ± 1 min (as the server times it)
  assert.deepEqual(p.stops[0].window, { from: at('22:04'), to: at('22:06') });
});

test('pulled records are found by route version and by site', () => {
  const rows = [{ doc: { id: 'night-walk@1', route: { ...route, version: 1 } } },
    { doc: { id: 'night-walk@2', route: { ...route, version: 2, name: 'v2' } } }];
  assert.equal(findRoute(rows, 'night-walk', 2).name, 'v2');
  assert.equal(findRoute(rows, 'night-walk', 3), null);
  const sites = [{ doc: { id: 'A', site_id: 'A', checkpoints } }, { doc: { id: 'B', site_id: 'B', checkpoints: {} } }];
  assert.equal(siteCheckpoints(sites, 'A').cp1.tag, 'TAG-1');
  assert.deepEqual(siteCheckpoints(sites, 'C'), {});
});

test("a visit's item photos go with the round only while its answers cite them", () => {
  const [photo, sig, dropped, problem] = ['b', 'c', 'd', 'e'].map((x) => x.repeat(64));
  let draft = newRound(occurrence(), { id: 'round-2', now: at('22:02') });
  draft = updateVisit(draft, 'cp2', { photo: { sha256: problem }, at: at('22:04') });
  draft = updateVisit(draft, 'cp2', { at: at('22:05'), answers: {
    'g.barrier': { photos: [photo] }, 'g.sign': { value: { image: sig } },
    'g.cars': [{ label: '粤B12345', answers: { 'g.car.pass': { value: 'pass' } } }],
  }, itemPhotos: [
    { sha256: photo, exif_time: '2026-11-02T22:04:30', item: 'g.barrier', size: 10 },
    { sha256: dropped, item: 'g.barrier' }, { sha256: sig, item: 'g.sign' },
    { sha256: problem, item: 'g.barrier' }] });
  // a later change that gives no item photos keeps them
  draft = updateVisit(draft, 'cp2', { at: at('22:06') });
  const { visits } = submitRoundArgs(draft, at('22:09'));
  assert.deepEqual(visits.cp2.photos, [{ sha256: problem },
    { sha256: photo, exif_time: '2026-11-02T22:04:30' }, { sha256: sig }]);
  assert.deepEqual(visits.cp2.answers['g.cars'],
    [{ label: '粤B12345', answers: { 'g.car.pass': { value: 'pass' } } }]);
});

test('a visit names the checklist version its answers were given to, and keeps it', () => {
  let draft = newRound(occurrence(), { id: 'round-3', now: at('22:02') });
  draft = updateVisit(draft, 'cp1', { photo: { sha256: 'f'.repeat(64) }, at: at('22:04') });
  assert.equal(draft.visits.cp1.checklist_version, undefined);   // no form, no version
  draft = updateVisit(draft, 'cp1', { answers: { 'g.barrier': { value: 'pass' } }, at: at('22:05'),
    checklist: { checklist_id: 'gate-check', checklist_version: 1 } });
  draft = updateVisit(draft, 'cp1', { photo: { sha256: 'e'.repeat(64) }, at: at('22:06') });
  const { visits } = submitRoundArgs(draft, at('22:09'));
  assert.equal(visits.cp1.checklist_id, 'gate-check');
  assert.equal(visits.cp1.checklist_version, 1);
  draft = updateVisit(draft, 'cp2', { answers: {}, at: at('22:07') });
  assert.equal('checklist_id' in submitRoundArgs(draft, at('22:09')).visits.cp2, false);
});

test("a resumed visit's form renders the version it was answered on while it is pulled", () => {
  const rows = [1, 2, 3].map((version) => ({ doc: { definition: { id: 'gate-check', version },
    status: version === 3 ? 'retired' : 'published' } }));
  const named = { checklist_id: 'gate-check', checklist_version: 1 };
  assert.equal(visitDefinition(rows, 'gate-check', named).version, 1);
  assert.equal(visitDefinition(rows, 'gate-check', { answers: {} }).version, 2);   // newest published
  assert.equal(visitDefinition(rows, 'gate-check', { ...named, checklist_version: 9 }).version, 2);
  assert.equal(visitDefinition(rows, 'other', named), null);
});
