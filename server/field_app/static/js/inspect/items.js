/**
 * The input widgets of each item type (checklists/answer_values.py says what each
 * answer's value is): check pass/fail (and its defects), choice (single or multiple,
 * exclusive options), reading, text, date, time, checkpoint code, photo, signature;
 * a calculate item is computed by the checklist and shown, never answered.
 * Every answerable item can take N/A (when allowed), photos and a note.
 *
 * `itemBody(view, item, path)` builds the body from the current answer; the view
 * (form_view.js) rebuilds it after a discrete change (a button), not while typing.
 */
import { defectsEditor } from './defects.js';
import { h } from './dom.js';

/** A row of big toggle buttons; `choices` [{id, text, flag}], `picked(id)`, `pick(id)`. */
function toggles(choices, picked, pick, className = '') {
  return h('div', { className: `fi-toggles ${className}` }, ...choices.map((c) => h('button', {
    type: 'button', className: `fi-toggle${picked(c.id) ? ' on' : ''}${c.flag ? ' flag' : ''}`,
    'aria-pressed': String(picked(c.id)), dataset: { value: c.id }, onclick: () => pick(c.id),
  }, c.text)));
}

/** Whether this answer fails the item: what evidence rules apply to (checklists/plan.py). */
export function failed(item, answer) {
  const value = answer && !answer.na ? answer.value : undefined;
  if (value === undefined) return false;
  switch (item.type) {
    case 'check': return value === 'fail';
    case 'choice': {
      const flagged = new Set((item.options || []).filter((o) => o.flag).map((o) => o.id));
      return (Array.isArray(value) ? value : [value]).some((v) => flagged.has(v));
    }
    case 'reading': {
      const th = item.thresholds;
      return !!th && typeof value === 'number' &&
        ((th.min != null && value < th.min) || (th.max != null && value > th.max));
    }
    case 'checkpoint': return !!item.tag && value !== item.tag;
    default: return false;
  }
}

const setValue = (value) => (a) => {
  delete a.na;
  if (value === undefined) delete a.value;
  else a.value = value;
  return a;
};

function checkWidget(view, item, path, answer) {
  const value = answer?.na ? 'na' : answer?.value;
  const choices = [{ id: 'pass', text: view.t('forms.check.pass') }, { id: 'fail', text: view.t('forms.check.fail'), flag: true }];
  return toggles(choices, (id) => value === id, (id) => view.update(path, (a) => {
    const next = setValue(value === id ? undefined : id)(a);
    if (next.value !== 'fail') delete next.defects;
    // a failed 扣分 item, or one whose evidence is per defect, lists its defects: start one
    else if ((item.deduction || item.evidence?.scope === 'defect') && !next.defects) next.defects = [{}];
    return next;
  }));
}

function choiceWidget(view, item, path, answer) {
  const raw = answer?.na ? undefined : answer?.value;
  const picked = item.multiple ? (Array.isArray(raw) ? raw : []) : raw;
  const exclusive = new Set(item.options.filter((o) => o.exclusive).map((o) => o.id));
  const choices = item.options.map((o) => ({ id: o.id, text: view.text(o.label), flag: o.flag }));
  if (!item.multiple) {
    return toggles(choices, (id) => picked === id, (id) => view.update(path, setValue(picked === id ? undefined : id)), 'fi-options');
  }
  return toggles(choices, (id) => picked.includes(id), (id) => view.update(path, (a) => {
    let next = picked.includes(id) ? picked.filter((v) => v !== id) : [...picked, id];
    // an exclusive option (无 / none) stands alone: picking it or another one clears the rest
    if (!picked.includes(id)) next = exclusive.has(id) ? [id] : next.filter((v) => !exclusive.has(v));
    return setValue(next.length ? next : undefined)(a);
  }), 'fi-options');
}

function readingWidget(view, item, path, answer) {
  const value = answer?.na ? '' : (answer?.value ?? '');
  const input = h('input', { type: 'number', inputmode: 'decimal', step: 'any', className: 'fi-input', value: String(value),
    min: item.limits?.min ?? undefined, max: item.limits?.max ?? undefined, 'aria-label': view.text(item.label) });
  input.addEventListener('input', () => {
    const text = input.value.trim();
    const number = text === '' ? undefined : Number(text);
    view.update(path, setValue(Number.isFinite(number) ? number : undefined), { rerender: false });
  });
  // rebuilt (evidence fields shown or hidden) only when the reading crosses a threshold
  const wasFailed = failed(item, answer);
  input.addEventListener('change', () => {
    if (failed(item, view.answer(path)) !== wasFailed) view.rerender(path);
  });
  const range = item.thresholds ? [item.thresholds.min ?? '…', item.thresholds.max ?? '…'].join(' – ') : null;
  return h('div', { className: 'fi-reading' }, input, item.unit ? h('span', { className: 'fi-unit' }, item.unit) : null,
    range ? h('span', { className: 'fi-range' }, view.t('forms.reading.expected', { range })) : null);
}

/** A text-like input (text, date, time, checkpoint code) writing its value as typed. */
function textWidget(view, item, path, answer, type) {
  const value = answer?.na ? '' : (answer?.value ?? '');
  const attrs = { className: 'fi-input', value: String(value), 'aria-label': view.text(item.label) };
  const input = type === 'textarea'
    ? h('textarea', { ...attrs, rows: 3, maxlength: item.max_length ?? 2000 })
    : h('input', { ...attrs, type, autocomplete: 'off' });
  input.addEventListener('input', () => view.update(path, setValue(input.value === '' ? undefined : input.value), { rerender: false }));
  return input;
}

function signatureWidget(view, item, path, answer) {
  const value = answer?.value && typeof answer.value === 'object' ? answer.value : {};
  const signer = h('input', { type: 'text', className: 'fi-input', value: value.signer || '',
    placeholder: view.t('forms.signature.signer'), 'aria-label': view.t('forms.signature.signer') });
  signer.addEventListener('input', () => view.update(path, (a) => {
    const v = { ...(a.value || {}), signer: signer.value };
    if (!signer.value) delete v.signer;
    return setValue(Object.keys(v).length ? v : undefined)(a);
  }, { rerender: false }));
  const preview = h('img', { className: 'fi-signature', alt: view.t('forms.signature.alt'), hidden: !value.image });
  if (value.image) view.shelf.url(value.image).then((url) => { if (url) preview.src = url; });
  const sign = h('button', { type: 'button', className: 'fi-sign', onclick: () => view.sign(path) },
    view.t(value.image ? 'forms.signature.again' : 'forms.signature.sign'));
  return h('div', { className: 'fi-signature-box' }, signer, preview, sign);
}

function widget(view, item, path, answer) {
  switch (item.type) {
    case 'check': return checkWidget(view, item, path, answer);
    case 'choice': return choiceWidget(view, item, path, answer);
    case 'reading': return readingWidget(view, item, path, answer);
    case 'text': return textWidget(view, item, path, answer, 'textarea');
    case 'date': return textWidget(view, item, path, answer, 'date');
    case 'time': return textWidget(view, item, path, answer, 'time');
    case 'checkpoint': return textWidget(view, item, path, answer, 'text');
    case 'signature': return signatureWidget(view, item, path, answer);
    case 'calculate': return h('p', { className: 'fi-calculated' }, view.t('forms.calculated'));
    default: return null; // photo: the photo row is its whole answer
  }
}

function naToggle(view, path, answer) {
  return h('button', { type: 'button', className: `fi-na${answer?.na ? ' on' : ''}`, 'aria-pressed': String(!!answer?.na),
    onclick: () => view.update(path, (a) => (a.na ? (delete a.na, a) : { na: true, ...(a.note ? { note: a.note } : {}), ...(a.photos ? { photos: a.photos } : {}) })),
  }, view.t('forms.na'));
}

function noteField(view, path, answer, needed) {
  const note = h('textarea', { className: `fi-note${needed ? ' needed' : ''}`, rows: 2, maxlength: 2000,
    placeholder: view.t(needed ? 'forms.note.needed' : 'forms.note.optional'), 'aria-label': view.t('forms.note.label') });
  note.value = answer?.note || '';
  note.addEventListener('input', () => view.update(path, (a) => ({ ...a, note: note.value }), { rerender: false }));
  return note;
}

/** The body of one item for its current answer. */
export function itemBody(view, item, path) {
  const answer = view.answer(path);
  const parts = [widget(view, item, path, answer)];
  if (item.type === 'calculate') return parts;
  if (item.allow_na) parts.push(naToggle(view, path, answer));
  const isFailed = failed(item, answer);
  const evidence = isFailed ? item.evidence : null;
  if (item.type === 'check' && answer?.value === 'fail' && (item.deduction || evidence?.scope === 'defect' || answer.defects)) {
    parts.push(defectsEditor(view, item, path, answer));
  }
  if (item.type === 'signature') return parts;
  const answerEvidence = evidence && evidence.scope !== 'defect' ? evidence : null;
  const needPhotos = item.type === 'photo' ? (item.min_count || 0) : (answerEvidence?.photos || 0);
  // photos and a note are always possible, but shown unasked only where evidence is due
  const open = item.type === 'photo' || answerEvidence || answer?.photos || answer?.note || view.expanded.has(path);
  if (open) {
    parts.push(view.photos(path, (a) => a.photos || [], (a, list) => ({ ...a, photos: list }),
      (answer?.photos || []).length < needPhotos));
    parts.push(noteField(view, path, answer, !!answerEvidence?.note));
  } else {
    parts.push(h('button', { type: 'button', className: 'fi-more', onclick: () => {
      view.expanded.add(path);
      view.rerender(path);
    } }, view.t('forms.more')));
  }
  if (isFailed) parts.unshift(h('p', { className: 'fi-failed' }, view.t(item.evidence ? 'forms.failed' : 'forms.failed_plain')));
  return parts;
}
