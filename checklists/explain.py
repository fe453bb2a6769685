"""Sentences (zh / en) saying why each point was won or lost.

Rendered from a report's numbers and the facts kept on each line, e.g.
``每缺一项扣0.5-2分: 缺2项(1.5、0.5) → −2, 本项得3/5``. Kept apart from the
arithmetic so wording can change without touching any score.
"""
from __future__ import annotations

from typing import Any

from checklists.plan import CHECK, CHOICE, DEDUCTION, MULTI_CHOICE, READING


_NUM_TEXT: dict[float, str] = {}
_NUM_CACHE_SIZE = 4096


def num(x: float) -> str:
    """A point value as people write it: 3, 2.5, 0.25 (no float noise)."""
    text = _NUM_TEXT.get(x)
    if text is None:
        r = round(x, 4) + 0.0                   # + 0.0: no "-0"
        text = str(int(r)) if r.is_integer() else repr(r)
        if len(_NUM_TEXT) < _NUM_CACHE_SIZE:   # reports reuse a few values again and again
            _NUM_TEXT[x] = text
    return text


def explain_line(line, lang: str) -> str:
    return explain_both(line)[0 if lang == "zh" else 1]


def explain_both(line) -> tuple[str, str]:
    """The line's sentence in zh and en."""
    # Most lines of a report say what thousands of others said ("符合, 本项得5/5"): the
    # sentences depend only on these facts (for defects: the amounts taken; for a
    # multi-select: the options picked), so they are rendered once per item and kept on
    # the plan, up to a bound.
    detail = line.detail
    if type(detail) is list:
        detail = tuple(d.get("deduction") if type(d) is dict else d for d in detail)
    key = (line.status, line.points, line.max, line.counted, detail)
    cache = line.planned.sentences
    texts = cache.get(key)
    if texts is None:
        texts = (_line_text(line, "zh"), _line_text(line, "en"))
        if len(cache) < 256:
            cache[key] = texts
    if line.instance is None:
        return texts
    label, name = line.planned.item.label, line.instance[1]
    return f"{name}: {label.zh} — {texts[0]}", f"{name}: {label.en} — {texts[1]}"


def explain_repeat(section, lang: str) -> str:
    """How a repeated section's instances made its score (sum, mean or worst)."""
    zh = lang == "zh"
    facts = section.repeat
    count = len(facts["instances"])
    score = f"{num(section.points)}/{num(section.max)}"
    if facts["scoring"] == "worst" and facts["chosen"] is not None:
        name = section.instance_labels[facts["chosen"]]
        return (f"{count}个实例中按最差的「{name}」计 → {score}" if zh
                else f"the worst of {count} instances, “{name}”, counts → {score}")
    if facts["scoring"] == "mean":
        return (f"按{count}个实例的平均得分率计 → {score}" if zh
                else f"mean percent of {count} instances → {score}")
    return f"{count}个实例合计 → {score}" if zh else f"{count} instances added up → {score}"


def _line_text(line, lang: str) -> str:
    zh = lang == "zh"
    status = line.status
    if status == "hidden":
        return "未显示(条件未满足), 不计分" if zh else "not shown (condition not met): not scored"
    if status == "na":
        return "不适用, 不计入得分与满分" if zh else "N/A: left out of score and maximum"
    if status == "unanswered":
        if line.counted:
            return (f"未作答, 按0分计 → 0/{num(line.max)}" if zh
                    else f"unanswered: counts as 0 → 0/{num(line.max)}")
        return "未作答, 不计入满分" if zh else "unanswered: left out of the maximum"
    planned = line.planned
    score = f"{num(line.points)}/{num(line.max)}"
    mode = planned.mode
    if mode == DEDUCTION:
        return _deduction(planned.item, line.detail, score, zh)
    weight = "" if planned.weight == 1 else (
        f"×权重{num(planned.weight)}" if zh else f" × weight {num(planned.weight)}")
    if mode == CHECK:
        if line.detail == "pass":
            return f"合格{weight} → {score}" if zh else f"pass{weight} → {score}"
        return f"不合格 → {score}" if zh else f"fail → {score}"
    if mode in (CHOICE, MULTI_CHOICE):
        return _choice(planned, line.detail, weight, score, zh)
    if mode == READING:
        return _reading(planned, line.detail, score, zh)
    return score


def _deduction(item, defects: Any, score: str, zh: bool) -> str:
    if defects is None:
        return f"符合, 本项得{score}" if zh else f"meets every requirement: {score}"
    rule = item.deduction
    if rule.label is not None:
        rule_text = rule.label.zh if zh else rule.label.en
    elif rule.fixed:
        rule_text = f"每项扣{num(rule.min)}分" if zh else f"−{num(rule.min)} per defect"
    else:
        rule_text = (f"每项扣{num(rule.min)}–{num(rule.max)}分" if zh
                     else f"−{num(rule.min)}–{num(rule.max)} per defect")
    fixed = rule.min if rule.fixed else 0.0
    amounts = [d.get("deduction", fixed) for d in defects]
    lost = sum(amounts)
    count = len(amounts)
    each = "" if rule.fixed else (
        "(" + "、".join(num(a) for a in amounts) + ")" if zh
        else " (" + ", ".join(num(a) for a in amounts) + ")")
    capped = lost > item.points
    if zh:
        what = f"缺{count}项" if item.criteria else f"{count}处问题"
        cap = ", 扣完为止" if capped else ""
        return f"{rule_text}: {what}{each} → −{num(lost)}{cap}, 本项得{score}"
    what = f"{count} missing" if item.criteria else f"{count} defect{'s' if count != 1 else ''}"
    cap = ", capped at the item's points" if capped else ""
    return f"{rule_text}: {what}{each} → −{num(lost)}{cap}, item {score}"


def _choice(planned, value: Any, weight: str, score: str, zh: bool) -> str:
    options = planned.item.options_by_id
    picked = value if isinstance(value, list) else [value]
    names = [options[v].label.zh if zh else options[v].label.en for v in picked if v in options]
    raw = sum(planned.option_scores.get(v, 0.0) for v in picked)
    if zh:
        return f"选{''.join(f'「{n}」' for n in names)}({num(raw)}分{weight}) → {score}"
    quoted = ", ".join(f"“{n}”" for n in names)
    return f"chose {quoted} ({num(raw)} points{weight}) → {score}"


def _reading(planned, value: Any, score: str, zh: bool) -> str:
    unit = planned.item.unit or ""
    low = "…" if planned.low is None else num(planned.low)
    high = "…" if planned.high is None else num(planned.high)
    inside = planned.failure(value) is None
    if zh:
        verdict = "在阈值内" if inside else "超出阈值"
        return f"读数{num(value)}{unit}, {verdict}({low}–{high}) → {score}"
    verdict = "within" if inside else "outside"
    return f"reading {num(value)}{unit} {verdict} thresholds ({low}–{high}) → {score}"


def explain_report(report, lang: str) -> list[str]:
    zh = lang == "zh"
    out: list[str] = []
    if report.percent is None:
        out.append("没有适用的评分项, 无法计分" if zh else "nothing applicable to score")
    elif report.weighted:
        out.extend(_weighted(report, zh))
    elif report.rescaled is not None:
        out.append(_rescaled(report, zh))
    else:
        out.append(f"合计 {num(report.total)}/{num(report.max)} = {num(report.percent)}%" if zh
                   else f"total {num(report.total)}/{num(report.max)} = {num(report.percent)}%")
    if report.veto is not None:
        out.append(_veto(report, zh))
    if report.band is not None:
        band = report.band
        out.append(f"等级: {band.label.zh} (≥{num(band.min)}%)" if zh
                   else f"band: {band.label.en} (≥{num(band.min)}%)")
    for mark in report.marks:
        out.append(f"达到: {mark.label.zh} (≥{num(mark.min)}%)" if zh
                   else f"reached: {mark.label.en} (≥{num(mark.min)}%)")
    return out


def _weighted(report, zh: bool) -> list[str]:
    parts = []
    dropped = []
    for s in report.sections:
        title = s.title.zh if zh else s.title.en
        if s.effective_weight is None:
            if s.status in ("na", "hidden"):
                dropped.append(title)
            continue
        parts.append(f"{title} {num(s.percent)}%×{num(s.effective_weight * 100)}%")
    lines = []
    if dropped:
        lines.append(f"{'、'.join(dropped)}: 不适用或未显示, 权重按其余版块重新分配" if zh
                     else f"{', '.join(dropped)}: N/A or not shown, weights re-balanced over the rest")
    joined = " + ".join(parts)
    lines.append(f"版块加权: {joined} = {num(report.percent)}%, 折合 {num(report.total)}/"
                 f"{num(report.max)}" if zh else
                 f"weighted sections: {joined} = {num(report.percent)}%, i.e. "
                 f"{num(report.total)}/{num(report.max)}")
    return lines


def _rescaled(report, zh: bool) -> str:
    """scoring.na = rescale: which items were N/A and how the total was brought back to scale."""
    facts = report.rescaled
    by_id = {ln.planned.id: ln for s in report.sections for ln in s.lines}
    names = [by_id[i].planned.item.label for i in facts["na_items"] if i in by_id]
    dropped = sum(by_id[i].max for i in facts["na_items"] if i in by_id)
    before = f"{num(facts['total'])}/{num(facts['max'])}"
    after = f"{num(report.total)}/{num(report.max)}"
    if zh:
        listed = "、".join(n.zh for n in names)
        return (f"不适用: {listed}(共{num(dropped)}分); 按适用项满分{num(facts['max'])}折算为"
                f"{num(report.max)}分: {before} → {after} = {num(report.percent)}%")
    listed = ", ".join(n.en for n in names)
    return (f"N/A: {listed} ({num(dropped)} points); rescaled over the applicable "
            f"{num(facts['max'])} to {num(report.max)}: {before} → {after} = "
            f"{num(report.percent)}%")


def _veto(report, zh: bool) -> str:
    veto = report.veto
    name = veto["label"]["zh" if zh else "en"]
    if veto["effect"] == "zero":
        return f"一票否决: 「{name}」不合格 → 总分清零" if zh else f"veto: “{name}” failed → total set to 0"
    cap = num(veto["cap_percent"])
    return (f"一票否决: 「{name}」不合格 → 得分率封顶{cap}%" if zh
            else f"veto: “{name}” failed → percent capped at {cap}%")
