// Sentences (zh / en) saying why each point was won or lost: checklists/explain.py, word
// for word, so the preview explains a score exactly as the server's report will.
import { CHECK, CHOICE, DEDUCTION, MULTI_CHOICE, READING } from './definition.js';
import { num } from './pyformat.js';

const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/** A line's sentence in zh and en (explain.explain_both). */
export function explainLine(line) {
  const texts = [lineText(line, true), lineText(line, false)];
  if (line.instance === null) return { zh: texts[0], en: texts[1] };
  const label = line.planned.item.label;
  const name = line.instance[1];
  return { zh: `${name}: ${label.zh} — ${texts[0]}`, en: `${name}: ${label.en} — ${texts[1]}` };
}

function lineText(line, zh) {
  const status = line.status;
  if (status === 'hidden') return zh ? '未显示(条件未满足), 不计分' : 'not shown (condition not met): not scored';
  if (status === 'na') return zh ? '不适用, 不计入得分与满分' : 'N/A: left out of score and maximum';
  if (status === 'unanswered') {
    if (line.counted) return zh ? `未作答, 按0分计 → 0/${num(line.max)}` : `unanswered: counts as 0 → 0/${num(line.max)}`;
    return zh ? '未作答, 不计入满分' : 'unanswered: left out of the maximum';
  }
  const planned = line.planned;
  const score = `${num(line.points)}/${num(line.max)}`;
  const mode = planned.mode;
  if (mode === DEDUCTION) return deduction(planned.item, line.detail, score, zh);
  let weight = '';
  if (planned.weight !== 1) weight = zh ? `×权重${num(planned.weight)}` : ` × weight ${num(planned.weight)}`;
  if (mode === CHECK) {
    if (line.detail === 'pass') return zh ? `合格${weight} → ${score}` : `pass${weight} → ${score}`;
    return zh ? `不合格 → ${score}` : `fail → ${score}`;
  }
  if (mode === CHOICE || mode === MULTI_CHOICE) return choice(planned, line.detail, weight, score, zh);
  if (mode === READING) return reading(planned, line.detail, score, zh);
  return score;
}

function deduction(item, defects, score, zh) {
  if (defects === null) return zh ? `符合, 本项得${score}` : `meets every requirement: ${score}`;
  const rule = item.deduction;
  const fixedRule = rule.min === rule.max;
  let ruleText;
  if (rule.label) ruleText = zh ? rule.label.zh : rule.label.en;
  else if (fixedRule) ruleText = zh ? `每项扣${num(rule.min)}分` : `−${num(rule.min)} per defect`;
  else ruleText = zh ? `每项扣${num(rule.min)}–${num(rule.max)}分` : `−${num(rule.min)}–${num(rule.max)} per defect`;
  const fixed = fixedRule ? rule.min : 0;
  const amounts = defects.map((d) => d.deduction ?? fixed);
  const lost = sum(amounts);
  const count = amounts.length;
  let each = '';
  if (!fixedRule) each = zh ? `(${amounts.map(num).join('、')})` : ` (${amounts.map(num).join(', ')})`;
  const capped = lost > item.points;
  const hasCriteria = Boolean(item.criteria && item.criteria.length);
  if (zh) {
    const what = hasCriteria ? `缺${count}项` : `${count}处问题`;
    return `${ruleText}: ${what}${each} → −${num(lost)}${capped ? ', 扣完为止' : ''}, 本项得${score}`;
  }
  const what = hasCriteria ? `${count} missing` : `${count} defect${count !== 1 ? 's' : ''}`;
  return `${ruleText}: ${what}${each} → −${num(lost)}${capped ? ", capped at the item's points" : ''}, item ${score}`;
}

function choice(planned, value, weight, score, zh) {
  const options = new Map(planned.item.options.map((o) => [o.id, o]));
  const picked = Array.isArray(value) ? value : [value];
  const names = picked.filter((v) => options.has(v)).map((v) => (zh ? options.get(v).label.zh : options.get(v).label.en));
  const raw = sum(picked.map((v) => planned.optionScores.get(v) ?? 0));
  if (zh) return `选${names.map((n) => `「${n}」`).join('')}(${num(raw)}分${weight}) → ${score}`;
  return `chose ${names.map((n) => `“${n}”`).join(', ')} (${num(raw)} points${weight}) → ${score}`;
}

function reading(planned, value, score, zh) {
  const unit = planned.item.unit || '';
  const low = planned.low === null ? '…' : num(planned.low);
  const high = planned.high === null ? '…' : num(planned.high);
  const inside = planned.failure(value) === null;
  if (zh) return `读数${num(value)}${unit}, ${inside ? '在阈值内' : '超出阈值'}(${low}–${high}) → ${score}`;
  return `reading ${num(value)}${unit} ${inside ? 'within' : 'outside'} thresholds (${low}–${high}) → ${score}`;
}

/** How a repeated section's instances made its score (explain.explain_repeat). */
export function explainRepeat(section, zh) {
  const facts = section.repeat;
  const count = facts.instances.length;
  const score = `${num(section.points)}/${num(section.max)}`;
  if (facts.scoring === 'worst' && facts.chosen !== null) {
    const name = section.instanceLabels[facts.chosen];
    return zh ? `${count}个实例中按最差的「${name}」计 → ${score}` : `the worst of ${count} instances, “${name}”, counts → ${score}`;
  }
  if (facts.scoring === 'mean') return zh ? `按${count}个实例的平均得分率计 → ${score}` : `mean percent of ${count} instances → ${score}`;
  return zh ? `${count}个实例合计 → ${score}` : `${count} instances added up → ${score}`;
}

/** Result-level sentences: how sections combine, veto, band (explain.explain_report). */
export function explainReport(report, percentOf, zh) {
  const out = [];
  if (report.percent === null) out.push(zh ? '没有适用的评分项, 无法计分' : 'nothing applicable to score');
  else if (report.weighted) out.push(...weighted(report, percentOf, zh));
  else if (report.rescaled !== null) out.push(rescaledText(report, zh));
  else {
    out.push(zh ? `合计 ${num(report.total)}/${num(report.max)} = ${num(report.percent)}%`
      : `total ${num(report.total)}/${num(report.max)} = ${num(report.percent)}%`);
  }
  if (report.veto !== null) {
    const veto = report.veto;
    const name = zh ? veto.label.zh : veto.label.en;
    if (veto.effect === 'zero') out.push(zh ? `一票否决: 「${name}」不合格 → 总分清零` : `veto: “${name}” failed → total set to 0`);
    else {
      const cap = num(veto.cap_percent);
      out.push(zh ? `一票否决: 「${name}」不合格 → 得分率封顶${cap}%` : `veto: “${name}” failed → percent capped at ${cap}%`);
    }
  }
  if (report.band !== null) {
    const b = report.band;
    out.push(zh ? `等级: ${b.label.zh} (≥${num(b.min)}%)` : `band: ${b.label.en} (≥${num(b.min)}%)`);
  }
  for (const m of report.marks) out.push(zh ? `达到: ${m.label.zh} (≥${num(m.min)}%)` : `reached: ${m.label.en} (≥${num(m.min)}%)`);
  return out;
}

function weighted(report, percentOf, zh) {
  const parts = [];
  const dropped = [];
  for (const s of report.sections) {
    const title = zh ? s.title.zh : s.title.en;
    if (s.effective_weight === null) {
      if (s.status === 'na' || s.status === 'hidden') dropped.push(title);
      continue;
    }
    parts.push(`${title} ${num(percentOf(s))}%×${num(s.effective_weight * 100)}%`);
  }
  const lines = [];
  if (dropped.length) {
    lines.push(zh ? `${dropped.join('、')}: 不适用或未显示, 权重按其余版块重新分配`
      : `${dropped.join(', ')}: N/A or not shown, weights re-balanced over the rest`);
  }
  const joined = parts.join(' + ');
  lines.push(zh ? `版块加权: ${joined} = ${num(report.percent)}%, 折合 ${num(report.total)}/${num(report.max)}`
    : `weighted sections: ${joined} = ${num(report.percent)}%, i.e. ${num(report.total)}/${num(report.max)}`);
  return lines;
}

function rescaledText(report, zh) {
  const facts = report.rescaled;
  const byId = new Map();
  for (const s of report.sections) for (const l of s.lines) byId.set(l.planned.id, l);
  const known = facts.na_items.filter((i) => byId.has(i));
  const names = known.map((i) => byId.get(i).planned.item.label);
  const dropped = sum(known.map((i) => byId.get(i).max));
  const before = `${num(facts.total)}/${num(facts.max)}`;
  const after = `${num(report.total)}/${num(report.max)}`;
  if (zh) {
    return `不适用: ${names.map((n) => n.zh).join('、')}(共${num(dropped)}分); 按适用项满分${num(facts.max)}折算为`
      + `${num(report.max)}分: ${before} → ${after} = ${num(report.percent)}%`;
  }
  return `N/A: ${names.map((n) => n.en).join(', ')} (${num(dropped)} points); rescaled over the applicable `
    + `${num(facts.max)} to ${num(report.max)}: ${before} → ${after} = ${num(report.percent)}%`;
}
