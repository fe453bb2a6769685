/**
 * The live score preview (a bar fixed at the bottom, within thumb reach: total,
 * band, and on tap the deductions with their reasons) and the list of what still
 * stops a submit, each entry jumping to its item.
 */
import { h } from './dom.js';
import { parsePath, instancePath } from './answers.js';

const fmt = (n) => (typeof n === 'number' ? String(Math.round(n * 10000) / 10000) : '–');

function bandText(view, band) {
  if (!band) return '';
  if (typeof band === 'object') return view.text(band.label) || band.id || '';
  const known = (view.definition.scoring?.bands || []).find((b) => b.id === band);
  return known ? view.text(known.label) : String(band);
}

/** The form path of a deduction: the engine names the item and, in a repeat, the instance. */
function deductionPath(view, d) {
  if (d.instance === null || d.instance === undefined) return String(d.item);
  return instancePath(view.sectionOf(d.item)?.id, d.instance, d.item);
}

function itemLabel(view, path) {
  const item = view.itemOf(path);
  const { section, index } = parsePath(path);
  const instance = section === undefined ? '' : ((view.draft.answers[section]?.[index]?.label) || `#${index + 1}`);
  if (item) return view.text(item.label) + (instance ? ` (${instance})` : '');
  // a problem of a repeated section itself (too few rooms) or of an instance (its name)
  const owner = view.definition.sections.find((s) => s.id === (section ?? path));
  return owner ? `${view.text(owner.title)}${instance ? ` ${instance}` : ''}` : path;
}

export function scoreBar(view) {
  const total = h('span', { className: 'sc-total', 'data-testid': 'score-total' });
  const band = h('span', { className: 'sc-band', 'data-testid': 'score-band' });
  const list = h('ol', { className: 'sc-deductions', hidden: true });
  const toggle = h('button', { type: 'button', className: 'sc-summary', 'aria-expanded': 'false', onclick: () => {
    list.hidden = !list.hidden;
    toggle.setAttribute('aria-expanded', String(!list.hidden));
  } }, h('span', { className: 'sc-caption' }, view.t('forms.score.preview')), total, band);
  const submit = h('button', { type: 'button', className: 'sc-submit primary', onclick: () => view.onSubmit?.() },
    view.t('forms.submit'));
  const el = h('div', { className: 'sc-bar' }, list, h('div', { className: 'sc-row' }, toggle, submit));
  return {
    el,
    update(ev) {
      const score = ev.score;
      total.textContent = score ? `${fmt(score.total)} / ${fmt(score.max)}` : '–';
      total.dataset.total = score ? String(score.total) : '';
      band.textContent = score ? (view.text(score.band_label) || bandText(view, score.band)) : '';
      band.dataset.band = score && score.band ? (score.band.id || score.band) : '';
      list.replaceChildren(...(score?.deductions || []).map((d) => {
        const path = deductionPath(view, d);
        const why = view.text(d.explanation) || view.text(d.reason);
        return h('li', { className: 'sc-deduction', dataset: { path }, onclick: () => view.jumpTo(path) },
          h('span', { className: 'sc-points' }, `−${fmt(Math.abs(d.points))}`),
          h('span', { className: 'sc-item' }, itemLabel(view, path)),
          why ? h('span', { className: 'sc-reason' }, why) : null);
      }));
      if (!list.childElementCount) list.append(h('li', { className: 'sc-none' }, view.t('forms.score.no_deductions')));
    },
  };
}

export function problemList(view) {
  const list = h('ul', {});
  const el = h('div', { className: 'fi-blocked', hidden: true, role: 'alert' },
    h('h3', {}, view.t('forms.blocked')), list);
  return {
    el,
    update(problems) {
      if (el.hidden) return; // shown by a refused submit, then kept current
      list.replaceChildren(...problems.map((p) => {
        const path = view.problemPath(p);
        return h('li', {}, h('button', { type: 'button', className: 'fi-problem-link', onclick: () => view.jumpTo(path) },
          h('strong', {}, itemLabel(view, path)), ' ', view.problemText(p)));
      }));
      if (!problems.length) el.hidden = true;
    },
    show(problems) {
      el.hidden = false;
      this.update(problems);
      el.scrollIntoView({ block: 'start' });
    },
  };
}
