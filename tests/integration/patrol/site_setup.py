"""A site set up for patrols through the API, as a supervisor would, and a guard's pushes.

Site A of the ``team`` gets the unit timelines' street (``tests/unit/patrol/
builders``: 北门 → 1栋 → 2栋 → 地下车库 → 南门, 100 m apart, plus 泳池 off the
route), the route ``night-walk`` and the schedule ``night`` (every 2 h from
22:00 to 06:00) assigned to ``guard-a``. Rounds are planned for the night of
2 Nov 2026 by the same pass the server's job runs.
"""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from server.services import definitions
from server.services.patrol.missed import patrol_pass
from tests.unit.patrol.builders import checkpoint_doc, gate_checklist_doc, route_doc, schedule_doc

API = "/api/v1/patrol"
PLANNED_FROM = datetime(2026, 11, 2, tzinfo=UTC)      # 08:00 on the site's clock


def checkpoint_body(n: int) -> dict:
    body = {k: v for k, v in checkpoint_doc(n).items() if k != "site_id"}
    return body


def extra_checkpoint_body() -> dict:
    """cp9 泳池: a checkpoint of the site that is not on the route."""
    return {**checkpoint_body(1), "id": "cp9", "tag": "TAG-9", "name": "泳池", "lon": 121.401}


class PatrolSite:
    def __init__(self, client, team, store):
        self.client, self.team, self.store = client, team, store
        self.site_id = team.site_a["id"]
        self.boss = team.headers["supervisor"]
        self.guard_id = team.users["guard"]["id"]

    def post(self, path: str, body: dict, headers=None):
        return self.client.post(f"{API}{path}", json=body, headers=headers or self.boss)

    def set_up(self, **schedule_fields) -> None:
        for body in [*map(checkpoint_body, range(1, 6)), extra_checkpoint_body()]:
            assert self.post(f"/sites/{self.site_id}/checkpoints", body).status_code == 201
        route = {k: v for k, v in route_doc().items() if k not in ("site_id", "version")}
        assert self.post(f"/sites/{self.site_id}/routes", route).status_code == 201
        r = self.post(f"/sites/{self.site_id}/schedules", self.schedule_body(**schedule_fields))
        assert r.status_code == 201, r.get_json()
        patrol_pass(self.store, PLANNED_FROM, timedelta(days=3))

    def gate_checklist(self, *versions: int) -> None:
        """Publish those versions of ``gate-check`` (builders) and make it cp2's checklist."""
        for version in versions:
            definitions.install(self.store, gate_checklist_doc(version), by="test")
        r = self.client.patch(f"{API}/sites/{self.site_id}/checkpoints/cp2",
                              json={"checklist_id": "gate-check"}, headers=self.boss)
        assert r.status_code == 200, r.get_json()

    def schedule_body(self, **fields) -> dict:
        doc = schedule_doc(**{"assignees": {"guards": [self.guard_id]}, **fields})
        return {k: v for k, v in doc.items() if k not in ("site_id", "version")}

    def get(self, path: str, headers=None, **query):
        r = self.client.get(f"{API}{path}", query_string=query, headers=headers or self.boss)
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    def occurrence(self, local_start: str) -> dict:
        day = local_start[:10]
        found = self.get(f"/sites/{self.site_id}/occurrences", day=day)["items"]
        return next(o for o in found if o["local_start"] == local_start)

    def rounds(self, day: str = "2026-11-02") -> list[dict]:
        return self.get(f"/sites/{self.site_id}/rounds", day=day)["items"]


class GuardDevice:
    """Pushes ``submit_round`` as the field app does (its own client id and mutation ids)."""

    def __init__(self, client, headers):
        self.client, self.headers = client, headers
        self.client_id, self.next_id = uuid.uuid4().hex, 1

    def push(self, *rounds: dict, sent_at: datetime | None = None):
        sent = (sent_at or datetime.now(UTC)).isoformat()
        body = {"client_id": self.client_id, "schema_version": 1, "sent_at": sent,
                "mutations": [{"id": self.next_id + n, "name": "submit_round", "args": args,
                               "client_ts": sent} for n, args in enumerate(rounds)]}
        r = self.client.post("/api/v1/sync/push", json=body, headers=self.headers)
        assert r.status_code == 200, r.get_json()
        self.next_id += len(rounds)
        return r.get_json()["results"]
