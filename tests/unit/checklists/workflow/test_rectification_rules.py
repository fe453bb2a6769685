"""What a re-inspection does to the tickets of its original: a supervisor's moves them
(never verifying their own fix), anyone else's leaves the finding as a comment."""
from checklists.actors import Actor
from checklists.workflow.acting import Acting
from checklists.workflow.rectification import follow_up, rechecked_items

SUPERVISOR = Actor("u-sup", "supervisor", {"s1"})
ENGINEER = Actor("u-eng", "engineer", {"s1"})
AT = "2026-11-29T10:00:00+00:00"


def ticket(status, fixer="u-eng"):
    history = [{"from": "in_progress", "to": "fixed", "by": fixer}] if status != "open" else []
    return {"id": "r1:a", "site_id": "s1", "status": status, "assignee": "u-eng",
            "fix": {"by": fixer} if status != "open" else None, "history": history}


def test_only_plainly_rechecked_items_are_judged():
    verdicts = rechecked_items({"a": {"value": "pass"}, "b": {"value": "fail"},
                                "rooms": [{"x": {"value": "fail"}}]},
                               [{"item_id": "b"}, {"item_id": "x", "instance": 0}])
    assert verdicts == {"a": True, "b": False}


def test_a_supervisors_reinspection_verifies_a_fix_that_holds_and_reopens_one_that_does_not():
    acting = Acting(SUPERVISOR, AT)
    assert follow_up(ticket("fixed"), True, "r2", acting).to == "verified"
    assert follow_up(ticket("fixed"), False, "r2", acting).to == "reopened"
    assert follow_up(ticket("verified"), False, "r2", acting).to == "reopened"
    assert follow_up(ticket("verified"), True, "r2", acting).to is None  # already verified


def test_the_fixer_and_field_roles_leave_a_comment_instead():
    own_fix = follow_up(ticket("fixed", fixer="u-sup"), True, "r2", Acting(SUPERVISOR, AT))
    assert own_fix.to is None and "r2" in own_fix.note
    by_engineer = follow_up(ticket("fixed"), False, "r2", Acting(ENGINEER, AT))
    assert by_engineer.to is None and by_engineer.note.startswith("复查 r2: 仍不合格")


def test_a_closed_ticket_is_left_alone():
    assert follow_up(ticket("closed"), False, "r2", Acting(SUPERVISOR, AT)) is None
