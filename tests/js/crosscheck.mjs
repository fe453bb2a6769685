// Scores answer sets with the field app's engine for the Python cross-check
// (tests/integration/definitions/test_engine_js_crosscheck.py).
//
// stdin:  {"definitions": {name: definition document},
//          "cases": [{"definition": name, "answers": {...}}],
//          "expressions": [{"rule": ..., "data": {...}}]}
// stdout: {"cases": [{"problems": [[path, message], ...], "score": {...} | null,
//                     "error": null | text}],
//          "expressions": [value, ...]}
import { applyRule, compileDefinition, evaluate } from '../../server/field_app/static/js/engine/index.js';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const forms = {};
for (const [name, doc] of Object.entries(input.definitions || {})) forms[name] = compileDefinition(doc);

const cases = (input.cases || []).map(({ definition, answers }) => {
  try {
    const ev = evaluate(forms[definition], answers);
    return { problems: ev.problems.map((p) => [p.path, p.message]), score: ev.score, error: null };
  } catch (err) {
    return { problems: null, score: null, error: String(err && err.stack ? err.stack : err) };
  }
});
const expressions = (input.expressions || []).map(({ rule, data }) => applyRule(rule, data));
process.stdout.write(JSON.stringify({ cases, expressions }));
