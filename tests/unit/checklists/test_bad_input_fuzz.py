"""Garbage in never crashes: it is refused with path-named errors, or accepted and scorable."""
from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import checklists
from checklists import builtin_definition

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)

TEMPLATES = {tid: builtin_definition(tid) for tid in ("cs-supervision", "handover-acceptance",
                                                       "night-patrol", "building-maintenance-plan")}
DEFINITIONS = {tid: checklists.load_definition(data) for tid, data in TEMPLATES.items()}

ANSWER_KEYS = st.sampled_from(["value", "na", "defects", "photos", "note", "bogus"])
DEFECT = st.dictionaries(st.sampled_from(["criterion", "deduction", "note", "location", "photos"]),
                         json_values, max_size=5)
ANSWER = st.dictionaries(ANSWER_KEYS, st.one_of(json_values, st.lists(DEFECT, max_size=3),
                                                st.sampled_from(["pass", "fail"])), max_size=5)


def paths(data, prefix=()):
    """Every (path, value) of a JSON document, for picking a place to corrupt."""
    yield prefix, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, prefix + (index,))


@SETTINGS
@given(st.sampled_from(sorted(TEMPLATES)), st.data())
def test_a_corrupted_definition_is_refused_with_errors_or_still_valid(template_id, data):
    doc = copy.deepcopy(TEMPLATES[template_id])
    for _ in range(data.draw(st.integers(1, 3))):
        candidates = [p for p, _ in paths(doc) if p]
        path = data.draw(st.sampled_from(candidates))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(json_values)
    try:
        definition = checklists.load_definition(doc)
    except checklists.DefinitionInvalid as err:
        assert err.errors and all(isinstance(k, str) and v for k, v in err.errors.items())
        return
    assert checklists.load_definition(definition.to_dict()) == definition


@SETTINGS
@given(st.sampled_from(sorted(DEFINITIONS)), st.data())
def test_garbage_answers_are_refused_with_item_paths_or_scored(template_id, data):
    definition = DEFINITIONS[template_id]
    item_ids = st.sampled_from(sorted(definition.items_by_id))
    answers = data.draw(st.dictionaries(st.one_of(item_ids, st.text(max_size=5)),
                                        st.one_of(ANSWER, json_values), max_size=8))
    try:
        checklists.validate_answers(definition, answers)
    except checklists.AnswersInvalid as err:
        assert err.errors and all(k.startswith("answers") for k in err.errors)
        return
    report = checklists.score_result(definition, answers)
    assert report.to_dict()["rules_version"] == checklists.RULES_VERSION
