// Unit tests of the shell's pure logic (node --test; run from tests/unit/field_app/test_js.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';

const STATIC = '../../../../server/field_app/static/js/';
const { backoffDelay } = await import(STATIC + 'sync_schedule.js');
const { pickLang, translator, addTexts } = await import(STATIC + 'i18n.js');
const worklist = await import(STATIC + 'worklist.js');
const { fixMoves } = await import(STATIC + 'screens/ticket.js');

test('backoff doubles per failure, is capped, and jitters within the upper half', () => {
  assert.equal(backoffDelay(0), 0);
  assert.equal(backoffDelay(1, { random: () => 0 }), 1000);
  assert.equal(backoffDelay(1, { random: () => 1 }), 2000);
  assert.equal(backoffDelay(3, { random: () => 1 }), 8000);
  assert.equal(backoffDelay(30, { random: () => 1 }), 5 * 60 * 1000);
  assert.equal(backoffDelay(30, { random: () => 0 }), 2.5 * 60 * 1000);
});

test('the language is the setting, else the browser\'s, else Chinese', () => {
  assert.equal(pickLang('en', ['zh-CN']), 'en');
  assert.equal(pickLang(null, ['fr-FR', 'en-US']), 'en');
  assert.equal(pickLang(undefined, ['zh-TW']), 'zh');
  assert.equal(pickLang(null, ['de']), 'zh');
});

test('texts fill their variables, slices add keys, English backs up missing Chinese', () => {
  addTexts({ zh: { 'x.hello': '你好 {name}' }, en: { 'x.hello': 'Hello {name}', 'x.only_en': 'E' } });
  assert.equal(translator('zh')('x.hello', { name: '张伟' }), '你好 张伟');
  assert.equal(translator('zh')('x.only_en'), 'E');
  assert.equal(translator('en')('no.such.key'), 'no.such.key');
  assert.equal(translator('en')('status.results_waiting', { n: 3 }), '3 waiting');
});

const me = { user_id: 'u1', role: 'engineer' };
const NOW = Date.parse('2026-11-29T08:00:00Z');
const occ = (id, start, due, closes, extra = {}) => ({ doc: {
  id, name: id, checklist_id: 'daily', start, due_at: due, closes_at: closes, status: 'upcoming',
  assignee_user_id: 'u1', assignee_role: null, ...extra } });

test('inspections: open ones of mine starting within a day, with their state now', () => {
  const items = worklist.inspections([
    occ('due', '2026-11-29T00:00:00Z', '2026-11-29T10:00:00Z', '2026-11-30T00:00:00Z'),
    occ('overdue', '2026-11-28T00:00:00Z', '2026-11-28T10:00:00Z', '2026-11-29T12:00:00Z'),
    occ('missed', '2026-11-27T00:00:00Z', '2026-11-27T10:00:00Z', '2026-11-28T00:00:00Z'),
    occ('done', '2026-11-29T00:00:00Z', '2026-11-29T10:00:00Z', '2026-11-30T00:00:00Z', { status: 'done' }),
    occ('far', '2026-12-05T00:00:00Z', '2026-12-05T10:00:00Z', '2026-12-06T00:00:00Z'),
    occ('theirs', '2026-11-29T00:00:00Z', '2026-11-29T10:00:00Z', '2026-11-30T00:00:00Z', { assignee_user_id: 'u2' }),
    occ('my-role', '2026-11-29T00:00:00Z', '2026-11-29T10:00:00Z', '2026-11-30T00:00:00Z',
        { assignee_user_id: null, assignee_role: 'engineer' }),
  ], me, NOW);
  assert.deepEqual(items.map((i) => [i.id, i.state]),
                   [['due', 'due'], ['overdue', 'overdue'], ['my-role', 'due']]);
  assert.equal(items[0].href, '#/inspect/daily?occurrence=due');
});

test('tickets to do count the moves queued on this device', () => {
  const tickets = [{ doc: { id: 't1', title: 'A', status: 'open', assignee: 'u1' } },
                   { doc: { id: 't2', title: 'B', status: 'open', responsible: 'u1' } },
                   { doc: { id: 't3', title: 'C', status: 'open', assignee: 'u2' } }];
  const outbox = [{ mutation_id: 1, state: 'pending', name: 'move_ticket', args: { ticket_id: 't1', from: 'open', to: 'in_progress' } },
                  { mutation_id: 2, state: 'pending', name: 'move_ticket', args: { ticket_id: 't1', from: 'in_progress', to: 'fixed' } },
                  { mutation_id: 3, state: 'acked', name: 'move_ticket', args: { ticket_id: 't2', from: 'open', to: 'in_progress' } }];
  assert.deepEqual(worklist.ticketsToDo(tickets, outbox, me).map((t) => [t.id, t.state]), [['t2', 'open']]);
  assert.equal(worklist.localTicket(tickets[0].doc, outbox).local_status, 'fixed');
});

test('complaints and rounds assigned to me', () => {
  const tasks = [{ doc: { complaint_id: 'c1', status: 'assigned', assignee_user_id: 'u1', unit: '1-101',
                          category: 'repair', description: '漏水', deadline_at: '2026-11-29T07:00:00Z' } },
                 { doc: { complaint_id: 'c2', status: 'done', assignee_user_id: 'u1' } }];
  assert.deepEqual(worklist.complaints(tasks, me, NOW).map((c) => [c.id, c.state]), [['c1', 'overdue']]);
  // the category by its name in the user's language (the record holds its code)
  const zh = translator('zh');
  assert.equal(worklist.complaints(tasks, me, NOW, (code) => zh(`complaint.category.${code}`))[0].title,
               '1-101 维修: 漏水');
  const round = (id, assignees) => ({ doc: { id, route_id: 'r1', status: 'scheduled', round_id: null, assignees,
    start: '2026-11-29T07:30:00Z', late_after: '2026-11-29T07:45:00Z', deadline: '2026-11-29T09:00:00Z' } });
  const guard = { user_id: 'g1', role: 'guard' };
  const rounds = worklist.rounds([round('post', { post: 'gate' }), round('named', { guards: ['g1'] }),
                                  round('other', { guards: ['g2'] })], guard, NOW);
  assert.deepEqual(rounds.map((r) => [r.id, r.state]), [['post', 'overdue'], ['named', 'overdue']]);
  assert.equal(rounds[0].href, '#/patrol/r1?occurrence=post');
});

test('marking fixed starts the work first when it was not started', () => {
  const from = (state) => (fixMoves('t1', state, 'done', ['ab']) || []).map((m) => `${m.args.from}>${m.args.to}`);
  assert.deepEqual(from('open'), ['open>in_progress', 'in_progress>fixed']);
  assert.deepEqual(from('reopened'), ['reopened>in_progress', 'in_progress>fixed']);
  assert.deepEqual(from('in_progress'), ['in_progress>fixed']);
  assert.equal(fixMoves('t1', 'verified', 'x', []), null);
  assert.deepEqual(fixMoves('t1', 'in_progress', 'note', ['ab'])[0].args,
                   { ticket_id: 't1', from: 'in_progress', to: 'fixed', note: 'note', photos: ['ab'] });
});
