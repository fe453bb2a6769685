"""A visit's answers judged by the checklist version the device says it rendered.

The same answer rules as an inspection result's (:func:`checklists.answers.
answer_errors`), but nothing here refuses: a round is evidence of a walk, so
answers that break their checklist's rules, a version the server does not
have, or a checklist that is not the checkpoint's are kept as sent and each
becomes a flag on the round's verdict, on its checkpoint, with the path and
message a result's refusal would have given. Visits naming no version (rounds
of older apps) are not judged: which version they answered is unknown.

The service loads the versions :func:`named_checklists` lists (a version it
does not have maps to ``None``) into ``JudgeContext.checklists``.
"""
from __future__ import annotations

from checklists.answers import answer_errors
from checklists.patrol.context import JudgeContext
from checklists.patrol.model import RoundResult
from checklists.patrol.verdict import Flag

#: a visit's answer problems flagged one by one; the rest are counted in one more flag
#: (a device sending thousands of bad answers must not make a verdict of thousands of lines)
MAX_PROBLEMS_PER_VISIT = 20


def named_checklists(result: RoundResult) -> set[tuple[str, int]]:
    """The ``(checklist_id, version)`` pairs the round's visits were answered against."""
    return {visit.checklist for visit in result.visits.values() if visit.checklist is not None}


def answer_flags(result: RoundResult, context: JudgeContext) -> list[Flag]:
    """Per visit naming its checklist version: the checklist not the checkpoint's
    (``checklist_not_checkpoints``), a version not known (``checklist_unknown``), each
    answer problem (``answer_invalid``: path and message) and how many more there were."""
    flags: list[Flag] = []
    for checkpoint_id, visit in result.visits.items():
        named = visit.checklist
        if named is None:
            continue
        about = {"name": context.name_of(checkpoint_id), "checklist_id": named[0],
                 "version": named[1]}
        checkpoint = context.checkpoints.get(checkpoint_id)
        if checkpoint is not None and checkpoint.checklist_id != named[0]:
            flags.append(Flag("checklist_not_checkpoints",
                              {**about, "expected": checkpoint.checklist_id or "–"},
                              checkpoint_id))
        definition = context.checklists.get(named)
        if definition is None:
            flags.append(Flag("checklist_unknown", about, checkpoint_id))
            continue
        problems = [(f"visits.{checkpoint_id}.{path}", message)
                    for path, messages in answer_errors(definition, visit.answers).items()
                    for message in messages]
        flags.extend(Flag("answer_invalid", {**about, "path": path, "message": message},
                          checkpoint_id)
                     for path, message in problems[:MAX_PROBLEMS_PER_VISIT])
        if len(problems) > MAX_PROBLEMS_PER_VISIT:
            flags.append(Flag("answer_problems_more",
                              {**about, "count": len(problems) - MAX_PROBLEMS_PER_VISIT},
                              checkpoint_id))
    return flags
