"""Plans on a real store: the small published checklist of the sync tests, a push at a
chosen server time, and Shanghai wall-clock helpers."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.services.accounts.users import actor_of
from server.services import definitions, sync_service
from server.services.errors import NotFound
from tests.integration.http_sync.conftest import DEFINITION


def at(text: str) -> datetime:
    """A Shanghai wall-clock time as an aware UTC moment."""
    return datetime.fromisoformat(text + "+08:00").astimezone(UTC)


@pytest.fixture
def published(app_store):
    return definitions.install(app_store, DEFINITION, by="test")


def find_definition(store):
    def find(def_id, version):
        try:
            return definitions.get_version(store, def_id, version)["definition"]
        except NotFound:  # the push rejects the mutation
            return None
    return find


class FieldPhone:
    """A user's device pushing through the sync service at a server time the test picks."""

    def __init__(self, app, store, user):
        self.app, self.store, self.actor = app, store, actor_of(user, "dev-" + user["id"])
        self.next_id = 1

    def submit(self, result_id, site_id, now, **extra):
        args = {"result_id": result_id, "site_id": site_id,
                "checklist": {"id": DEFINITION["id"], "version": 1},
                "answers": {"env.clean": {"value": "pass"}}, **extra}
        mutation = {"id": self.next_id, "name": "submit_result", "args": args, "client_ts": None}
        self.next_id += 1
        response = sync_service.apply_push(
            self.store, self.actor, "client-" + self.actor.user_id, [mutation],
            find_definition=find_definition(self.store),
            uploads=self.app.extensions["fieldsync.uploads"], now=now)
        return response["results"][0]
