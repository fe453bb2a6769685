"""Re-inspection: re-checking the open items of an earlier result until none remain.

A re-inspection is a result of its own that names the result it re-checks
(``reinspects``) and answers only the items it re-checked. What the site
looks like after rectification is the original's answers with every
re-checked item replaced by its *latest* re-checked answer (rounds overlay
in order of arrival), scored by the engine like any answers. The original's
stored score -- the score at inspection -- is never overwritten; the
original carries a ``rectification`` block beside it: the rounds (who,
when, the score after each), the score after the latest round, the items
still open, and ``closed_out`` (消项, seed 004: no failed item remains).

A re-inspection may re-check any item of the checklist (a related item may
need a new answer too); the answers template offers the open ones. It
re-checks the *current* original: not a superseded version, not another
re-inspection (rounds always hang off the original), same site and the
same checklist version (item ids must mean the same thing).
"""
from __future__ import annotations

import copy
from typing import Any, Mapping


class ReinspectionInvalid(ValueError):
    """A re-inspection that cannot be recorded; ``code`` and ``field`` say why and where."""

    def __init__(self, code: str, field: str, message: str):
        super().__init__(message)
        self.code, self.field, self.message = code, field, message


def check_target(original: Mapping[str, Any] | None, *, original_id: str, site_id: str,
                 checklist: Mapping[str, Any]) -> None:
    """Raise ``ReinspectionInvalid`` unless ``original`` may be re-inspected by this result."""
    if original is None or original["site_id"] != site_id:  # one answer: ids are not leaked
        raise ReinspectionInvalid("invalid_reference", "reinspects",
                                  f"result {original_id} is no result at this site")
    if original.get("reinspection"):
        raise ReinspectionInvalid(
            "invalid_reference", "reinspects",
            f"result {original_id} is itself a re-inspection; re-inspect "
            f"{original['reinspection']['of']} (the original)")
    if original.get("superseded_by"):
        raise ReinspectionInvalid(
            "invalid_reference", "reinspects",
            f"result {original_id} was corrected by {original['superseded_by'][-1]}; "
            f"re-inspect that version")
    ref = original["checklist"]
    if (ref["id"], ref["version"]) != (checklist["id"], checklist["version"]):
        raise ReinspectionInvalid(
            "checklist_mismatch", "checklist",
            f"a re-inspection of {original_id} uses its checklist {ref['id']}@{ref['version']}")
    if not original.get("score"):
        raise ReinspectionInvalid("invalid_reference", "reinspects",
                                  f"result {original_id} has no score to rectify")


def overlay(base: Mapping[str, Any], rechecked: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` answers with each re-checked answer in place of the old one.

    A repeated section (a list of ``{label, answers}`` instances) is overlaid
    instance by instance, by position: instance *n* of the re-check updates
    the answers of instance *n* of the original (labels stay the original's).
    """
    out = copy.deepcopy(dict(base))
    for key, answer in rechecked.items():
        old = out.get(key)
        if isinstance(old, list) or isinstance(answer, list):
            out[key] = _overlay_instances(key, old, answer)
        else:
            out[key] = copy.deepcopy(answer)
    return out


def _overlay_instances(key: str, old: Any, new: Any) -> list:
    if not (isinstance(old, list) and isinstance(new, list)):
        raise ReinspectionInvalid("invalid_answers", f"answers.{key}",
                                  f"{key} is a repeated section in one result and not in the "
                                  f"other: re-check it as a list of instances")
    if len(new) > len(old):
        raise ReinspectionInvalid("invalid_answers", f"answers.{key}",
                                  f"the original has {len(old)} instance(s) of {key}; a "
                                  f"re-inspection re-checks those, it adds none")
    out = copy.deepcopy(old)
    for n, instance in enumerate(new):
        answers = instance.get("answers") if isinstance(instance, dict) else None
        if not isinstance(answers, dict):
            raise ReinspectionInvalid("invalid_answers", f"answers.{key}.{n}",
                                      "an instance is {\"answers\": {...}}")
        out[n] = {**out[n], "answers": {**(out[n].get("answers") or {}),
                                        **copy.deepcopy(answers)}}
    return out


def open_items(score: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The failed or flagged items of a score record (``{item_id, reason[, instance]}``)."""
    return [dict(flag) for flag in (score or {}).get("flags", ())]


def round_number(original: Mapping[str, Any]) -> int:
    return len((original.get("rectification") or {}).get("rounds", ())) + 1


def record_round(original: Mapping[str, Any], *, result_id: str, score: Mapping[str, Any],
                 at: str, by: str, role: str) -> dict[str, Any]:
    """The original's ``rectification`` once re-inspection ``result_id`` scored ``score``."""
    before = original.get("rectification") or {}
    rounds = [*before.get("rounds", ()), {
        "round": round_number(original), "result_id": result_id, "at": at, "by": by,
        "role": role, **numbers(score), "open_items": len(open_items(score))}]
    return rescored({"rounds": rounds, "latest": result_id}, score)


def rescored(rectification: Mapping[str, Any], score: Mapping[str, Any]) -> dict[str, Any]:
    """``rectification`` with ``score`` as the latest round's score (also after a rescore:
    the score after and what is open follow it; each round keeps the score it had)."""
    still_open = open_items(score)
    return {**rectification, "score_after": dict(score), "open_items": still_open,
            "closed_out": not still_open}


def numbers(score: Mapping[str, Any] | None) -> dict[str, Any]:
    """The summary of a score record: total, max, percent, band."""
    score = score or {}
    return {k: score.get(k) for k in ("total", "max", "percent", "band")}
