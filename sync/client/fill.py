"""Filling a checklist offline: the ``submit_result`` mutation and a score preview.

Everything is checked here, before anything is queued, with the server's
own code: the mutation args with ``sync.mutation_args.SubmitResult`` and the
answers with ``checklists`` against the pulled definition version. An
inspector learns about a wrong answer while still on site, not after the
server rejected it hours later; and the preview score is the score the
server will compute (same engine, same definition version).
"""
from __future__ import annotations

import copy
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from marshmallow import ValidationError

import checklists
from sync.mutation_args import SubmitResult

from .errors import InvalidInput


@dataclass(frozen=True)
class PhotoInput:
    """A photo to attach: a file, optional vector markup, optional item it documents."""

    path: str
    annotations: dict | None = None  # sync.annotations.AnnotationsSchema: {"shapes": [...]}
    item: str | None = None

    @classmethod
    def of(cls, value) -> "PhotoInput":
        """Accept a ``PhotoInput``, a path, or ``(path, annotations[, item])``."""
        if isinstance(value, PhotoInput):
            return value
        if isinstance(value, str):
            return cls(value)
        return cls(*value)


@dataclass(frozen=True)
class FillReceipt:
    result_id: str
    mutation_id: int | None  # None: recorded before and no longer in this device's outbox
    preview: dict
    photos: list[str]
    already_recorded: bool = False  # a retry: the same result was queued before, nothing new


def new_result_id() -> str:
    return uuid.uuid4().hex


# What makes two submissions of one result_id the same inspection; finished_at is
# stamped at fill time, so a retry of a killed ``fill`` differs there and nowhere else.
SAME_SUBMISSION_FIELDS = ("site_id", "checklist", "answers", "photos", "assignment_id", "gps",
                          "note", "started_at", "reinspects")
SAME_RESULT_FIELDS = ("site_id", "checklist", "answers", "note")  # as a pulled result shows them


def as_sent(pulled: dict) -> dict:
    """A pulled result with the answers its device sent (a re-inspection stores the
    answers in force after it, and keeps the sent ones as ``reinspection.rechecked``)."""
    if not pulled.get("reinspection"):
        return pulled
    return {**pulled, "answers": pulled["reinspection"]["rechecked"]}


def same_content(old: dict, new: dict, fields=SAME_SUBMISSION_FIELDS) -> bool:
    return all(old.get(key) == new.get(key) for key in fields)


def build_submit_args(*, result_id: str, site_id: str, definition: dict, answers: dict,
                      photos: list[tuple[PhotoInput, dict]], assignment_id: str | None = None,
                      gps: dict | None = None, note: str | None = None,
                      started_at: str | None = None, finished_at: str | None = None,
                      reinspects: str | None = None) -> dict:
    """The ``submit_result`` args; photos given an item are cited in that item's answer
    (as the image of a signature item, else in its ``photos``)."""
    if not isinstance(answers, dict):
        raise InvalidInput("answers must be a JSON object keyed by item id")
    answers = copy.deepcopy(answers)
    signatures = _signature_items(definition)
    refs = []
    for photo, described in photos:
        ref = {**described}
        if photo.annotations:
            ref["annotations"] = photo.annotations
        if photo.item:
            ref["item"] = photo.item
            cite_photo(answers, photo.item, described["sha256"], photo.item in signatures)
        refs.append(ref)
    args = {"result_id": result_id, "site_id": site_id,
            "checklist": {"id": definition["id"], "version": definition["version"]},
            "answers": answers, "photos": refs,
            "finished_at": finished_at or datetime.now(timezone.utc).isoformat(timespec="seconds")}
    for key, value in (("assignment_id", assignment_id), ("gps", gps), ("note", note),
                       ("started_at", started_at), ("reinspects", reinspects)):
        if value is not None:
            args[key] = value
    try:
        SubmitResult().load(args)
    except ValidationError as exc:
        raise InvalidInput("invalid result", exc.messages) from None
    return args


def load_pulled(definition: dict) -> checklists.Definition:
    """The model of a pulled definition; ``InvalidInput`` if this app cannot use it."""
    try:
        return checklists.load_definition(definition)
    except checklists.DefinitionInvalid as exc:
        raise InvalidInput(f"the pulled definition {definition.get('id')} is not usable",
                           exc.errors) from None


_INSTANCE_ITEM = re.compile(r"(?P<section>[^\[\]]+)\[(?P<n>\d+)\]\.(?P<item>.+)")


def _answers_holding(answers: dict, path: str) -> tuple[dict, str]:
    """The answers dict an item's answer lives in, and its key.

    ``item`` is top level; ``section[n].item`` is in instance n of a repeated
    section (``answers[section][n]["answers"]``).
    """
    match = _INSTANCE_ITEM.fullmatch(path)
    if match is None:
        return answers, path
    instances = answers.get(match["section"])
    n = int(match["n"])
    if not isinstance(instances, list) or n >= len(instances) \
            or not isinstance(instances[n], dict):
        raise InvalidInput("invalid answers", {f"answers.{match['section']}": [
            f"Has no instance {n} to attach a photo to."]})
    return instances[n].setdefault("answers", {}), match["item"]


def cite_photo(answers: dict, item_id: str, sha256: str, signature: bool) -> None:
    """Put a photo's hash into an item's answer: a signature's image, else its photos.

    ``item_id`` may name an item of a repeated section's instance:
    ``section[n].item``.
    """
    answers, item_id = _answers_holding(answers, item_id)
    answer = answers.setdefault(item_id, {})
    if not isinstance(answer, dict):
        raise InvalidInput("invalid answers", {f"answers.{item_id}": [
            "Must be an object to attach a photo to it."]})
    if signature:
        value = answer.setdefault("value", {})
        if isinstance(value, dict):
            value["image"] = sha256
            return
    cited = answer.setdefault("photos", [])
    if sha256 not in cited:
        cited.append(sha256)


def _signature_items(definition: dict) -> set[str]:
    return {item["id"] for section in definition.get("sections", [])
            for item in section.get("items", []) if item.get("type") == "signature"}


def preview_score(definition: dict, answers: dict) -> dict:
    """Validate ``answers`` and score them exactly as the server will."""
    parsed = load_pulled(definition)
    try:
        return checklists.evaluate(parsed, answers).to_dict()
    except checklists.AnswersInvalid as exc:
        raise InvalidInput("the answers do not fit the checklist", exc.errors) from None
