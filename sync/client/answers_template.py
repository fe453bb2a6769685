"""A skeleton answers file for a checklist: every required item, answered so it validates.

A newcomer's first ``fill`` should not start from a blank page and 27
"required" errors. The skeleton answers each required item (and with
``include_optional`` every item) with the first answer that is allowed and
does not count as a failure: ``pass``, the first unflagged option, a reading
inside its thresholds, today's date. It is a starting point to edit, not an
inspection: the inspector changes what they found.

Some answers cannot be made up: the photos of a photo item and the image of
a signature are files, attached at fill time with ``--photo ITEM=FILE``
(which puts the photo's hash into that item's answer). Those items, and a
checkpoint without an expected tag, are listed in ``Template.todo``.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime

from checklists import Definition, Item, visible_items
from checklists.answer_values import value_error


@dataclass
class Template:
    answers: dict[str, dict] = field(default_factory=dict)
    todo: list[tuple[str, str]] = field(default_factory=list)  # (item id, what to add)


def answers_template(definition: Definition, *, signer: str = "",
                     now: datetime | None = None, include_optional: bool = False) -> Template:
    """The skeleton of ``definition``'s answers (items hidden by show-if logic left out).

    A repeated section (rooms, units) gets its minimum number of instances
    (at least one), labelled ``<label>1``, ``<label>2``...; their items are
    addressed ``<section>[<n>].<item>`` in ``todo`` and by ``--photo``.
    """
    now = now or datetime.now().astimezone()
    out = Template()
    for section in definition.sections:
        if section.repeat is None:
            slots = [(out.answers, "")]
        else:
            instances = out.answers.setdefault(section.id, [])
            slots = []
            for n in range(max(section.repeat.min, 1)):
                instances.append({"label": f"{section.repeat.label.zh}{n + 1}", "answers": {}})
                slots.append((instances[-1]["answers"], f"{section.id}[{n}]."))
        for target, prefix in slots:
            for item in section.items:
                if not (item.required or include_optional):
                    continue
                if not visible_items(definition, out.answers).get(prefix + item.id):
                    continue  # conditions look back only: earlier answers settle it
                answer, todo = _placeholder(item, signer, now, prefix + item.id)
                target[item.id] = answer
                if todo:
                    out.todo.append((prefix + item.id, todo))
    return out


def _placeholder(item: Item, signer: str, now: datetime, path: str
                 ) -> tuple[dict, str | None]:
    attach = f"attach with --photo {path}=FILE"
    kind = item.type
    if kind == "check":
        return {"value": "pass"}, None
    if kind == "choice":
        options = [o for o in item.options if not o.flag] or list(item.options)
        return {"value": [options[0].id] if item.multiple else options[0].id}, None
    if kind == "reading":
        return {"value": _ordinary_reading(item)}, "enter the measured value"
    if kind == "text":
        return {"value": ""}, None
    if kind == "date":
        return {"value": now.date().isoformat()}, None
    if kind == "time":
        return {"value": now.strftime("%H:%M")}, None
    if kind == "checkpoint":
        if item.tag:
            return {"value": item.tag}, None
        return {"value": ""}, "enter the scanned tag code"
    if kind == "signature":
        todo = f"the signature image: {attach}" + ("" if signer else "; fill in the signer")
        return {"value": {"signer": signer, "image": ""}}, todo
    return {"photos": []}, f"{max(item.min_count or 0, 1)} photo(s): {attach}"


def _ordinary_reading(item: Item) -> float:
    """A number inside the plausible limits and the unflagged thresholds."""
    for bounds in (item.thresholds, item.limits):
        if bounds is not None:
            for end in (bounds.min, bounds.max):
                if end is not None and value_error(item, end) is None:
                    return end
    return 0


def reinspection_template(original: dict, in_force: dict) -> Template:
    """The answers a re-inspection of ``original`` starts from: its open items only.

    Open items are those still failing after the latest round (or, before
    any round, the original's failed and flagged items). Each is pre-filled
    with the answer in force -- still the failing one -- so a template sent
    unedited records nothing as fixed; the inspector changes what the
    re-check finds. An item of a repeated section sits in its instance's
    place (earlier instances left empty: the server overlays by position).
    ``todo`` names each item with what was wrong.
    """
    rectification = original.get("rectification") or {}
    open_items = rectification["open_items"] if rectification else \
        (original.get("score") or {}).get("flags", [])
    out = Template()
    for flag in open_items:
        item_id, index = flag["item_id"], flag.get("instance")
        if index is None:
            out.answers[item_id] = copy.deepcopy(in_force.get(item_id) or {})
            path = item_id
        else:
            section = next((key for key, value in in_force.items() if isinstance(value, list)
                            and index < len(value)
                            and item_id in (value[index].get("answers") or {})), None)
            if section is None:
                continue  # the answers in force no longer hold it: nothing to re-check
            instances = out.answers.setdefault(section, [])
            while len(instances) <= index:
                source = in_force[section][len(instances)]
                instances.append({"label": source.get("label"), "answers": {}})
            instances[index]["answers"][item_id] = copy.deepcopy(
                in_force[section][index]["answers"][item_id])
            path = f"{section}[{index}].{item_id}"
        out.todo.append((path, f"re-check (was: {flag.get('reason')}); change the answer to "
                               f"what you find now"))
    return out
