"""Review and re-inspection on the device: what was pulled about a result, and the queue.

A result's review (state and log) and an original's rectification arrive
with the result itself in its site's bucket, so everything here reads the
pulled store; reviewing queues a ``review_result`` mutation (checked with
the server's own schema first) that the next push delivers.
"""
from __future__ import annotations

from marshmallow import ValidationError

from checklists.workflow import reinspection, review
from sync.mutation_args import ReviewResult

from .answers_template import Template, reinspection_template
from .errors import InvalidInput
from .pulled import PulledStore

RESULTS = "results"


def pulled_result(pulled: PulledStore, result_id: str) -> dict:
    doc = pulled.record(RESULTS, result_id)
    if doc is None:
        raise InvalidInput(f"result {result_id} is not on this device (run `fieldsync device "
                           f"pull`; `results` lists what is)")
    return doc


def answers_in_force(pulled: PulledStore, original: dict) -> dict:
    """The original's answers after its latest pulled re-inspection round."""
    latest = (original.get("rectification") or {}).get("latest")
    doc = pulled.record(RESULTS, latest) if latest else None
    return (doc or original)["answers"]


def template_for(pulled: PulledStore, result_id: str) -> Template:
    original = pulled_result(pulled, result_id)
    if original.get("reinspection"):
        raise InvalidInput(f"result {result_id} is a re-inspection; re-inspect "
                           f"{original['reinspection']['of']} (the original)")
    return reinspection_template(original, answers_in_force(pulled, original))


def reinspection_preview_answers(pulled: PulledStore, original: dict, answers: dict) -> dict:
    """What the server will score: the answers in force overlaid by the re-checked ones."""
    try:
        return reinspection.overlay(answers_in_force(pulled, original), answers)
    except reinspection.ReinspectionInvalid as bad:
        raise InvalidInput(bad.message, {bad.field: [bad.message]}) from None


def review_args(pulled: PulledStore, result_id: str, to: str, *, from_state: str | None,
                reason: str | None) -> dict:
    """The ``review_result`` args; ``from`` defaults to the state this device last pulled."""
    if from_state is None:
        from_state = review.current_state(pulled_result(pulled, result_id).get("review"))
    args = {"result_id": result_id, "from": from_state, "to": to}
    if reason:
        args["reason"] = reason
    try:
        ReviewResult().load(args)
    except ValidationError as exc:
        raise InvalidInput("invalid review", exc.messages) from None
    if to in review.REASON_REQUIRED and not (reason or "").strip():
        raise InvalidInput(f"a reason is required to move a result to {to}")
    return args
