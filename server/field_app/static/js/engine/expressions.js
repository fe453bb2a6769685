// Expressions in definitions (checklists/expressions.py): JSON Logic rules over earlier
// answers, judged only on complete data (a blank input makes a blank result).
import { applyRule } from './jsonlogic.js';

const MAX_DEPTH = 32;

function walkVars(node, found, depth) {
  if (depth > MAX_DEPTH) return;
  if (Array.isArray(node)) {
    for (const sub of node) walkVars(sub, found, depth + 1);
  } else if (node !== null && typeof node === 'object' && Object.keys(node).length === 1) {
    const [[op, args]] = Object.entries(node);
    if (op === 'var') {
      const path = Array.isArray(args) && args.length ? args[0] : args;
      if (typeof path === 'string' && path) found.add(path);
      return;
    }
    walkVars(args, found, depth + 1);
  }
}

/** Every item id a rule reads through `var`, sorted like Expression.reads. */
export function variables(rule) {
  const found = new Set();
  walkVars(rule, found, 0);
  return [...found].sort(); // Python sorts str by code point; ids are ASCII
}

/** The rule's value given {item id: value}; ids are nested by their dots, as JSON Logic reads them. */
export function evaluateExpression(expression, values) {
  const data = {};
  for (const id of expression.reads) {
    const parts = id.split('.');
    let node = data;
    for (const part of parts.slice(0, -1)) {
      if (node[part] === null || typeof node[part] !== 'object') node[part] = {};
      node = node[part];
    }
    node[parts[parts.length - 1]] = values[id] ?? null;
  }
  return applyRule(expression.rule, data);
}

/** logic._answered_value: the value of an answer, null when unanswered or N/A. */
export function answeredValue(answer) {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer) || answer.na === true) return null;
  return answer.value ?? null;
}

/** logic.answered_values: hidden, unanswered and N/A items read as null. */
export function answeredValues(ids, answers, shown) {
  const out = {};
  for (const id of ids) out[id] = shown.get(id) ? answeredValue(answers[id]) : null;
  return out;
}

/** The value of a calculate item: blank while any input is blank (plan.PlannedItem.calculate). */
export function calculate(expression, answers, shown) {
  const values = answeredValues(expression.reads, answers, shown);
  if (Object.values(values).some((v) => v === null)) return null;
  return evaluateExpression(expression, values);
}
