"""The register entry's validation, watch items and the guard view of seed 003's categories."""
from __future__ import annotations

import json

import pytest

from checklists.households import (
    HouseholdInvalid, guard_view, load_household, monthly_changes, watch_items,
)

from .builders import ID_NUMBER, NAME, PHONE, TODAY, elderly_body, rental_body, stored


def refused(body, today=TODAY) -> dict:
    with pytest.raises(HouseholdInvalid) as caught:
        load_household(body, today)
    return caught.value.errors


def test_a_valid_record_loads_to_json_with_iso_dates():
    doc = load_household(rental_body(), TODAY)
    assert doc["helpers"][0]["pass_expires"] == "2026-11-20"
    assert doc["welfare_after_days"] == 3
    json.dumps(doc)  # storable as it is


@pytest.mark.parametrize("changes, field", [
    ({"categories": []}, "categories"),
    ({"categories": ["rental", "landlord"]}, "categories[1]"),
    ({"categories": ["rental", "rental"]}, "categories"),
    ({"building": "  "}, "building"),
    ({"tenancy": None}, "tenancy"),
    ({"occupants": [{"phone": "1"}]}, "occupants[0].name"),
    ({"helpers": [{"kind": "nanny", "name": "x", "pass_issued": "2026-01-01",
                   "pass_expires": "2026-04-02"}]}, "helpers[0].pass_expires"),
    ({"helpers": [{"kind": "nanny", "name": "x", "pass_issued": "2026-01-01",
                   "pass_expires": "2025-12-31"}]}, "helpers[0].pass_expires"),
    ({"going_out_notices": [{"from": "2026-11-10", "to": "2026-11-01"}]},
     "going_out_notices[0].to"),
    ({"visitor_log": [{"at": "2026-11-01T10:00:00", "name": "x"}]}, "visitor_log[0].at"),
    ({"welfare_after_days": 0}, "welfare_after_days"),
    ({"colour": "red"}, "colour"),
])
def test_bad_fields_are_named(changes, field):
    assert field in refused(rental_body(**changes))


def test_three_months_to_the_day_is_the_longest_pass():
    helper = {"kind": "nanny", "name": "x", "pass_issued": "2026-01-31",
              "pass_expires": "2026-04-30"}
    assert load_household(rental_body(helpers=[helper]), TODAY)["helpers"][0] == helper


def test_elderly_living_alone_needs_someone_aged_60_on_the_day():
    young = elderly_body(occupants=[{"name": NAME, "birth_date": "1966-11-16"}])
    assert "occupants" in refused(young)  # turns 60 tomorrow
    load_household(young, TODAY.replace(day=16))
    assert "occupants" in refused(elderly_body(occupants=[{"name": NAME}]))


def test_late_pregnancy_needs_the_due_date():
    assert "due_date" in refused(elderly_body(categories=["late_pregnancy"]))


def test_watch_items_per_category():
    rental = watch_items(stored(rental_body(), "h1"))
    assert [c["category"] for c in rental] == ["rental"]
    assert [w["code"] for w in rental[0]["watch"]] == [
        "rental.use_of_unit", "rental.hazardous_goods", "rental.goods_removal_pass"]
    vulnerable = watch_items(stored(elderly_body(categories=["elderly_alone",
                                                            "high_risk_illness"]), "h2"))
    codes = [w["code"] for c in vulnerable for w in c["watch"]]
    assert codes == ["vulnerable.comings_goings", "vulnerable.not_seen"]  # each once


def test_bad_credit_is_not_shown_to_guards():
    only_credit = stored(rental_body(categories=["bad_credit"], tenancy=None), "h3")
    assert watch_items(only_credit) == []
    view = guard_view("site-a", [only_credit], "2026-11-15T00:00:00Z")
    assert view["households"] == []


def test_the_guard_view_has_no_personal_field():
    households = [stored(elderly_body(notes=f"{NAME} 心脏病"), "h1"), stored(rental_body(), "h2")]
    view = guard_view("site-a", households, "2026-11-15T00:00:00Z")
    text = json.dumps(view, ensure_ascii=False)
    for secret in (NAME, PHONE, ID_NUMBER, "李租客", "张阿姨", "王小明", "1945", "心脏病"):
        assert secret not in text
    first = view["households"][0]
    assert (first["building"], first["unit"], first["checkpoint_tag"]) == ("1", "1203", None)
    assert set(first) == {"household_id", "building", "unit", "checkpoint_tag", "categories"}


def test_change_list_per_team():
    rental, elderly = stored(rental_body(), "h1"), stored(elderly_body(), "h2")
    record = stored(rental_body(categories=["criminal_record"], tenancy=None,
                                building="9"), "h3")
    before = [rental, elderly, record]
    moved = {**rental, "unit": "1204"}
    gone_credit = stored(rental_body(categories=["bad_credit"], tenancy=None), "h4")
    changes = monthly_changes(before, [moved, record, gone_credit])
    security = changes["security"]
    assert [(e["household_id"], e["changed_fields"]) for e in security["changed"]] == [
        ("h1", ["unit"])]
    assert [e["household_id"] for e in security["added"]] == ["h4"]
    assert [e["household_id"] for e in security["removed"]] == ["h2"]
    cleaning = changes["cleaning"]
    assert cleaning["added"] == []  # bad credit is not the cleaners' business
    assert [e["household_id"] for e in cleaning["removed"]] == ["h2"]
    assert all(e["household_id"] != "h3" for lists in (changes["cleaning"], changes["repair"])
               for entries in lists.values() for e in entries)
    assert [e["household_id"] for e in changes["repair"]["added"]] == ["h4"]
    text = json.dumps(changes, ensure_ascii=False)
    assert "李租客" not in text and NAME not in text


def test_an_unchanged_register_has_an_empty_change_list():
    same = [stored(rental_body(), "h1")]
    assert all(not entries for lists in monthly_changes(same, same).values()
               for entries in lists.values())
