/**
 * The engine's problems carry the server's English 422 texts (so a refusal reads
 * the same everywhere); the inspector reads the common ones in their language.
 * Anything not listed here is shown as the server words it.
 */
const KNOWN = [
  [/^required \(or answer na\)$/, 'forms.problem.required_or_na'],
  [/^required: name the missing criterion/, 'forms.problem.criterion'],
  [/^required: pick (\S+)$/, 'forms.problem.points', (m) => ({ range: m[1] })],
  [/^required$/, 'forms.problem.required'],
  [/^evidence required: at least (\d+) photo/, 'forms.problem.photos', (m) => ({ n: m[1] })],
  [/^evidence required: a note/, 'forms.problem.note'],
  [/^evidence required: where the defect is/, 'forms.problem.location'],
  [/^a failed (deduction item needs|answer must list)/, 'forms.problem.defects'],
  [/^needs (\d+)-(\d+) photos, got (\d+)$/, 'forms.problem.photo_count', (m) => ({ min: m[1], max: m[2], n: m[3] })],
  [/is outside the allowed (\S+)$/, 'forms.problem.points', (m) => ({ range: m[1] })],
  [/^needs (\d+)-(\d+) instances/, 'forms.problem.instances', (m) => ({ min: m[1], max: m[2] })],
  [/^required: the .* \(1-100 characters\)$/, 'forms.problem.instance_label'],
  [/is already used by another instance$/, 'forms.problem.instance_label_twice'],
  [/^must be \{signer: name, image/, 'forms.problem.signature'],
  [/^signer must be a non-blank name$/, 'forms.problem.signature'],
];

/** A problem's text in the screen's language (the server's English when not known). */
export function problemText(t, problem) {
  const message = String(problem.message || problem.code || '');
  for (const [pattern, key, vars] of KNOWN) {
    const m = pattern.exec(message);
    if (m) {
      // a field of a defect: say which defect ("defects[1].note" -> #2)
      const defect = /defects\[(\d+)\]/.exec(String(problem.path || ''));
      const text = t(key, vars ? vars(m) : {});
      return defect ? `${t('forms.problem.defect_n', { n: Number(defect[1]) + 1 })} ${text}` : text;
    }
  }
  return message;
}
