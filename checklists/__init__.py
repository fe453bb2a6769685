"""Checklist domain: definitions, answers, scoring, built-in templates.

Pure Python (no Flask, no store): the server validates and scores with it,
devices preview scores with the very same code.

Typical use (what an API route does, each step one call)::

    definition = load_definition(body)              # DefinitionInvalid(.errors) if bad
    validate_answers(definition, answers)           # AnswersInvalid(.errors) if bad
    report = score_result(definition, answers)      # ScoreReport; report.to_dict()

Formats:

* definition — see :mod:`checklists.schema` (``DefinitionSchema`` is a real
  marshmallow schema, usable with flask-smorest for bodies and OpenAPI);
* answers — see :mod:`checklists.answers`;
* score report — see :mod:`checklists.report` and rules in :mod:`checklists.scoring`;
* lifecycle (draft → published → retired) — :mod:`checklists.lifecycle`;
* rescoring after a rule fix — :func:`rescore`.

Error paths are flat: ``sections[2].items[5].deduction.max`` for definitions,
``answers.<item_id>.<field>`` for answers, and every error is listed at once.
"""
from checklists.answers import answer_errors, validate_answers
from checklists.builtin import builtin_definition, builtin_definitions
from checklists.definitions import (
    load_definition, load_definition_file, load_definition_text, parse_definition_text,
)
from checklists.errors import AnswersInvalid, ChecklistError, DefinitionInvalid
from checklists.logic import visible_items
from checklists.model import Definition, Item, Section
from checklists.report import RULES_VERSION, ScoreReport
from checklists.rescore import ScoreChange, WrongDefinitionVersion, rescore
from checklists.schema import DefinitionSchema
from checklists.score_record import explain_record
from checklists.scoring import evaluate, score_result

__all__ = [
    "AnswersInvalid", "ChecklistError", "Definition", "DefinitionInvalid", "DefinitionSchema",
    "Item", "RULES_VERSION", "ScoreChange", "ScoreReport", "Section", "WrongDefinitionVersion",
    "answer_errors", "builtin_definition", "explain_record", "builtin_definitions", "evaluate", "load_definition",
    "load_definition_file", "load_definition_text", "parse_definition_text", "rescore",
    "score_result", "validate_answers", "visible_items",
]
