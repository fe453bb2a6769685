// TEST STAND-IN for the ENGINE slice's module (served only while the real
// server/field_app/static/js/engine/index.js is absent). Same API; each evaluate()
// asks the Python checklist engine through the test server (tests/e2e/app/standin_server.py).
export function compileDefinition(definition) {
  return { definition, sections: definition.sections };
}

export function evaluate(form, answers) {
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/__test/evaluate', false); // the API is synchronous
  xhr.setRequestHeader('Content-Type', 'application/json');
  xhr.send(JSON.stringify({ definition: form.definition, answers }));
  if (xhr.status !== 200) throw new Error(`stand-in engine: ${xhr.status} ${xhr.responseText.slice(0, 200)}`);
  const out = JSON.parse(xhr.responseText);
  return {
    relevant: (id) => out.visible[id] !== false,
    required: (id) => !!out.required[id],
    problems: out.problems,
    score: out.score,
  };
}
