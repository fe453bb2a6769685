"""``fieldsync device today``: the inspections and complaints due for you, offline."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import click

from .cli_common import current_client
from .errors import NotLoggedIn
from .worklist import today as worklist


def _clock(seconds: int | None) -> str:
    if seconds is None:
        return ""
    hours = abs(seconds) // 3600
    span = f"{hours // 24}d{hours % 24}h" if hours >= 24 else f"{hours}h{abs(seconds) % 3600 // 60}m"
    return f"{span} left" if seconds >= 0 else f"OVERDUE by {span}"


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def today(as_json):
    """List the inspections and complaints due for you (from the last pull)."""
    client = current_client()
    user = client.session.user
    if not user:
        raise NotLoggedIn("log in first: fieldsync device login URL")
    items = worklist(client.pulled.records(), user, datetime.now(timezone.utc))
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("Nothing due for you (run `pull` for the latest).")
    for item in items:
        click.echo(f"  [{item['kind']}] {item['state']:<8} due {item['due_at'] or '-'}  "
                   f"{_clock(item['seconds_left'])}  {item['title'][:60]}  ({item['id']})")
