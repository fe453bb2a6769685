"""``fieldsync device today``: the assignee's inspections and complaints reach the device by
the pull; a result filled there closes the inspection."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from server.services.accounts.users import actor_of
from server.services import complaints, plans
from sync.client.cli import device as device_cli
from tests.conftest import PASSWORD

from .transports import FlaskTransport


@pytest.fixture
def cli(tmp_path, client, team, published):
    runner = CliRunner()
    data_dir = str(tmp_path / "cli-device")

    def run(*args, input=None):
        return runner.invoke(device_cli, ["--data-dir", data_dir, *args],
                             obj={"transport": FlaskTransport(client)}, input=input)
    return run


def test_today_lists_my_work_and_a_filled_result_closes_the_inspection(cli, app_store, team,
                                                                       tmp_path):
    now = datetime.now(timezone.utc)
    site, engineer = team.site_a["id"], team.users["engineer"]
    sup = actor_of(team.users["supervisor"])
    # Daily from an hour ago, due 23 h later: whatever the time of day the test runs at,
    # exactly one occurrence is due (a midnight rule was overdue from 23:59 to 00:00 local).
    started = now.astimezone(ZoneInfo(team.site_a["timezone"])) - timedelta(hours=1)
    plans.create_plan(app_store, sup, {
        "site_id": site, "name": "每日巡查", "checklist_id": "daily-round",
        "rrule": f"FREQ=DAILY;BYHOUR={started.hour};BYMINUTE={started.minute}",
        "dtstart": (started - timedelta(days=2)).replace(tzinfo=None, second=0,
                                                         microsecond=0).isoformat(),
        "assignee_user_id": engineer["id"], "due_offset": {"hours": 23}}, now)
    doc = complaints.intake(app_store, sup, {
        "site_id": site, "unit": "1-1-101", "channel": "phone", "category": "repair",
        "description": "水龙头漏水", "photos": [], "repair": None,
        "resident": {"name": "张伟", "phone": "13700000000"}}, now)
    complaints.classify(app_store, sup, doc["id"], {"validity": "valid", "severity": "ordinary",
                        "reason": None, "due_at": None}, now)
    complaints.assign(app_store, sup, doc["id"], engineer["id"], now)

    assert cli("login", "http://server.test", input=f"engineer-a\n{PASSWORD}\n").exit_code == 0
    assert cli("pull").exit_code == 0
    listed = cli("today", "--json")
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.output)
    due = [i["id"] for i in items if (i["kind"], i["state"]) == ("inspection", "due")]
    assert len(due) == 1 and ("complaint", "open") in {(i["kind"], i["state"]) for i in items}
    assert "水龙头漏水" in cli("today").output

    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"env.clean": {"value": "pass"},
                                   "env.lights": {"value": "pass"}}))
    assert cli("fill", "daily-round@1", "--site", "A", "--answers", str(answers)).exit_code == 0
    assert cli("sync").exit_code == 0
    after = {i["id"] for i in json.loads(cli("today", "--json").output)}
    assert due[0] not in after and doc["id"] in after
