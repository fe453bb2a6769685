"""``fieldsync plans refresh``: the job that generates occurrences ahead and marks them
due, overdue or missed (idempotent: run it from cron as often as you like)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import click

from .cli_app import cli_store as _store


@click.group()
def plans():
    """Inspection plans and their occurrences."""


@plans.command()
@click.option("--horizon-days", default=40, show_default=True, type=click.IntRange(1, 400),
              help="Generate occurrences starting up to this many days ahead.")
def refresh(horizon_days: int):
    """Generate occurrences ahead and store each open one's state now."""
    from server.services import plans as plan_service
    counts = plan_service.refresh(_store(), datetime.now(timezone.utc),
                                  timedelta(days=horizon_days))
    click.echo(f"{counts['plans']} active plan(s): {counts['generated']} occurrence(s) "
               f"generated, {counts['advanced']} changed state")
