// Scoring (checklists/scoring.py, repeats.py, report.py), step for step: the same loop,
// the same order of additions and the same rounding, so totals are identical, not close.
import { CHECK, CHOICE, DEDUCTION, MULTI_CHOICE, NOT_SCORED, READING } from './definition.js';
import { calculate } from './expressions.js';
import { pyRound, roundPercent, roundPoints } from './pyformat.js';
import { instanceScope, instancesOf } from './repeats.js';

const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/** What Python's `for v in value` walks: a list's items, a string's characters, a dict's keys. */
function pyIter(value) {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return Array.from(value);
  if (value !== null && typeof value === 'object') return Object.keys(value);
  throw new TypeError('not iterable');
}

export function sectionStatus(shown, hasScorable, maximum) {
  if (!shown) return 'hidden';
  if (!hasScorable) return 'unscored';
  return maximum > 0 ? 'scored' : 'na';
}

const isEmptyAnswer = (a) => a === null || a === undefined || a === false || a === 0 || a === ''
  || (typeof a === 'object' && Object.keys(a).length === 0);

/** Points of one answered, visible, applicable item and the facts behind them (item_points). */
export function itemPoints(planned, value, answer) {
  const mode = planned.mode;
  if (mode === DEDUCTION) {
    if (value !== 'fail') return [planned.max, null];
    const defects = answer.defects || [];
    const fixed = planned.fixedDeduction;
    let lost = 0;
    for (const d of defects) lost += d.deduction ?? (fixed !== null ? fixed : 0);
    return [roundPoints(Math.max(planned.max - lost, 0)), defects];
  }
  if (mode === CHECK) return [value === 'pass' ? planned.weight : 0, value];
  if (mode === CHOICE) return [roundPoints((planned.optionScores.get(value) ?? 0) * planned.weight), value];
  if (mode === MULTI_CHOICE) {
    return [roundPoints(sum(pyIter(value).map((v) => planned.optionScores.get(v) ?? 0)) * planned.weight), value];
  }
  if (mode === READING) return [planned.failure(value) !== null ? 0 : planned.weight, value];
  return [0, null];
}

const line = (planned, status, points, max, counted, detail, instance) => (
  { planned, status, points, max, counted, detail, instance });

/** The item loop of scoring and the flags and vetoes it collects (scoring._Tally). */
class Tally {
  constructor(zeroUnanswered) {
    this.zeroUnanswered = zeroUnanswered;
    this.flags = [];
    this.vetoes = [];
  }

  items(sectionItems, answers, shown, sectionShown, instance) {
    const lines = [];
    let points = 0;
    let maximum = 0;
    let hasScorable = false;
    for (const planned of sectionItems) {
      const visible = sectionShown && (planned.cond === null || planned.cond(answers, shown));
      shown.set(planned.id, visible);
      const mode = planned.mode;
      if (mode !== NOT_SCORED) {
        hasScorable = true;
      } else if (!planned.failable) {
        if (visible && planned.calculation) answers[planned.id] = { value: calculate(planned.calculation, answers, shown) };
        continue;
      }
      if (!visible) {
        if (mode !== NOT_SCORED) lines.push(line(planned, 'hidden', 0, planned.max, false, null, instance));
        continue;
      }
      const answer = answers[planned.id];
      if (isEmptyAnswer(answer)) {
        if (mode !== NOT_SCORED) {
          lines.push(line(planned, 'unanswered', 0, planned.max, this.zeroUnanswered, null, instance));
          if (this.zeroUnanswered) maximum += planned.max;
        }
        continue;
      }
      if (answer.na === true) {
        if (mode !== NOT_SCORED) lines.push(line(planned, 'na', 0, planned.max, false, null, instance));
        continue;
      }
      const value = answer.value ?? null;
      if (planned.failable) {
        const reason = planned.failure(value);
        if (reason !== null) {
          this.flags.push({ item: planned.id, reason, value, instance });
          if (planned.veto) this.vetoes.push(planned);
        }
      }
      if (mode === NOT_SCORED) continue;
      const [got, detail] = itemPoints(planned, value, answer);
      lines.push(line(planned, 'scored', got, planned.max, true, detail, instance));
      points += got;
      maximum += planned.max;
    }
    return { lines, points, maximum, hasScorable };
  }
}

/** repeats.combine: (points, max, chosen instance) of a repeated section. */
export function combine(scoring, totals) {
  if (scoring === 'sum' || scoring === 'each') {
    return [roundPoints(sum(totals.map(([p]) => p))), roundPoints(sum(totals.map(([, m]) => m))), null];
  }
  const counted = totals.map(([p, m], k) => [k, p, m]).filter(([, , m]) => m > 0);
  if (!counted.length) return [0, 0, null];
  if (scoring === 'worst') {
    let best = counted[0];
    for (const c of counted.slice(1)) if (c[1] / c[2] < best[1] / best[2]) best = c;
    return [best[1], best[2], best[0]];
  }
  const meanMax = sum(counted.map(([, , m]) => m)) / counted.length;
  const meanRatio = sum(counted.map(([, p, m]) => p / m)) / counted.length;
  return [roundPoints(meanRatio * meanMax), roundPoints(meanMax), null];
}

function scoreRepeat(ps, sectionItems, answers, shown, sectionShown, tally) {
  const section = ps.section;
  const rule = ps.repeat;
  const scorable = sectionItems.some((p) => p.mode !== NOT_SCORED);
  const scored = (sectionShown ? instancesOf(answers, section.id) : []).map((instance, index) => {
    const label = instance?.label ?? '';
    const r = tally.items(sectionItems, instanceScope(answers, instance), new Map(shown), true, [index, label]);
    return { index, label, lines: r.lines, points: roundPoints(r.points), max: roundPoints(r.maximum) };
  });
  if (rule.scoring === 'each' && scored.length) {
    const weight = section.weight ?? null;
    return scored.map((s) => ({
      id: section.id, title: instanceTitle(section.title, s.label),
      status: sectionStatus(true, scorable, s.max), points: s.points, max: s.max,
      weight: weight === null ? null : weight / scored.length, lines: s.lines,
      effective_weight: null, instance: [s.index, s.label], repeat: null, instanceLabels: [],
    }));
  }
  const [points, max, chosen] = combine(rule.scoring, scored.map((s) => [s.points, s.max]));
  return [{
    id: section.id, title: section.title, status: sectionStatus(sectionShown, scorable, max),
    points, max, weight: section.weight ?? null, lines: scored.flatMap((s) => s.lines),
    effective_weight: null, instance: null,
    repeat: { scoring: rule.scoring, instances: scored.map((s) => [s.points, s.max]), chosen },
    instanceLabels: scored.map((s) => s.label),
  }];
}

export const instanceTitle = (title, label) => ({ zh: `${title.zh}: ${label}`, en: `${title.en}: ${label}` });

/** score_result: the raw report (sections with item lines, flags, veto, band). */
export function scoreAnswers(form, answersIn) {
  const plan = form.plan;
  const answers = { ...answersIn };
  const tally = new Tally(form.scoring.unanswered === 'zero');
  const shown = new Map();
  const sections = [];
  plan.sections.forEach((ps, index) => {
    const sectionItems = plan.sectionItems[index];
    const sectionShown = ps.cond === null || ps.cond(answers, shown);
    if (ps.repeat) {
      sections.push(...scoreRepeat(ps, sectionItems, answers, shown, sectionShown, tally));
      return;
    }
    const r = tally.items(sectionItems, answers, shown, sectionShown, null);
    sections.push({
      id: ps.section.id, title: ps.section.title, status: sectionStatus(sectionShown, r.hasScorable, r.maximum),
      points: roundPoints(r.points), max: roundPoints(r.maximum), weight: ps.section.weight ?? null,
      lines: r.lines, effective_weight: null, instance: null, repeat: null, instanceLabels: [],
    });
  });
  return finish(form, sections, tally.flags, tally.vetoes);
}

function finish(form, sections, flags, vetoes) {
  const scoring = form.scoring;
  const weighted = form.plan.weighted;
  let total;
  let maximum;
  let ratio;
  if (weighted) {
    const contributing = sections.filter((s) => s.max > 0);
    const weightSum = sum(contributing.map((s) => s.weight));
    ratio = contributing.length ? sum(contributing.map((s) => (s.weight * s.points) / s.max)) / weightSum : null;
    for (const s of contributing) s.effective_weight = pyRound(s.weight / weightSum, 6);
    maximum = contributing.length ? scoring.scale : 0;
    total = ratio !== null ? ratio * maximum : 0;
  } else {
    total = sum(sections.map((s) => s.points));
    maximum = sum(sections.map((s) => s.max));
    ratio = maximum > 0 ? total / maximum : null;
  }
  let rescaled = null;
  if (scoring.na === 'rescale' && !weighted && ratio !== null) {
    const naItems = sections.flatMap((s) => s.lines.filter((l) => l.status === 'na').map((l) => l.planned.id));
    if (naItems.length) {
      rescaled = { total: roundPoints(total), max: roundPoints(maximum), na_items: naItems };
      total = ratio * scoring.scale;
      maximum = scoring.scale;
    }
  }
  let percent = ratio !== null ? ratio * 100 : null;
  const veto = strongestVeto(vetoes);
  if (veto !== null && percent !== null) {
    percent = veto.effect === 'zero' ? 0 : Math.min(percent, veto.cap_percent);
    total = Math.min(total, (percent * maximum) / 100);
  }
  percent = percent !== null ? roundPercent(percent) : null;
  let band = null;
  if (percent !== null) for (const b of scoring.bands) if (percent >= b.min) band = b;
  return {
    total: roundPoints(total), max: roundPoints(maximum), percent, band,
    marks: scoring.marks.filter((m) => percent !== null && percent >= m.min),
    flags, sections, veto, weighted, rescaled,
  };
}

/** The strongest veto triggered: zero beats any cap, a lower cap a higher one (the first on a tie). */
function strongestVeto(vetoes) {
  if (!vetoes.length) return null;
  const key = (p) => (p.veto.effect === 'zero' ? -1 : p.veto.cap_percent);
  let strongest = vetoes[0];
  for (const p of vetoes.slice(1)) if (key(p) < key(strongest)) strongest = p;
  return {
    item_id: strongest.id, label: strongest.item.label, effect: strongest.veto.effect,
    cap_percent: strongest.veto.cap_percent ?? null, items: vetoes.map((p) => p.id),
  };
}
