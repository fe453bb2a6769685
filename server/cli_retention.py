"""``fieldsync retention``: records past their retention class (dry run unless --purge)."""
from __future__ import annotations

from datetime import datetime, timezone

import click

from .cli_app import cli_store as _store


@click.command()
@click.option("--purge", is_flag=True, help="Delete them (default: only list them).")
def retention(purge: bool):
    """List (or purge) records past their retention; an open ticket or appeal holds one."""
    from server.services.retention import run
    report = run(_store(), datetime.now(timezone.utc), purge=purge)
    verb = "purged" if purge else "would purge (dry run; --purge to delete)"
    for collection, found in report["collections"].items():
        click.echo(f"{collection}: {verb} {len(found['expired'])}, held by open tickets or "
                   f"appeals {len(found['held'])}")
        for record_id in found["expired"]:
            click.echo(f"  {record_id}")
