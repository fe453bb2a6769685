"""A round's page labels each visit's answers by the checklist version the visit names,
says when it had to take the newest one, and shows the answer flags in words."""
from __future__ import annotations

import pytest

from tests.integration.patrol.site_setup import GuardDevice, PatrolSite
from tests.integration.patrol.test_round_timelines import round_args
from tests.unit.patrol.builders import walk

ON_TIME_WALK = ["22:05", "22:07", "22:09", "22:11", "22:13"]


@pytest.fixture
def walked(client, team, app_store):
    """Push one round for the 22:00 occurrence with these visits, after gate-check v1 and
    v2 were published and made cp2's checklist."""
    site = PatrolSite(client, team, app_store)
    site.set_up()
    site.gate_checklist(1, 2)

    def push(visits: dict) -> None:
        args = round_args(site.occurrence("2026-11-02T22:00"), walk(ON_TIME_WALK), "22:02",
                          finished="22:14") | {"visits": visits}
        [answer] = GuardDevice(client, team.headers["guard"]).push(args)
        assert answer["status"] == "applied", answer
    return push


def visit_html(page, checkpoint_id: str) -> str:
    start = page.text.index(f'data-checkpoint="{checkpoint_id}"')
    return page.text[start:page.text.index('id="flags"')]


def round_page(web, lang: str):
    page = web("supervisor-a", **{"Accept-Language": lang}).get(
        "/patrol/rounds/round-1", headers={"Accept-Language": lang})
    assert page.status_code == 200
    return page


def test_a_visit_naming_version_1_is_labelled_by_it_after_version_2_was_published(web, walked):
    walked({"cp2": {"answers": {"g.barrier": {"value": "pass"}, "g.staff": {"value": 2}},
                    "checklist_id": "gate-check", "checklist_version": 1}})
    cp2 = visit_html(round_page(web, "en"), "cp2")
    assert "Barrier works" in cp2 and "Staff on duty" in cp2 and ">2 人<" in cp2
    assert "Gate arm works" not in cp2 and "Guards at the gate" not in cp2
    assert "Answered on checklist gate-check, version 1." in cp2
    assert 'class="answer-problems"' not in cp2


def test_a_visit_of_an_older_app_is_labelled_by_the_newest_version_and_says_so(web, walked):
    walked({"cp2": {"answers": {"g.staff": {"value": 2}}}})
    cp2 = visit_html(round_page(web, "en"), "cp2")
    assert "Guards at the gate" in cp2
    assert ("The round does not say which version of checklist gate-check was answered. "
            "Labelled by its newest version, 2.") in cp2
    zh = visit_html(round_page(web, "zh"), "cp2")
    assert "本次巡更没有说明所答的是检查表gate-check的哪个版本。按其最新版本(第2版)显示。" in zh


def test_out_of_rule_answers_are_shown_as_sent_with_their_problems_in_words(web, walked):
    walked({"cp2": {"answers": {"g.barrier": {"value": "pass"}, "g.staff": {"value": "two"}},
                    "checklist_id": "gate-check", "checklist_version": 1}})
    page = round_page(web, "en")
    cp2 = visit_html(page, "cp2")
    assert "Staff on duty" in cp2 and ">two 人<" in cp2
    assert ("1栋: an answer breaks checklist gate-check v1: visits.cp2.answers.g.staff.value"
            " — must be a number") in cp2
    flags = page.text[page.text.index('id="flags"'):]
    assert "answer breaks its checklist" in flags
    zh = round_page(web, "zh")
    assert "「1栋」的答案不符合检查表gate-check v1: visits.cp2.answers.g.staff.value — " \
           "must be a number" in visit_html(zh, "cp2")
    assert "答案不符合检查表" in zh.text[zh.text.index('id="flags"'):]


def test_a_version_this_server_does_not_have_is_said_so(web, walked):
    walked({"cp2": {"answers": {"g.staff": {"value": 2}}, "checklist_id": "gate-check",
                    "checklist_version": 5}})
    cp2 = visit_html(round_page(web, "en"), "cp2")
    assert ("Answered on checklist gate-check, version 5, which this server does not have. "
            "Labelled by its newest version, 2.") in cp2
    assert "checklist gate-check v5, which the server does not have" in cp2
