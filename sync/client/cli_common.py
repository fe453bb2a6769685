"""What every ``fieldsync device`` command shares: the opened client, argument parsing.

Kept apart from the command modules so that ``cli`` (the group and the sync
commands) and ``cli_checklists`` (show, answers-template, fill) both use it
without importing each other.
"""
from __future__ import annotations

import json

import click

from .device import DeviceClient


class CliState:
    """The group's data dir and transport; opens the client (and its dir lock) on first use."""

    def __init__(self, ctx: click.Context, data_dir: str, transport):
        self.ctx, self.data_dir, self.transport = ctx, data_dir, transport
        self._client: DeviceClient | None = None

    @property
    def client(self) -> DeviceClient:
        if self._client is None:
            self._client = DeviceClient(self.data_dir, self.transport)
            self.ctx.call_on_close(self._client.close)
        return self._client


def current_client() -> DeviceClient:
    return click.get_current_context().find_object(CliState).client


def definition_ref(text: str) -> tuple[str, int | None]:
    name, _, version = text.partition("@")
    if not version:
        return name, None
    if not version.isdigit():
        raise click.BadParameter(f"version must be a number, not {version!r}",
                                 param_hint="DEFINITION")
    return name, int(version)


def read_json(path: str, what: str):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise click.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint=what) \
            from None
    except ValueError as exc:
        raise click.BadParameter(f"{path} is not valid JSON: {exc}", param_hint=what) from None
