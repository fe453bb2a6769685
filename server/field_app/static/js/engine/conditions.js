// Show-if / required-if conditions (checklists/logic.py): a leaf tests one earlier item's
// answer and is false when that item is hidden, unanswered or N/A; all / any / not combine
// leaves; expr is a JSON Logic rule judged only once every item it reads has a value.
import { answeredValue, answeredValues, evaluateExpression, variables } from './expressions.js';
import { truthy } from './jsonlogic.js';
import { formatG, pyRepr } from './pyformat.js';

const isNumber = (v) => typeof v === 'number';

/** Python's `value in {wanted}` for the hashable values an answer holds (1 == 1.0 == True). */
function pyMember(value, wanted) {
  if (value === null || typeof value === 'boolean' || typeof value === 'object') return false;
  return wanted.some((w) => w === value || (isNumber(value) && typeof w === 'boolean' && value === Number(w)));
}

function compilePredicate(cond, source) {
  const multi = source.type === 'choice' && Boolean(source.multiple);
  if (cond.range) {
    const low = cond.range.min ?? null;
    const high = cond.range.max ?? null;
    return (answer) => {
      const v = answeredValue(answer);
      return isNumber(v) && (low === null || v >= low) && (high === null || v <= high);
    };
  }
  const wanted = 'in' in cond ? cond.in : [cond.equals];
  if (multi) {
    return (answer) => {
      const v = answeredValue(answer);
      return Array.isArray(v) && v.some((x) => typeof x === 'string' && wanted.includes(x));
    };
  }
  return (answer) => pyMember(answeredValue(answer), wanted);
}

/** test(answers, shown) for any condition; `shown` is a Map id -> visible so far. */
export function compileCondition(cond, itemsById) {
  if ('all' in cond) {
    const parts = cond.all.map((c) => compileCondition(c, itemsById));
    return (answers, shown) => parts.every((p) => p(answers, shown));
  }
  if ('any' in cond) {
    const parts = cond.any.map((c) => compileCondition(c, itemsById));
    return (answers, shown) => parts.some((p) => p(answers, shown));
  }
  if ('not' in cond) {
    const inner = compileCondition(cond.not, itemsById);
    return (answers, shown) => !inner(answers, shown);
  }
  if ('expr' in cond) {
    const expression = { rule: cond.expr, reads: variables(cond.expr) };
    return (answers, shown) => {
      const values = answeredValues(expression.reads, answers, shown);
      return !Object.values(values).some((v) => v === null)
        && truthy(evaluateExpression(expression, values));
    };
  }
  const predicate = compilePredicate(cond, itemsById.get(cond.item));
  return (answers, shown) => Boolean(shown.get(cond.item)) && predicate(answers[cond.item]);
}

const rangeEnd = (x) => (x === null || x === undefined ? '…' : formatG(x));

/** logic.condition_text: a short human form of a condition, for messages. */
export function conditionText(cond) {
  if ('all' in cond || 'any' in cond) {
    const parts = cond.all || cond.any;
    return `(${parts.map(conditionText).join('all' in cond ? ' and ' : ' or ')})`;
  }
  if ('not' in cond) return `not ${conditionText(cond.not)}`;
  if ('expr' in cond) return `the rule ${pyRepr(cond.expr)} holds`;
  if (cond.range) return `${cond.item} in [${rangeEnd(cond.range.min)}, ${rangeEnd(cond.range.max)}]`;
  if ('in' in cond) return `${cond.item} in ${pyRepr(cond.in)}`;
  return `${cond.item} == ${pyRepr(cond.equals)}`;
}
