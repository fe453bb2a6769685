"""Answers to a definition version, and their validation.

Answers format — one object per answered item, keyed by item id::

    {
      "cs.01": {"value": "fail",
                "defects": [{"criterion": "cs.01.2", "deduction": 1.5,
                             "note": "制度未更新", "location": "服务中心",
                             "photos": ["<sha256>"]}]},
      "cs.02": {"value": "pass"},
      "fire.pressure": {"value": 0.28, "photos": ["<sha256>"], "note": "..."},
      "vacant.units": {"na": true}
    }

Fields of an answer (all optional, unknown fields are refused):

``value``
    check ``"pass"``/``"fail"``; choice an option id (multiple: a list of
    them); reading a number; text a string; signature ``{"signer": name,
    "image": sha256}``; checkpoint the scanned tag code; date ``YYYY-MM-DD``;
    time ``HH:MM[:SS]``; photo items take no value.
``na``
    ``true`` answers "not applicable" (only where the item has ``allow_na``);
    then no value or defects may be given.
``defects``
    check items answered ``fail``: what was wrong, each ``{criterion,
    deduction, note, location, photos}``. On a deduction (扣分制) item a failed
    answer needs at least one defect; ``deduction`` is the points the
    inspector takes for it (required when the rule is a range, defaults to the
    fixed amount), ``criterion`` names the missing requirement when the item
    lists criteria (each at most once).
``photos``
    sha256 references (64 lowercase hex) of photos uploaded separately.
``note``
    free text.

An empty object counts as no answer. Answers to items hidden by show-if logic
are refused rather than dropped: the device and the server disagree about the
checklist, and silently discarding field data would hide that.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checklists.answer_values import is_number, is_sha256, value_error
from checklists.errors import AnswersInvalid
from checklists.expressions import truthy
from checklists.logic import answered_values, condition_text
from checklists.model import Definition
from checklists.plan import DEDUCTION, PlannedItem
from checklists.repeats import instance_scope

ANSWER_FIELDS = frozenset({"value", "na", "defects", "photos", "note"})
DEFECT_FIELDS = frozenset({"criterion", "deduction", "note", "location", "photos"})
MAX_PHOTOS = 50
MAX_DEFECTS = 200
MAX_NOTE = 2000
MAX_LOCATION = 200
MAX_LABEL = 100


def validate_answers(definition: Definition, answers: Any) -> None:
    """Raise :class:`AnswersInvalid` listing every problem with ``answers``."""
    errors = answer_errors(definition, answers)
    if errors:
        raise AnswersInvalid(errors)


def answer_errors(definition: Definition, answers: Any) -> dict[str, list[str]]:
    """Every problem with ``answers`` as ``{"answers.<item>.<field>": [...]}``."""
    if type(answers) is not dict and not isinstance(answers, Mapping):
        return {"answers": ["must be an object mapping item ids to answers"]}
    plan = definition.plan
    errors: dict[str, list[str]] = {}
    for key in answers:
        if key in plan.repeated:
            continue
        planned = plan.by_id.get(key)
        if planned is None:
            errors.setdefault(f"answers.{key}", []).append("unknown item")
        elif plan.sections[planned.section_index].repeat is not None:
            section_id = plan.sections[planned.section_index].section.id
            errors.setdefault(f"answers.{key}", []).append(
                f"belongs to the repeated section {section_id!r}: answer it in "
                f"answers.{section_id}[n].answers")
    if plan.has_calculations:
        answers = dict(answers)  # calculated values are filed in beside the answers
    shown: dict[str, bool] = {}
    for planned_section, section_items in zip(plan.sections, plan.section_items):
        cond = planned_section.cond
        section_shown = cond is None or cond(answers, shown)
        required_cond = planned_section.required_cond
        section_required = (section_shown and required_cond is not None
                            and required_cond(answers, shown))
        checker = _SectionCheck(planned_section, section_items, section_required, errors)
        if planned_section.repeat is None:
            checker.items(answers, shown, section_shown, "answers.")
        else:
            checker.instances(answers, shown, section_shown)
    return errors


class _SectionCheck:
    """Checks the answers of one section, or of each instance of a repeated one."""

    def __init__(self, planned_section, section_items, section_required: bool,
                 errors: dict[str, list[str]]):
        self.planned_section, self.section_items = planned_section, section_items
        self.section_required, self.errors = section_required, errors

    def items(self, answers: Mapping[str, Any], shown: dict[str, bool], section_shown: bool,
              prefix: str) -> None:
        for planned in self.section_items:
            visible = section_shown and planned.visible(answers, shown)
            shown[planned.id] = visible
            answer = answers.get(planned.id)
            if planned.item.type == "calculate":
                if answer is not None:
                    self.errors.setdefault(prefix + planned.id, []).append(
                        "a calculated item is computed, not answered")
                if visible:
                    answers[planned.id] = {"value": planned.calculate(answers, shown)}
                continue
            required = planned.item.required or self.section_required or (
                visible and planned.required_cond is not None
                and planned.required_cond(answers, shown))
            check = _ItemCheck(planned, answer, self.errors, prefix + planned.id, required)
            check.run(visible, section_shown, self.planned_section)
            if visible and planned.item.constraint is not None and check.value_ok:
                check.constraint(answers, shown)

    def instances(self, answers: Mapping[str, Any], shown: dict[str, bool],
                  section_shown: bool) -> None:
        section = self.planned_section.section
        rule = self.planned_section.repeat
        prefix = f"answers.{section.id}"
        raw = answers.get(section.id)
        if not section_shown:
            if raw:
                self._add(prefix, "answered, but the section is not shown: it shows only when "
                          + condition_text(section.show_if))
            return
        raw = [] if raw is None else raw
        if not isinstance(raw, list):
            self._add(prefix, "must be a list of instances {label, answers}")
            return
        if not rule.min <= len(raw) <= rule.max:
            self._add(prefix, f"needs {rule.min}-{rule.max} instances ({rule.label.en}), "
                              f"got {len(raw)}")
        labels: set[str] = set()
        for index, instance in enumerate(raw):
            here = f"{prefix}[{index}]"
            if not isinstance(instance, Mapping) or not {"label", "answers"}.issuperset(instance):
                self._add(here, "must be an object {label, answers}")
                continue
            label = instance.get("label")
            if not isinstance(label, str) or not label.strip() or len(label) > MAX_LABEL:
                self._add(f"{here}.label", f"required: the {rule.label.en} "
                                           f"(1-{MAX_LABEL} characters)")
            elif label in labels:
                self._add(f"{here}.label", f"{label!r} is already used by another instance")
            else:
                labels.add(label)
            own = instance.get("answers", {})
            if not isinstance(own, Mapping):
                self._add(f"{here}.answers", "must be an object mapping item ids to answers")
                continue
            known = {p.id for p in self.section_items}
            for key in own:
                if key not in known:
                    self._add(f"{here}.answers.{key}", "not an item of this section")
            self.items(instance_scope(answers, instance), dict(shown), True, f"{here}.answers.")

    def _add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


class _ItemCheck:
    """Checks one item's answer, filing errors under ``<prefix>.<field>``."""

    def __init__(self, planned: PlannedItem, answer: Any, errors: dict[str, list[str]],
                 prefix: str, required: bool):
        self.planned, self.item, self.answer, self.errors = planned, planned.item, answer, errors
        self.prefix, self.required = prefix, required
        self.value_ok = False

    def add(self, field: str | None, message: str) -> None:
        key = f"{self.prefix}.{field}" if field else self.prefix
        self.errors.setdefault(key, []).append(message)

    def run(self, visible: bool, section_shown: bool, planned_section) -> None:
        answer = self.answer
        absent = answer is None or (type(answer) is dict and not answer)
        if not visible:
            if not absent:
                self.add(None, "answered, but the item is not shown: " + self._why_hidden(
                    section_shown, planned_section))
            return
        if absent:
            if self.required:
                self.add("photos" if self.item.type == "photo" else "value", "required")
            return
        if type(answer) is not dict and not isinstance(answer, Mapping):  # dict: no ABC check
            self.add(None, "must be an object {value, na, defects, photos, note}")
            return
        if not ANSWER_FIELDS.issuperset(answer):
            for key in answer:
                if key not in ANSWER_FIELDS:
                    self.add(str(key), "unknown field")
        photos = answer.get("photos")  # absent in most answers: no call for them
        photos_ok = True if photos is None else self._photos(photos, "photos")
        note = answer.get("note")
        if note is not None:
            self._note(note, "note", MAX_NOTE)
        if "na" in answer and self._na(answer):
            return
        value = answer.get("value")
        if "value" in answer:
            message = value_error(self.item, value)
            if message:
                self.add("value", message)
                return
            self.value_ok = True
        elif self.item.type != "photo":
            self.add("value", "required (or answer na)" if self.item.allow_na else "required")
            return
        if self.item.type == "photo":
            self._photo_count(answer.get("photos") or [], photos_ok)
        failure = self.planned.failure(value) if self.planned.failable else None
        self._defects(answer.get("defects"), value)
        if failure is not None and self.item.evidence is not None:
            self._evidence(answer)

    def _why_hidden(self, section_shown: bool, planned_section) -> str:
        if not section_shown:
            cond = planned_section.section.show_if
            return f"its section shows only when {condition_text(cond)}"
        return f"it shows only when {condition_text(self.item.show_if)}"

    def constraint(self, answers: Mapping[str, Any], shown: Mapping[str, bool]) -> None:
        """The item's rule over its value (and earlier ones), when every value it reads is there.

        A rule is judged only on complete data: a missing other reading is
        ``required``'s business, not a reason to refuse this one.
        """
        rule = self.item.constraint
        values = answered_values(rule.rule.reads, answers, shown)
        if any(v is None for v in values.values()):
            return
        if not truthy(rule.rule.evaluate(values)):
            self.add("value", f"{rule.message.en} ({rule.message.zh})")

    def _na(self, answer: Mapping) -> bool:
        if "na" not in answer:
            return False
        na = answer["na"]
        if not isinstance(na, bool):
            self.add("na", "must be true or false")
            return True
        if not na:
            return False
        if not self.item.allow_na:
            self.add("na", "this item cannot be answered N/A")
        for key in ("value", "defects"):
            if key in answer:
                self.add(key, "not allowed together with na")
        return True

    def _photos(self, photos: Any, field: str) -> bool:
        if photos is None:
            return True
        if not isinstance(photos, list) or len(photos) > MAX_PHOTOS:
            self.add(field, f"must be a list of at most {MAX_PHOTOS} sha256 references")
            return False
        bad = [i for i, p in enumerate(photos) if not is_sha256(p)]
        if bad:
            self.add(f"{field}[{bad[0]}]", "must be a sha256: 64 lowercase hex digits")
            return False
        if len(set(photos)) != len(photos):
            self.add(field, "the same photo is listed twice")
            return False
        return True

    def _note(self, note: Any, field: str, limit: int) -> None:
        if note is not None and (not isinstance(note, str) or len(note) > limit):
            self.add(field, f"must be a string of at most {limit} characters")

    def _photo_count(self, photos: list, photos_ok: bool) -> None:
        if not photos_ok:
            return
        low = max(self.item.min_count, 1 if self.required else 0)
        if not low <= len(photos) <= self.item.max_count:
            self.add("photos", f"needs {low}-{self.item.max_count} photos, got {len(photos)}")

    def _defects(self, defects: Any, value: Any) -> None:
        is_deduction = self.planned.mode == DEDUCTION
        if defects is None:
            if is_deduction and value == "fail":
                self.add("defects", "a failed deduction item needs at least one defect")
            return
        if self.item.type != "check" or value != "fail":
            self.add("defects", "defects are only listed on a check item answered 'fail'")
            return
        if not isinstance(defects, list) or len(defects) > MAX_DEFECTS:
            self.add("defects", f"must be a list of at most {MAX_DEFECTS} defects")
            return
        if not defects and is_deduction:
            self.add("defects", "a failed deduction item needs at least one defect")
        seen_criteria: set[str] = set()
        for index, defect in enumerate(defects):
            self._defect(index, defect, is_deduction, seen_criteria)

    def _defect(self, index: int, defect: Any, is_deduction: bool, seen: set[str]) -> None:
        field = f"defects[{index}]"
        if not isinstance(defect, Mapping):
            self.add(field, "must be an object {criterion, deduction, note, location, photos}")
            return
        for key in defect:
            if key not in DEFECT_FIELDS:
                self.add(f"{field}.{key}", "unknown field")
        self._photos(defect.get("photos"), f"{field}.photos")
        self._note(defect.get("note"), f"{field}.note", MAX_NOTE)
        self._note(defect.get("location"), f"{field}.location", MAX_LOCATION)
        self._criterion(field, defect.get("criterion"), seen)
        if is_deduction:
            self._deduction_points(field, defect)
        elif "deduction" in defect:
            self.add(f"{field}.deduction", "this item is not scored by deduction")

    def _criterion(self, field: str, criterion: Any, seen: set[str]) -> None:
        criteria = self.item.criteria_by_id
        if not criteria:
            if criterion is not None:
                self.add(f"{field}.criterion", "this item lists no criteria")
            return
        if criterion is None:
            self.add(f"{field}.criterion", "required: name the missing criterion "
                                           f"({', '.join(criteria)})")
        elif not isinstance(criterion, str) or criterion not in criteria:
            self.add(f"{field}.criterion", f"unknown criterion (one of {', '.join(criteria)})")
        elif criterion in seen:
            self.add(f"{field}.criterion", f"criterion {criterion!r} is already counted")
        else:
            seen.add(criterion)

    def _deduction_points(self, field: str, defect: Mapping) -> None:
        rule = self.item.deduction
        if "deduction" not in defect:
            if not rule.fixed:
                self.add(f"{field}.deduction", f"required: pick {rule.min:g}-{rule.max:g}")
            return
        points = defect["deduction"]
        if not is_number(points):
            self.add(f"{field}.deduction", "must be a number")
        elif not rule.min <= points <= rule.max:
            allowed = f"{rule.min:g}" if rule.fixed else f"{rule.min:g}-{rule.max:g}"
            self.add(f"{field}.deduction", f"{points:g} is outside the allowed {allowed}")

    def _evidence(self, answer: Mapping) -> None:
        rule = self.item.evidence
        if rule.scope == "answer":
            self._require_evidence(answer, "", rule)
            return
        defects = answer.get("defects")
        if not isinstance(defects, list):
            self.add("defects", "a failed answer must list its defects (with evidence)")
            return
        if not defects and self.planned.mode != DEDUCTION:
            self.add("defects", "a failed answer must list at least one defect")
        for index, defect in enumerate(defects):
            if isinstance(defect, Mapping):
                self._require_evidence(defect, f"defects[{index}].", rule)

    def _require_evidence(self, holder: Mapping, prefix: str, rule) -> None:
        photos = holder.get("photos")
        count = len(photos) if isinstance(photos, list) else 0
        if count < rule.photos:
            self.add(f"{prefix}photos", f"evidence required: at least {rule.photos} photo(s) "
                                        f"for a failed answer, got {count}")
        if rule.note and not _non_blank(holder.get("note")):
            self.add(f"{prefix}note", "evidence required: a note explaining the failure")
        if rule.location and not _non_blank(holder.get("location")):
            self.add(f"{prefix}location", "evidence required: where the defect is")


def _non_blank(text: Any) -> bool:
    return isinstance(text, str) and bool(text.strip())
