/**
 * The checklist engine of the field app: definition logic, answer problems and scoring,
 * ported from the server's Python (checklists/) as plain ES modules.
 *
 * Why a port and not a server-compiled form: the app scores offline for days, against
 * definition versions it pulled as ordinary sync records, so whatever it evaluates must
 * be derivable from the definition document alone. A server-side "compiled" form would
 * still need an interpreter here with exactly the same arithmetic (rounding, repeat
 * combination, vetoes, N/A rescaling) — i.e. this port — plus a second format to version.
 * JSON Logic expressions are evaluated by jsonlogic.js, which follows the server's
 * evaluator (datalogic-rs) rather than json-logic-js, whose equality and coercions differ.
 * The server's score stays the truth; tests/integration/definitions/
 * test_engine_js_crosscheck.py scores every built-in template and over a thousand
 * generated answer sets with both engines and requires identical results.
 *
 * jsonlogic.js reproduces how the server writes numbers as text (number_text.js) and how
 * it compares and computes with strings shaped like datetimes and durations (temporal.js).
 * Known gaps: integers beyond 2^53, which JavaScript cannot hold exactly, and a whole
 * float from the data (an answer sent as 5.0 by another client; JSON.parse makes it 5),
 * which the server's cat writes "5.0". A rule literal such as 5.0 would differ the same
 * way, so publishing refuses it in rules that use cat or substr.
 *
 *   const form = compileDefinition(definitionDoc);  // a pulled `definitions` record or its .definition
 *   const ev = evaluate(form, answers);              // answers shaped as submit_result sends them
 *   ev.relevant(id [, instance]) / ev.required(itemId [, instance]) / ev.calculated(itemId [, instance])
 *   ev.problems  -> [{item, instance, path, code, message}]  // the server's 422 errors, same paths and texts
 *   ev.score     -> {total, max, percent, band, marks, sections, deductions, flags, veto, explanation}
 */
import { compileDefinition as compile, DEDUCTION } from './definition.js';
import { explainLine, explainRepeat, explainReport } from './explain.js';
import { checkAnswers } from './problems.js';
import { roundPercent, roundPoints } from './pyformat.js';
import { scoreAnswers } from './scoring.js';

export { applyRule } from './jsonlogic.js';

/**
 * The definition ready to render and evaluate: {id, version, kind, title, description,
 * scoring, sections: [{id, title, weight, repeat, show_if, items}], items: [{id, type, label,
 * help, required, allow_na, options, multiple, unit, thresholds, limits, min_count, max_count,
 * evidence, veto, deduction, criteria, ..., section, max_points}], itemsById}.
 */
export function compileDefinition(definitionDoc) {
  return compile(definitionDoc);
}

const sectionPercent = (s) => (s.max > 0 ? roundPercent((s.points / s.max) * 100) : null);
const instanceIndex = (instance) => (instance === null ? null : instance[0]);

function publicLine(l) {
  return {
    item: l.planned.id, status: l.status, points: l.points, max: l.max, counted: l.counted,
    instance: instanceIndex(l.instance), explanation: explainLine(l),
  };
}

/** Why a counted line lost points: unanswered, its defects, its failure, or a lower option. */
function deductionReason(l) {
  if (l.status === 'unanswered') return 'unanswered';
  if (l.planned.mode === DEDUCTION) return 'defects';
  return l.planned.failure(l.detail) ?? 'partial';
}

function publicScore(report) {
  const sections = report.sections.map((s) => ({
    id: s.id, title: s.title, status: s.status, score: s.points, max: s.max, percent: sectionPercent(s),
    weight: s.weight, effective_weight: s.effective_weight, instance: instanceIndex(s.instance),
    repeat: s.repeat,
    explanation: s.repeat ? { zh: explainRepeat(s, true), en: explainRepeat(s, false) } : null,
    lines: s.lines.map(publicLine),
  }));
  const deductions = report.sections.flatMap((s) => s.lines)
    .filter((l) => l.counted && l.points < l.max)
    .map((l) => ({
      item: l.planned.id, instance: instanceIndex(l.instance), points: roundPoints(l.max - l.points),
      reason: deductionReason(l), explanation: explainLine(l),
    }));
  return {
    total: report.total, max: report.max, percent: report.percent,
    band: report.band ? report.band.id : null, band_label: report.band ? report.band.label : null,
    marks: report.marks.map((m) => m.id), weighted: report.weighted, rescaled: report.rescaled,
    veto: report.veto,
    flags: report.flags.map((f) => ({ item: f.item, reason: f.reason, instance: instanceIndex(f.instance) })),
    sections, deductions,
    explanation: { zh: explainReport(report, sectionPercent, true), en: explainReport(report, sectionPercent, false) },
  };
}

/** Evaluate answers: what is shown and required, what would stop a submit, the score. */
export function evaluate(form, answers) {
  const checked = checkAnswers(form, answers);
  const scorable = answers !== null && typeof answers === 'object' && !Array.isArray(answers);
  let score = null;
  try {
    if (scorable) score = publicScore(scoreAnswers(form, answers));
  } catch (err) {
    // answers of the wrong shape, which the server refuses unscored (see problems)
    if (!(err instanceof TypeError)) throw err;
  }
  const sectionOf = (id) => form.plan.sections[form.plan.byId.get(id)?.sectionIndex];
  const keyOf = (id, instance) => {
    if (instance === undefined || instance === null) return id;
    return `${sectionOf(id).section.id}[${instance}].${id}`;
  };
  const lookup = (map, id, instance) => {
    const key = keyOf(id, instance);
    if (map.has(key)) return map.get(key);
    const ps = sectionOf(id);
    if (ps && ps.repeat && (instance === undefined || instance === null)) {
      // a repeated item without an instance: shown if any instance shows it
      const prefix = `${ps.section.id}[`;
      return [...map].some(([k, v]) => v && k.startsWith(prefix) && k.endsWith(`].${id}`));
    }
    return false;
  };
  return {
    answers,
    problems: checked.problems,
    score,
    relevant: (id, instance) => lookup(checked.visible, id, instance),
    required: (id, instance) => lookup(checked.required, id, instance),
    calculated: (id, instance) => checked.calculated.get(keyOf(id, instance)) ?? null,
  };
}
