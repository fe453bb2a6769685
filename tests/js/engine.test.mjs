// Unit tests of the field app engine's building blocks (run by pytest: test_engine_js_crosscheck).
import assert from 'node:assert/strict';
import test from 'node:test';

import { applyRule, truthy } from '../../server/field_app/static/js/engine/jsonlogic.js';
import { formatG, num, pyRepr, pyRound } from '../../server/field_app/static/js/engine/pyformat.js';
import { compileDefinition, evaluate } from '../../server/field_app/static/js/engine/index.js';

test('pyRound rounds exact ties to even, like Python', () => {
  assert.equal(pyRound(0.03125, 4), 0.0312);   // an exact binary tie
  assert.equal(pyRound(0.09375, 4), 0.0938);
  assert.equal(pyRound(53.125, 2), 53.12);
  assert.equal(pyRound(2.675, 2), 2.67);       // 2.675 is really 2.67499999...
  assert.equal(pyRound(-0.00001, 4), 0);
  assert.ok(Object.is(pyRound(-0.00001, 4), 0));
  assert.equal(pyRound(1 / 3, 6), 0.333333);
});

test('formatG and num write numbers as the server does', () => {
  assert.equal(formatG(0.5), '0.5');
  assert.equal(formatG(3), '3');
  assert.equal(formatG(1234567), '1.23457e+06');
  assert.equal(formatG(0.00001), '1e-05');
  assert.equal(num(2.1125000000000003), '2.1125');
  assert.equal(num(-0), '0');
  assert.equal(pyRepr({ '>': [{ var: 'x' }, 3] }), "{'>': [{'var': 'x'}, 3]}");
  assert.equal(pyRepr("it's"), '"it\'s"');
});

test('JSON Logic follows the server evaluator where json-logic-js differs', () => {
  assert.equal(applyRule({ '==': [null, 0] }, {}), true);
  assert.equal(applyRule({ '==': ['', 0] }, {}), null);        // incompatible: an error
  assert.equal(applyRule({ '/': [1, 0] }, {}), null);          // whole by whole zero: an error
  assert.equal(applyRule({ '/': [1.5, 0] }, {}), Number.MAX_VALUE);
  assert.equal(applyRule({ '+': [' 1 '] }, {}), null);         // no blanks around numbers
  assert.equal(applyRule({ '+': ['1e3'] }, {}), 1000);
  assert.equal(applyRule({ cat: [1.5e-7, true, null] }, {}), '0.00000015true');
  assert.equal(applyRule({ merge: [[1, null], null, 2] }, {}).length, 2);
  assert.equal(applyRule({ if: [0, 1, 0, 2] }, {}), null);
  assert.equal(applyRule({ '!==': [1, '1', { max: [] }] }, {}), true); // third argument never evaluated
  assert.equal(applyRule({ var: 'a.b' }, { a: { b: 4 } }), 4);
  assert.equal(truthy({}), false);
  assert.equal(truthy('0'), true);
});

test('strings shaped like durations and datetimes are times, as on the server', () => {
  assert.equal(applyRule({ '==': ['1d', '24h'] }, {}), true);
  assert.equal(applyRule({ '<': ['10d', '9d'] }, {}), false);
  assert.equal(applyRule({ '==': [{ var: 'due' }, '2026-01-01T08:00:00+08:00'] }, { due: '2026-01-01T00:00:00Z' }), true);
  assert.equal(applyRule({ '==': ['2026-01-01', '2026-01-01T00:00:00Z'] }, {}), false); // a date alone is text
  assert.equal(applyRule({ '+': ['2026-01-01T00:00:00Z', '1d'] }, {}), '2026-01-02T00:00:00Z');
  assert.equal(applyRule({ '/': ['1d', 7] }, {}), '0d:3h:25m:42s');
  assert.equal(applyRule({ '*': ['1d', 2, 3] }, {}), null);
});

test('cat writes numbers as the server does', () => {
  assert.equal(applyRule({ cat: [{ '/': [10, 2] }, ' ', { '*': [2.5, 2] }] }, {}), '5 5');
  assert.equal(applyRule({ cat: [1e20, ' ', -0] }, {}), '1e20 0');
  assert.equal(applyRule({ substr: [[1e-6, 0.5, 3], 0] }, {}), '[1e-6,0.5,3]');
});

test('a calculation is blank until every item it reads is answered', () => {
  const label = { zh: 'x', en: 'x' };
  const form = compileDefinition({
    id: 'd', version: 1, kind: 'inspection', title: label,
    sections: [{ id: 's', title: label, items: [
      { id: 'len', type: 'reading', label }, { id: 'wid', type: 'reading', label },
      { id: 'area', type: 'calculate', label, calculation: { '*': [{ var: 'len' }, { var: 'wid' }] } },
      { id: 'big', type: 'check', label, show_if: { expr: { '>': [{ var: 'area' }, 20] } } },
    ] }],
  });
  let ev = evaluate(form, { len: { value: 5 } });
  assert.equal(ev.calculated('area'), null);
  assert.equal(ev.relevant('big'), false);
  ev = evaluate(form, { len: { value: 5 }, wid: { value: 4.5 } });
  assert.equal(ev.calculated('area'), 22.5);
  assert.equal(ev.relevant('big'), true);
  assert.deepEqual(ev.problems, []);
  assert.equal(ev.score.max, 1);
  assert.deepEqual(ev.score.deductions.map((d) => [d.item, d.reason]), [['big', 'unanswered']]);
});

test('a compiled form gives a renderer every item with its section, defaults and points', () => {
  const label = { zh: '甲', en: 'A' };
  const form = compileDefinition({ definition: {
    id: 'd', version: 2, kind: 'handover', title: label,
    sections: [{ id: 'rooms', title: label, repeat: { min: 1, max: 3, label, scoring: 'worst' }, items: [
      { id: 'floor', type: 'choice', label, options: [{ id: 'ok', label, score: 2 }, { id: 'bad', label, flag: true }],
        evidence: { photos: 1 } },
      { id: 'note', type: 'text', label },
    ] }],
  }, status: 'published' });
  const floor = form.itemsById.get('floor');
  assert.equal(floor.section, 'rooms');
  assert.equal(floor.max_points, 2);
  assert.equal(floor.multiple, false);
  assert.deepEqual(floor.evidence, { photos: 1, note: false, location: false, scope: 'answer' });
  assert.equal(form.itemsById.get('note').max_length, 2000);
  assert.equal(form.sections[0].repeat.scoring, 'worst');
  const ev = evaluate(form, { rooms: [{ label: '主卧', answers: { floor: { value: 'bad' } } }] });
  assert.equal(ev.relevant('rooms'), true);
  assert.equal(ev.relevant('floor', 0), true);
  assert.deepEqual(ev.problems.map((p) => [p.item, p.instance, p.path, p.code]),
    [['floor', 0, 'answers.rooms[0].answers.floor.photos', 'evidence']]);
  assert.deepEqual(ev.score.flags, [{ item: 'floor', reason: 'flagged_option', instance: 0 }]);
});
