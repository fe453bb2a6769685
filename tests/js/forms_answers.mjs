// Runs the FORMS slice's pure answer code (answers.js, submit_args.js) on cases
// read as JSON from stdin and prints what it built, for Python to check against
// the server's own schemas (tests/unit/field_app/test_forms_answers.py).
import { pruneAnswers, removeInstance, updateAnswer, answerAt } from '../../server/field_app/static/js/inspect/answers.js';
import { buildSubmitArgs, deviceTime } from '../../server/field_app/static/js/inspect/submit_args.js';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { cases } = JSON.parse(input);

const out = cases.map((c) => {
  const draft = structuredClone(c.draft);
  for (const [path, answer] of c.updates || []) updateAnswer(draft.answers, path, () => answer);
  for (const [section, index] of c.remove_instances || []) removeInstance(draft, section, index);
  const sent = pruneAnswers(draft.answers, c.definition, (id) => c.visible[id] !== false);
  return {
    sent,
    draft,
    read: (c.read || []).map((path) => answerAt(draft.answers, path) ?? null),
    args: buildSubmitArgs(draft, sent, { finishedAt: new Date(c.finished_at), gps: c.gps || null }),
  };
});
process.stdout.write(JSON.stringify({ results: out, now: deviceTime(new Date(Date.UTC(2026, 10, 29, 14, 5, 9))) }));
