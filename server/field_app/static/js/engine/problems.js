// What would stop a submit: checklists/answers.py answer_errors, ported message for message.
//
// Each problem is {item, instance, path, code, message}: `path` is the server's error key
// (answers.<item>.<field>, answers.<section>[n].answers.<item>.<field> in a repeat) and
// `message` its text, so the app shows what the server would answer with a 422. The same
// pass records which items are shown and required, per repeat instance.
import { conditionText } from './conditions.js';
import { DEDUCTION } from './definition.js';
import { answeredValues, calculate, evaluateExpression } from './expressions.js';
import { truthy } from './jsonlogic.js';
import { formatG, pyRepr as pyStr } from './pyformat.js';
import { instanceScope } from './repeats.js';
import { isNumber, isSha256, pyLen, valueError } from './answer_values.js';

const ANSWER_FIELDS = new Set(['value', 'na', 'defects', 'photos', 'note']);
const DEFECT_FIELDS = new Set(['criterion', 'deduction', 'note', 'location', 'photos']);
const MAX_PHOTOS = 50;
const MAX_DEFECTS = 200;
const MAX_NOTE = 2000;
const MAX_LOCATION = 200;
const MAX_LABEL = 100;

const isMapping = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const nonBlank = (t) => typeof t === 'string' && t.trim() !== '';

/** The code of a message: what kind of problem it is, for a renderer to pick an icon or a hint. */
function codeOf(message) {
  if (message.startsWith('required')) return 'required';
  if (message.startsWith('evidence required')) return 'evidence';
  if (message.startsWith('answered, but')) return 'not_shown';
  if (message === 'unknown item' || message === 'not an item of this section' || message === 'unknown field') return 'unknown';
  return 'invalid';
}

class Problems {
  constructor() {
    this.byPath = new Map(); // insertion order = the server's dict order
  }

  add(path, item, message, instance = null) {
    if (!this.byPath.has(path)) this.byPath.set(path, { item, instance, messages: [] });
    this.byPath.get(path).messages.push(message);
  }

  list() {
    const out = [];
    for (const [path, { item, instance, messages }] of this.byPath) {
      for (const message of messages) out.push({ item, instance, path, code: codeOf(message), message });
    }
    return out;
  }
}

/** Validate answers against a compiled form; returns {problems, visible, required, calculated}. */
export function checkAnswers(form, answersIn) {
  const problems = new Problems();
  const state = { visible: new Map(), required: new Map(), calculated: new Map() };
  if (!isMapping(answersIn)) {
    problems.add('answers', null, 'must be an object mapping item ids to answers');
    return { problems: problems.list(), ...state };
  }
  const plan = form.plan;
  for (const key of Object.keys(answersIn)) {
    if (plan.repeated.has(key)) continue;
    const planned = plan.byId.get(key);
    if (!planned) {
      problems.add(`answers.${key}`, key, 'unknown item');
    } else if (plan.sections[planned.sectionIndex].repeat) {
      const sectionId = plan.sections[planned.sectionIndex].section.id;
      problems.add(`answers.${key}`, key, `belongs to the repeated section ${pyStr(sectionId)}: answer it in answers.${sectionId}[n].answers`);
    }
  }
  const answers = { ...answersIn };
  const shown = new Map();
  plan.sections.forEach((ps, index) => {
    const sectionShown = ps.cond === null || ps.cond(answers, shown);
    state.visible.set(ps.section.id, sectionShown);
    const sectionRequired = sectionShown && ps.requiredCond !== null && ps.requiredCond(answers, shown);
    const check = new SectionCheck(ps, plan.sectionItems[index], sectionRequired, problems, state);
    if (ps.repeat) check.instances(answers, shown, sectionShown);
    else check.items(answers, shown, sectionShown, 'answers.', null);
  });
  return { problems: problems.list(), ...state };
}

class SectionCheck {
  constructor(ps, sectionItems, sectionRequired, problems, state) {
    Object.assign(this, { ps, sectionItems, sectionRequired, problems, state });
  }

  items(answers, shown, sectionShown, prefix, instance) {
    for (const planned of this.sectionItems) {
      const visible = sectionShown && (planned.cond === null || planned.cond(answers, shown));
      shown.set(planned.id, visible);
      const key = instance === null ? planned.id : `${this.ps.section.id}[${instance}].${planned.id}`;
      this.state.visible.set(key, visible);
      const answer = answers[planned.id];
      if (planned.item.type === 'calculate') {
        if (answer !== undefined && answer !== null) {
          this.problems.add(prefix + planned.id, planned.id, 'a calculated item is computed, not answered', instance);
        }
        if (visible) {
          answers[planned.id] = { value: calculate(planned.calculation, answers, shown) };
          this.state.calculated.set(key, answers[planned.id].value);
        }
        this.state.required.set(key, false);
        continue;
      }
      const required = planned.item.required || this.sectionRequired
        || (visible && planned.requiredCond !== null && planned.requiredCond(answers, shown));
      this.state.required.set(key, visible && required);
      const check = new ItemCheck(planned, answer, this.problems, prefix + planned.id, required, instance);
      check.run(visible, sectionShown, this.ps);
      if (visible && planned.constraint && check.valueOk) check.constraint(answers, shown);
    }
  }

  instances(answers, shown, sectionShown) {
    const section = this.ps.section;
    const rule = this.ps.repeat;
    const prefix = `answers.${section.id}`;
    let raw = answers[section.id];
    const add = (path, message, instance = null) => this.problems.add(path, section.id, message, instance);
    if (!sectionShown) {
      if (truthy(raw ?? null)) {
        add(prefix, `answered, but the section is not shown: it shows only when ${conditionText(section.show_if)}`);
      }
      return;
    }
    raw = raw === undefined || raw === null ? [] : raw;
    if (!Array.isArray(raw)) {
      add(prefix, 'must be a list of instances {label, answers}');
      return;
    }
    if (!(rule.min <= raw.length && raw.length <= rule.max)) {
      add(prefix, `needs ${rule.min}-${rule.max} instances (${rule.label.en}), got ${raw.length}`);
    }
    const labels = new Set();
    raw.forEach((instance, index) => {
      const here = `${prefix}[${index}]`;
      if (!isMapping(instance) || Object.keys(instance).some((k) => k !== 'label' && k !== 'answers')) {
        add(here, 'must be an object {label, answers}', index);
        return;
      }
      const label = instance.label;
      if (typeof label !== 'string' || !label.trim() || pyLen(label) > MAX_LABEL) {
        add(`${here}.label`, `required: the ${rule.label.en} (1-${MAX_LABEL} characters)`, index);
      } else if (labels.has(label)) {
        add(`${here}.label`, `${pyStr(label)} is already used by another instance`, index);
      } else {
        labels.add(label);
      }
      const own = 'answers' in instance ? instance.answers : {};
      if (!isMapping(own)) {
        add(`${here}.answers`, 'must be an object mapping item ids to answers', index);
        return;
      }
      const known = new Set(this.sectionItems.map((p) => p.id));
      for (const key of Object.keys(own)) if (!known.has(key)) add(`${here}.answers.${key}`, 'not an item of this section', index);
      this.items(instanceScope(answers, instance), new Map(shown), true, `${here}.answers.`, index);
    });
  }
}

class ItemCheck {
  constructor(planned, answer, problems, prefix, required, instance) {
    Object.assign(this, { planned, item: planned.item, answer, problems, prefix, required, instance, valueOk: false });
  }

  add(field, message) {
    this.problems.add(field ? `${this.prefix}.${field}` : this.prefix, this.planned.id, message, this.instance);
  }

  run(visible, sectionShown, ps) {
    const answer = this.answer;
    const absent = answer === undefined || answer === null || (isMapping(answer) && !Object.keys(answer).length);
    if (!visible) {
      if (!absent) this.add(null, `answered, but the item is not shown: ${this.whyHidden(sectionShown, ps)}`);
      return;
    }
    if (absent) {
      if (this.required) this.add(this.item.type === 'photo' ? 'photos' : 'value', 'required');
      return;
    }
    if (!isMapping(answer)) {
      this.add(null, 'must be an object {value, na, defects, photos, note}');
      return;
    }
    for (const key of Object.keys(answer)) if (!ANSWER_FIELDS.has(key)) this.add(key, 'unknown field');
    const photosOk = this.photos(answer.photos, 'photos');
    this.note(answer.note, 'note', MAX_NOTE);
    if (this.na(answer)) return;
    const value = answer.value;
    if ('value' in answer) {
      const message = valueError(this.item, value);
      if (message) {
        this.add('value', message);
        return;
      }
      this.valueOk = true;
    } else if (this.item.type !== 'photo') {
      this.add('value', this.item.allow_na ? 'required (or answer na)' : 'required');
      return;
    }
    if (this.item.type === 'photo') this.photoCount(answer.photos || [], photosOk);
    const failure = this.planned.failable ? this.planned.failure(value ?? null) : null;
    this.defects(answer.defects, value);
    if (failure !== null && this.item.evidence) this.evidence(answer);
  }

  whyHidden(sectionShown, ps) {
    if (!sectionShown) return `its section shows only when ${conditionText(ps.section.show_if)}`;
    return `it shows only when ${conditionText(this.item.show_if)}`;
  }

  constraint(answers, shown) {
    const rule = this.planned.constraint;
    const values = answeredValues(rule.reads, answers, shown);
    if (Object.values(values).some((v) => v === null)) return;
    if (!truthy(evaluateExpression(rule, values))) this.add('value', `${rule.message.en} (${rule.message.zh})`);
  }

  na(answer) {
    if (!('na' in answer)) return false;
    const na = answer.na;
    if (typeof na !== 'boolean') {
      this.add('na', 'must be true or false');
      return true;
    }
    if (!na) return false;
    if (!this.item.allow_na) this.add('na', 'this item cannot be answered N/A');
    for (const key of ['value', 'defects']) if (key in answer) this.add(key, 'not allowed together with na');
    return true;
  }

  photos(photos, field) {
    if (photos === undefined || photos === null) return true;
    if (!Array.isArray(photos) || photos.length > MAX_PHOTOS) {
      this.add(field, `must be a list of at most ${MAX_PHOTOS} sha256 references`);
      return false;
    }
    const bad = photos.findIndex((p) => !isSha256(p));
    if (bad >= 0) {
      this.add(`${field}[${bad}]`, 'must be a sha256: 64 lowercase hex digits');
      return false;
    }
    if (new Set(photos).size !== photos.length) {
      this.add(field, 'the same photo is listed twice');
      return false;
    }
    return true;
  }

  note(note, field, limit) {
    if (note !== undefined && note !== null && (typeof note !== 'string' || pyLen(note) > limit)) {
      this.add(field, `must be a string of at most ${limit} characters`);
    }
  }

  photoCount(photos, photosOk) {
    if (!photosOk) return;
    const low = Math.max(this.item.min_count, this.required ? 1 : 0);
    if (!(low <= photos.length && photos.length <= this.item.max_count)) {
      this.add('photos', `needs ${low}-${this.item.max_count} photos, got ${photos.length}`);
    }
  }

  defects(defects, value) {
    const isDeduction = this.planned.mode === DEDUCTION;
    if (defects === undefined || defects === null) {
      if (isDeduction && value === 'fail') this.add('defects', 'a failed deduction item needs at least one defect');
      return;
    }
    if (this.item.type !== 'check' || value !== 'fail') {
      this.add('defects', "defects are only listed on a check item answered 'fail'");
      return;
    }
    if (!Array.isArray(defects) || defects.length > MAX_DEFECTS) {
      this.add('defects', `must be a list of at most ${MAX_DEFECTS} defects`);
      return;
    }
    if (!defects.length && isDeduction) this.add('defects', 'a failed deduction item needs at least one defect');
    const seen = new Set();
    defects.forEach((defect, index) => this.defect(index, defect, isDeduction, seen));
  }

  defect(index, defect, isDeduction, seen) {
    const field = `defects[${index}]`;
    if (!isMapping(defect)) {
      this.add(field, 'must be an object {criterion, deduction, note, location, photos}');
      return;
    }
    for (const key of Object.keys(defect)) if (!DEFECT_FIELDS.has(key)) this.add(`${field}.${key}`, 'unknown field');
    this.photos(defect.photos, `${field}.photos`);
    this.note(defect.note, `${field}.note`, MAX_NOTE);
    this.note(defect.location, `${field}.location`, MAX_LOCATION);
    this.criterion(field, defect.criterion, seen);
    if (isDeduction) this.deductionPoints(field, defect);
    else if ('deduction' in defect) this.add(`${field}.deduction`, 'this item is not scored by deduction');
  }

  criterion(field, criterion, seen) {
    const ids = (this.item.criteria || []).map((c) => c.id);
    if (!ids.length) {
      if (criterion !== undefined && criterion !== null) this.add(`${field}.criterion`, 'this item lists no criteria');
      return;
    }
    if (criterion === undefined || criterion === null) {
      this.add(`${field}.criterion`, `required: name the missing criterion (${ids.join(', ')})`);
    } else if (typeof criterion !== 'string' || !ids.includes(criterion)) {
      this.add(`${field}.criterion`, `unknown criterion (one of ${ids.join(', ')})`);
    } else if (seen.has(criterion)) {
      this.add(`${field}.criterion`, `criterion ${pyStr(criterion)} is already counted`);
    } else {
      seen.add(criterion);
    }
  }

  deductionPoints(field, defect) {
    const rule = this.item.deduction;
    const fixed = rule.min === rule.max;
    if (!('deduction' in defect)) {
      if (!fixed) this.add(`${field}.deduction`, `required: pick ${formatG(rule.min)}-${formatG(rule.max)}`);
      return;
    }
    const points = defect.deduction;
    if (!isNumber(points)) {
      this.add(`${field}.deduction`, 'must be a number');
    } else if (!(rule.min <= points && points <= rule.max)) {
      const allowed = fixed ? formatG(rule.min) : `${formatG(rule.min)}-${formatG(rule.max)}`;
      this.add(`${field}.deduction`, `${formatG(points)} is outside the allowed ${allowed}`);
    }
  }

  evidence(answer) {
    const rule = this.item.evidence;
    if (rule.scope === 'answer') {
      this.requireEvidence(answer, '', rule);
      return;
    }
    const defects = answer.defects;
    if (!Array.isArray(defects)) {
      this.add('defects', 'a failed answer must list its defects (with evidence)');
      return;
    }
    if (!defects.length && this.planned.mode !== DEDUCTION) this.add('defects', 'a failed answer must list at least one defect');
    defects.forEach((d, index) => { if (isMapping(d)) this.requireEvidence(d, `defects[${index}].`, rule); });
  }

  requireEvidence(holder, prefix, rule) {
    const count = Array.isArray(holder.photos) ? holder.photos.length : 0;
    if (count < rule.photos) {
      this.add(`${prefix}photos`, `evidence required: at least ${rule.photos} photo(s) for a failed answer, got ${count}`);
    }
    if (rule.note && !nonBlank(holder.note)) this.add(`${prefix}note`, 'evidence required: a note explaining the failure');
    if (rule.location && !nonBlank(holder.location)) this.add(`${prefix}location`, 'evidence required: where the defect is');
  }
}
