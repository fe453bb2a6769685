"""A guard (or engineer) never gets a name, phone or ID of a key household: any endpoint, the pull.

Every route of the app is called with a field worker's fresh token (path ids
filled with real ones, so the register's own routes are reached) and each
answer is searched for the file's personal details; then a guard's device
pulls everything it may and the pulled documents are searched the same way.
"""
from __future__ import annotations

import json
import re
import uuid

import pytest

from tests.unit.households.builders import ID_NUMBER, NAME, PHONE, rental_body

from .conftest import sites_url

SECRETS = (NAME, PHONE, ID_NUMBER, "李租客", "13700137000", "张阿姨", "王小明", "13900139000")
_PARAM = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def leaked(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def every_route(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not rule.rule.startswith("/api"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule.rule


def fill(rule: str, ids: dict) -> str:
    return _PARAM.sub(lambda m: ids.get(m.group(1), "x"), rule)


@pytest.fixture
def ids(client, team, register):
    r = client.post(sites_url(team, "welfare-checks"), headers=team.headers["supervisor"],
                    json={"household_id": register["elderly"]["id"], "reason": "not seen"})
    assert r.status_code == 201
    return {"site_id": team.site_a["id"], "household_id": register["elderly"]["id"],
            "check_id": r.get_json()["id"], "user_id": team.users["guard"]["id"]}


@pytest.mark.parametrize("role", ["guard", "engineer"])
def test_no_endpoint_answers_a_field_worker_with_personal_details(app, client, team, accounts,
                                                                  register, ids, role):
    worker = team.users[role]
    reached = 0
    for method, rule in every_route(app):
        path = fill(rule, ids)
        for body in ({}, rental_body()):
            headers = accounts.headers(worker)  # a fresh device: logout or revoke spoil none
            r = client.open(path, method=method, headers=headers, json=body)
            assert not leaked(r.get_data(as_text=True)), (method, rule, r.status_code)
            reached += r.status_code < 400
            if method == "GET":
                break
    assert reached > 5  # the walk did reach real handlers
    # and the register's own doors said no
    for door in ("households", f"households/{ids['household_id']}", "household-audit"):
        assert client.get(sites_url(team, door),
                          headers=accounts.headers(worker)).status_code == 403


def test_the_guard_view_says_where_and_what_to_watch(client, team, register):
    r = client.get(sites_url(team, "watch-items"), headers=team.headers["guard"])
    assert r.status_code == 200
    view = r.get_json()
    assert [(h["building"], h["unit"]) for h in view["households"]] == [("1", "1203"),
                                                                        ("3", "201")]
    elderly = view["households"][1]
    assert elderly["checkpoint_tag"] == "NHG-B3"
    assert [c["category"] for c in elderly["categories"]] == ["elderly_alone"]
    assert not leaked(json.dumps(view, ensure_ascii=False))
    assert client.get(sites_url(team, "watch-items"),
                      headers=team.guard_b_headers).status_code == 403


def pull_all(client, headers):
    body = {"client_id": uuid.uuid4().hex, "schema_version": 1, "cursors": {}, "limit": 500}
    r = client.post("/api/v1/sync/pull", headers=headers, json=body)
    assert r.status_code == 200
    return [c for bucket in r.get_json()["buckets"] for c in bucket["changes"]]


def test_a_guards_pull_has_the_watch_view_and_nothing_of_the_file(client, team, register):
    client.put(sites_url(team, "households", register["rental"]["id"]),
               json=rental_body(notes="李租客 欠费"), headers=team.headers["supervisor"])
    client.get(sites_url(team, "households", register["rental"]["id"]),
               headers=team.headers["supervisor"])  # an audit entry exists too
    pulled = pull_all(client, team.headers["guard"])
    types = {c["type"] for c in pulled}
    assert "household_watch" in types
    assert not types & {"households", "household_audit", "household_reviews",
                        "household_sightings", "welfare_checks"}
    assert not leaked(json.dumps(pulled, ensure_ascii=False))
    watch = next(c["data"] for c in pulled if c["type"] == "household_watch")
    assert len(watch["households"]) == 2
    # a guard of site B pulls no watch view of site A
    assert not [c for c in pull_all(client, team.guard_b_headers)
                if c["type"] == "household_watch"]


def test_a_supervisors_pull_carries_no_register_either(client, team, register):
    pulled = pull_all(client, team.headers["supervisor"])
    assert not leaked(json.dumps(pulled, ensure_ascii=False))


def test_the_watch_view_follows_the_register(client, team, register):
    sup = team.headers["supervisor"]
    client.delete(sites_url(team, "households", register["rental"]["id"]), headers=sup)
    view = client.get(sites_url(team, "watch-items"), headers=team.headers["guard"]).get_json()
    assert [h["unit"] for h in view["households"]] == ["201"]
