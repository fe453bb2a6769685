// The short checklist answered at a checkpoint (its `checklist_id`: a pulled definition of
// kind `patrol_checkpoint`), rendered as simple inputs; answers in the shape results use
// ({item: {value, note?}}).
//
// Which items show and what is still missing come from the ENGINE slice's
// `compileDefinition`/`evaluate` (one implementation of the definition logic in the app);
// where that module is absent every item shows and nothing is checked here — the answers
// are kept either way (the server stores a round's answers as evidence, it does not refuse
// them). Photo items are the checkpoint's "photo of a problem"; signatures, calculated
// items and repeated sections are not asked on a patrol.

import { h, hhmm, label } from './dom.js';

const ASKED = new Set(['check', 'choice', 'reading', 'text', 'date', 'time', 'checkpoint']);
let engineLoading = null;

/** The ENGINE module, or null when it is not there (a missing module breaks nothing). */
export function loadEngine() {
  engineLoading = engineLoading || import('../engine/index.js').catch(() => null);
  return engineLoading;
}

/** The newest published pulled version of definition `id` (records `{definition, status}`). */
export function newestDefinition(rows, id) {
  const found = rows.map((r) => r.doc)
    .filter((d) => d && d.definition && d.definition.id === id &&
      (d.status || 'published') === 'published')
    .sort((a, b) => a.definition.version - b.definition.version);
  return found.length ? found[found.length - 1].definition : null;
}

function choiceInputs(item, name, lang, old) {
  const picked = Array.isArray(old) ? old : old === undefined ? [] : [old];
  return item.options.map((option) => h('label', { class: 'patrol-option' },
    h('input', { type: item.multiple ? 'checkbox' : 'radio', name, value: option.id,
      checked: picked.includes(option.id) }),
    h('span', {}, label(option.label, lang))));
}

function inputOf(item, name, { lang, t, tag, old }) {
  const value = old && old.value;
  switch (item.type) {
    case 'check':
      return ['pass', 'fail'].map((v) => h('label', { class: `patrol-option patrol-${v}` },
        h('input', { type: 'radio', name, value: v, checked: value === v }),
        h('span', {}, t(`patrol.check.${v}`))));
    case 'choice':
      return choiceInputs(item, name, lang, value);
    case 'reading':
      return [h('input', { type: 'number', name, step: 'any', inputmode: 'decimal',
        value: value ?? '' })];
    case 'text':
      return [h('textarea', { name, rows: 2, maxlength: item.max_length || 2000 }, value || '')];
    case 'date':
      return [h('input', { type: 'date', name, value: value || '' })];
    case 'time':
      return [h('input', { type: 'time', name, value: value || hhmm(new Date()) })];
    default:    // checkpoint: the tag just scanned
      return [h('output', { name }, tag)];
  }
}

function readValue(item, box, tag) {
  const inputs = [...box.querySelectorAll('input, textarea')];
  if (item.type === 'checkpoint') return tag;
  if (item.type === 'check' || (item.type === 'choice' && !item.multiple)) {
    const on = inputs.find((i) => i.checked);
    return on ? on.value : null;
  }
  if (item.type === 'choice') return inputs.filter((i) => i.checked).map((i) => i.value);
  const raw = inputs[0] ? inputs[0].value : '';
  if (item.type === 'reading') return raw === '' ? null : Number(raw);
  return raw === '' ? null : raw;
}

/**
 * The form of a checkpoint's checklist: `{element, answers(), problems()}`. `answers()` has
 * only answered items that are shown; `problems()` lists the engine's problems by item label.
 */
export function checkpointForm(definition, { answers = {}, tag, lang, t, engine }) {
  let compiled = null;
  try {
    compiled = engine ? engine.compileDefinition(definition) : null;
  } catch (_) {
    compiled = null;          // a definition the engine cannot read: ask every item
  }
  const fields = [];
  const sections = definition.sections.filter((s) => !s.repeat).map((section) => {
    const items = section.items.filter((item) => ASKED.has(item.type)).map((item) => {
      const name = `patrol-item-${item.id}`;
      const old = answers[item.id];
      const note = h('input', { type: 'text', class: 'patrol-note', name: `${name}-note`,
        placeholder: t('patrol.note'), value: (old && old.note) || '' });
      const box = h('fieldset', { class: 'patrol-item', dataset: { item: item.id } },
        h('legend', {}, label(item.label, lang), item.required ? ' *' : ''),
        h('div', { class: 'patrol-inputs' }, inputOf(item, name, { lang, t, tag, old })));
      if (item.type === 'check' || item.type === 'choice') box.append(note);
      fields.push({ item, box, note, section: section.id });
      return box;
    });
    return items.length ? h('section', { class: 'patrol-section', dataset: { section: section.id } },
      h('h4', {}, label(section.title, lang)), items) : null;
  }).filter(Boolean);
  const element = h('div', { class: 'patrol-checklist' }, sections);

  const collect = (onlyShown) => {
    const out = {};
    for (const { item, box, note } of fields) {
      if (onlyShown && box.hidden) continue;
      const value = readValue(item, box, tag);
      if (value === null || (Array.isArray(value) && !value.length)) continue;
      out[item.id] = { value };
      if (box.contains(note) && note.value.trim()) out[item.id].note = note.value.trim();
    }
    return out;
  };
  const evaluation = (answers = collect(false)) => {
    if (!compiled) return null;
    try {
      return engine.evaluate(compiled, answers);
    } catch (_) {
      return null;
    }
  };
  const refresh = () => {
    const ev = evaluation();
    for (const { item, box, section } of fields) {
      box.hidden = Boolean(ev) && !(ev.relevant(section) && ev.relevant(item.id));
      const failed = readValue(item, box, tag) === 'fail';
      box.classList.toggle('patrol-failed', failed);
    }
  };
  element.addEventListener('change', refresh);
  refresh();
  return {
    element,
    answers: () => collect(true),
    /**
     * What is still missing, by item label. `photos` are the checkpoint's problem photos
     * (sha256): on a patrol they belong to the visit, not to one answer, so they count as
     * the evidence of every answer here (only for this check; the answers are sent as given).
     */
    problems: (photos = []) => {
      const shown = collect(true);
      const cited = photos.length ? Object.fromEntries(Object.entries(shown).map(
        ([id, answer]) => [id, { ...answer, photos }])) : shown;
      const ev = evaluation(cited);
      if (!ev) return [];
      const names = new Map(fields.map((f) => [f.item.id, label(f.item.label, lang)]));
      return ev.problems.filter((p) => names.has(p.item)).map((p) => names.get(p.item));
    },
  };
}
