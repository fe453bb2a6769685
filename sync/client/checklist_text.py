"""A checklist as terminal text: sections, items, their types and allowed answers.

What ``fieldsync device show`` prints, so an inspector writing an answers
file sees each item's id next to its label (Chinese and English), whether it
is required, and exactly which values it takes -- the rules the device
checks a fill against (``checklists.answers``), in words.
"""
from __future__ import annotations

from checklists import Definition, Item
from checklists.logic import condition_text
from checklists.model import Label


def label_text(label: Label | dict | None) -> str:
    if label is None:
        return ""
    zh, en = (label.get("zh"), label.get("en")) if isinstance(label, dict) else \
        (label.zh, label.en)
    return " / ".join(t for t in (zh, en) if t)


def definition_lines(definition: Definition) -> list[str]:
    items = [item for _, item in definition.iter_items()]
    required = sum(item.required for item in items)
    lines = [f"{definition.ref}  {label_text(definition.title)}",
             f"{definition.kind}; {len(items)} items, {required} required. Answers file: "
             f'{{"<item id>": {{"value": ..., "note": "...", "photos": [...]}}, ...}}']
    for section in definition.sections:
        shown = f"  (shown only when {condition_text(section.show_if)})" if section.show_if \
            else ""
        lines += ["", f"[{section.id}] {label_text(section.title)}{shown}"]
        for item in section.items:
            lines += item_lines(item)
    return lines


def item_lines(item: Item) -> list[str]:
    flags = ["required" if item.required else "optional"]
    if item.allow_na:
        flags.append('may be {"na": true}')
    lines = [f"  {item.id}  {item.type}, {', '.join(flags)}",
             f"      {label_text(item.label)}"]
    if item.help:
        lines.append(f"      ({label_text(item.help)})")
    lines += [f"      {text}" for text in _allowed(item)]
    if item.show_if:
        lines.append(f"      shown only when {condition_text(item.show_if)}")
    return lines


def _allowed(item: Item) -> list[str]:
    """The values ``item`` takes and what a failed answer must carry."""
    kind = item.type
    if kind == "check":
        out = ['value: "pass" or "fail"']
        if item.deduction is not None:
            rule = item.deduction
            points = f"{rule.min:g}" if rule.fixed else f"{rule.min:g}-{rule.max:g}"
            fields = ['"criterion": id'] if item.criteria else []
            fields += [] if rule.fixed else [f'"deduction": {points}']
            fields.append('"note": ...')
            out.append(f"a fail lists its defects: [{{{', '.join(fields)}}}, ...]; "
                       f"each takes {points} of the item's {item.points:g} points")
            out += [f"  criterion {c.id}: {label_text(c.label)}" for c in item.criteria or ()]
    elif kind == "choice":
        many = "a list of option ids" if item.multiple else "one option id"
        out = [f"value: {many}:"]
        out += [f"  {o.id}: {label_text(o.label)}" + ("  (flagged)" if o.flag else "")
                for o in item.options]
    elif kind == "reading":
        unit = f" in {item.unit}" if item.unit else ""
        out = [f"value: a number{unit}" + _range(" within", item.limits)
               + _range(", flagged outside", item.thresholds)]
    elif kind == "text":
        out = [f"value: text (at most {item.max_length} characters)"]
    elif kind == "photo":
        out = [f"photos: {item.min_count}-{item.max_count}, attached with "
               f"--photo {item.id}=FILE"]
    elif kind == "signature":
        out = ['value: {"signer": name, "image": sha256}; --photo '
               f"{item.id}=FILE fills the image"]
    elif kind == "checkpoint":
        out = ["value: the scanned tag code" + (f" (expected {item.tag})" if item.tag else "")]
    else:
        out = [{"date": "value: a date YYYY-MM-DD", "time": "value: a time HH:MM"}[kind]]
    if item.evidence is not None:
        out.append(_evidence(item))
    return out


def _range(prefix: str, bounds) -> str:
    if bounds is None:
        return ""
    low = "…" if bounds.min is None else f"{bounds.min:g}"
    high = "…" if bounds.max is None else f"{bounds.max:g}"
    return f"{prefix} [{low}, {high}]"


def _evidence(item: Item) -> str:
    rule = item.evidence
    needs = [f"{rule.photos} photo(s)" if rule.photos else "", "a note" if rule.note else "",
             "a location" if rule.location else ""]
    where = "each defect" if rule.scope == "defect" else "the answer"
    return f"a failed answer needs on {where}: {', '.join(n for n in needs if n) or 'nothing'}"
