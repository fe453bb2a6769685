// compileDefinition: a definition document, as pulled, made ready to evaluate.
//
// Mirrors checklists/build.py (type-specific defaults, filled here only) and
// checklists/plan.py (per-item scoring mode, maximum, option scores, compiled
// conditions), so evaluation is look-ups and arithmetic like on the server.
import { compileCondition } from './conditions.js';
import { variables } from './expressions.js';

export const NOT_SCORED = 0;
export const CHECK = 1;
export const CHOICE = 2;
export const MULTI_CHOICE = 3;
export const READING = 4;
export const DEDUCTION = 5;

const FAILABLE = new Set(['check', 'choice', 'reading', 'checkpoint']);
const DEFAULT_TEXT_LENGTH = 2000;
const DEFAULT_MAX_PHOTOS = 20;

/** build._weight: checks and choices score 1 x response by default; readings only when weighted. */
function defaultWeight(item) {
  if (item.deduction) return null;
  if ('weight' in item && item.weight !== null && item.weight !== undefined) return Number(item.weight);
  return item.type === 'check' || item.type === 'choice' ? 1 : null;
}

function normaliseItem(raw) {
  const item = { ...raw };
  item.required = raw.required ?? false;
  item.allow_na = raw.allow_na ?? false;
  item.weight = defaultWeight(raw);
  if (raw.type === 'choice') {
    item.multiple = raw.multiple ?? false;
    item.options = (raw.options || []).map((o) => ({ ...o, score: o.score ?? 0, flag: o.flag ?? false }));
  }
  if (raw.type === 'photo') {
    item.min_count = raw.min_count ?? 0;
    item.max_count = raw.max_count ?? DEFAULT_MAX_PHOTOS;
  }
  if (raw.type === 'text') item.max_length = raw.max_length ?? DEFAULT_TEXT_LENGTH;
  if (raw.evidence) {
    item.evidence = { photos: 0, note: false, location: false, scope: 'answer', ...raw.evidence };
  }
  return item;
}

function sortedBands(bands) {
  return [...(bands || [])].sort((a, b) => a.min - b.min); // stable, like Python's sorted
}

/** The precomputed facts of one item (checklists.plan.PlannedItem). */
class PlannedItem {
  constructor(item, sectionIndex, itemsById) {
    this.id = item.id;
    this.item = item;
    this.sectionIndex = sectionIndex;
    this.cond = item.show_if ? compileCondition(item.show_if, itemsById) : null;
    this.requiredCond = item.required_if ? compileCondition(item.required_if, itemsById) : null;
    this.weight = item.weight || 0;
    this.optionScores = new Map((item.options || []).map((o) => [o.id, o.score]));
    this.flaggedOptions = new Set((item.options || []).filter((o) => o.flag).map((o) => o.id));
    this.low = item.thresholds?.min ?? null;
    this.high = item.thresholds?.max ?? null;
    const d = item.deduction;
    this.fixedDeduction = d && d.min === d.max ? d.min : null;
    this.failable = FAILABLE.has(item.type);
    this.veto = item.veto || null;
    this.calculation = 'calculation' in item ? { rule: item.calculation, reads: variables(item.calculation) } : null;
    this.constraint = item.constraint
      ? { rule: item.constraint.rule, reads: variables(item.constraint.rule), message: item.constraint.message }
      : null;
    [this.mode, this.max] = modeAndMax(item, this.optionScores);
  }

  /** Why a value counts as failed / flagged (plan.PlannedItem.failure), or null. */
  failure(value) {
    const type = this.item.type;
    if (type === 'check') return value === 'fail' ? 'fail' : null;
    if (type === 'choice') {
      const picked = Array.isArray(value) ? value : [value];
      return picked.some((p) => typeof p === 'string' && this.flaggedOptions.has(p)) ? 'flagged_option' : null;
    }
    if (type === 'reading') {
      // Python's isinstance(value, (int, float)) takes True / False for 1 / 0
      const x = typeof value === 'boolean' ? Number(value) : value;
      if (typeof x === 'number'
          && ((this.low !== null && x < this.low) || (this.high !== null && x > this.high))) {
        return 'out_of_range';
      }
      return null;
    }
    if (type === 'checkpoint') {
      const expected = this.item.tag ?? null;
      return expected !== null && value !== expected ? 'wrong_tag' : null;
    }
    return null;
  }
}

function modeAndMax(item, optionScores) {
  if (item.deduction) return [DEDUCTION, Number(item.points)];
  const weight = item.weight || 0;
  if (!weight) return [NOT_SCORED, 0];
  if (item.type === 'check') return [CHECK, weight];
  if (item.type === 'choice') {
    const scores = [...optionScores.values()];
    const best = item.multiple ? scores.reduce((a, b) => a + b, 0) : Math.max(...scores);
    return [item.multiple ? MULTI_CHOICE : CHOICE, best * weight];
  }
  if (item.type === 'reading') return [READING, weight];
  return [NOT_SCORED, 0];
}

/** A definition ready to render and evaluate; see index.js for the public shape. */
export function compileDefinition(doc) {
  const def = doc && doc.definition && doc.definition.sections ? doc.definition : doc;
  if (!def || !Array.isArray(def.sections)) throw new TypeError('not a definition document');
  const sections = def.sections.map((s) => ({ ...s, items: (s.items || []).map(normaliseItem) }));
  const itemsById = new Map(sections.flatMap((s) => s.items.map((i) => [i.id, i])));
  const scoring = {
    unanswered: 'zero', scale: 100, ...(def.scoring || {}),
    bands: sortedBands(def.scoring?.bands), marks: sortedBands(def.scoring?.marks),
  };
  const planned = sections.map((s, index) => s.items.map((i) => new PlannedItem(i, index, itemsById)));
  const plan = {
    sections: sections.map((s, index) => ({
      index, section: s, repeat: s.repeat || null,
      cond: s.show_if ? compileCondition(s.show_if, itemsById) : null,
      requiredCond: s.required_if ? compileCondition(s.required_if, itemsById) : null,
    })),
    sectionItems: planned,
    byId: new Map(planned.flat().map((p) => [p.id, p])),
    repeated: new Set(sections.filter((s) => s.repeat).map((s) => s.id)),
    weighted: sections.some((s) => s.weight !== undefined && s.weight !== null),
  };
  // what a renderer reads: the items as written (defaults filled), their section, and the
  // most points each can bring (0 for an unscored item)
  const items = sections.flatMap((s) => s.items.map((i) => ({
    ...i, section: s.id, max_points: plan.byId.get(i.id).max,
  })));
  return {
    id: def.id, version: def.version, kind: def.kind, title: def.title,
    description: def.description ?? null,
    scoring,
    sections,
    items,
    itemsById: new Map(items.map((i) => [i.id, i])),
    plan,
  };
}
