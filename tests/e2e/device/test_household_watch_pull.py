"""A guard's device pulls the key households' watch view and keeps nothing of the register."""
from __future__ import annotations

import json
from pathlib import Path

from tests.unit.households.builders import ID_NUMBER, NAME, PHONE, elderly_body, rental_body

SECRETS = (NAME, PHONE, ID_NUMBER, "李租客", "13700137000", "张阿姨", "王小明", "13900139000")


def stored_text(data_dir: Path) -> str:
    """Everything the device wrote, JSON re-read so escaped Chinese compares as text."""
    parts = []
    for path in data_dir.rglob("*"):
        if not path.is_file():
            continue
        raw = path.read_bytes().decode("utf-8", "replace")
        try:
            parts.append(json.dumps(json.loads(raw), ensure_ascii=False))
        except ValueError:
            parts.append(raw)
    return "\n".join(parts)


def test_the_device_keeps_the_watch_view_and_no_personal_detail(client, team, make_device,
                                                                 transport, tmp_path):
    for body in (elderly_body(), rental_body()):
        assert client.post(f"/api/v1/sites/{team.site_a['id']}/households", json=body,
                           headers=team.headers["supervisor"]).status_code == 201
    device = make_device("guard-phone", transport)
    device.pull()
    watch = device.pulled.records("household_watch")
    assert [len(r["data"]["households"]) for r in watch] == [2]
    text = stored_text(tmp_path / "device-guard-phone")
    assert "household_watch" in text
    assert [s for s in SECRETS if s in text] == []
