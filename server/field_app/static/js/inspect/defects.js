/**
 * The defects of a failed check: what was wrong, each with the criterion it
 * misses, the points taken (扣分制: fixed, or picked within the rule's range),
 * a note, a location and photos when the evidence rule asks for them
 * (checklists/answers.py `defects`).
 */
import { h } from './dom.js';

function defectFields(view, item, path, index, defect) {
  const edit = (fn, rerender = false) => view.update(path, (a) => {
    a.defects = [...(a.defects || [])];
    a.defects[index] = fn({ ...(a.defects[index] || {}) });
    return a;
  }, { rerender });
  const parts = [];
  if (item.criteria?.length) {
    const select = h('select', { className: 'fi-input fi-criterion', 'aria-label': view.t('forms.defect.criterion') },
      h('option', { value: '' }, view.t('forms.defect.pick_criterion')),
      ...item.criteria.map((c) => h('option', { value: c.id }, view.text(c.label))));
    select.value = defect.criterion || '';
    select.addEventListener('change', () => edit((d) => {
      if (select.value) d.criterion = select.value;
      else delete d.criterion;
      return d;
    }));
    parts.push(select);
  }
  const rule = item.deduction;
  if (rule && rule.min === rule.max) {
    parts.push(h('span', { className: 'fi-points' }, view.t('forms.defect.fixed', { points: rule.min })));
  } else if (rule) {
    const points = h('input', { type: 'number', inputmode: 'decimal', className: 'fi-input fi-deduction', min: rule.min, max: rule.max,
      step: 'any', value: defect.deduction ?? '', placeholder: `${rule.min}–${rule.max}`,
      'aria-label': view.t('forms.defect.points', { min: rule.min, max: rule.max }) });
    points.addEventListener('input', () => edit((d) => {
      const n = points.value.trim() === '' ? NaN : Number(points.value);
      if (Number.isFinite(n)) d.deduction = n;
      else delete d.deduction;
      return d;
    }));
    parts.push(h('label', { className: 'fi-points' }, view.t('forms.defect.minus'), points));
  }
  const note = h('input', { type: 'text', className: 'fi-input', value: defect.note || '', maxlength: 2000,
    placeholder: view.t(item.evidence?.note ? 'forms.note.needed' : 'forms.note.optional') });
  note.addEventListener('input', () => edit((d) => ({ ...d, note: note.value })));
  parts.push(note);
  if (item.evidence?.location) {
    const where = h('input', { type: 'text', className: 'fi-input needed', value: defect.location || '', maxlength: 200,
      placeholder: view.t('forms.defect.location') });
    where.addEventListener('input', () => edit((d) => ({ ...d, location: where.value })));
    parts.push(where);
  }
  const needPhotos = item.evidence?.scope === 'defect' ? item.evidence.photos : 0;
  parts.push(view.photos(path,
    (a) => (a.defects?.[index]?.photos) || [],
    (a, list) => {
      a.defects = [...(a.defects || [])];
      a.defects[index] = { ...(a.defects[index] || {}), photos: list };
      return a;
    },
    (defect.photos || []).length < needPhotos));
  return parts;
}

export function defectsEditor(view, item, path, answer) {
  const defects = answer.defects || [];
  const list = h('ol', { className: 'fi-defects' });
  defects.forEach((defect, index) => {
    const remove = h('button', { type: 'button', className: 'fi-defect-remove', 'aria-label': view.t('forms.defect.remove'),
      onclick: () => view.update(path, (a) => ({ ...a, defects: a.defects.filter((_, i) => i !== index) })) }, '×');
    list.append(h('li', { className: 'fi-defect', dataset: { index: String(index) } },
      ...defectFields(view, item, path, index, defect || {}), remove));
  });
  const add = h('button', { type: 'button', className: 'fi-defect-add',
    onclick: () => view.update(path, (a) => ({ ...a, defects: [...(a.defects || []), {}] })) }, view.t('forms.defect.add'));
  return h('div', { className: 'fi-defects-box' }, h('h4', {}, view.t('forms.defect.title')), list, add);
}
