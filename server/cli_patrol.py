"""``fieldsync patrol ...``: the missed-round pass and label sheets from the shell.

The admin CLI acts as an administrator of every site (whoever can run it
owns the data dir). ``mark-missed`` runs one pass of the job ``fieldsync
serve`` runs periodically (plan ahead, mark missed); it is safe beside a
running server, since the pass writes in one store transaction.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from checklists.actors import ADMIN, Actor

from .cli_app import cli_app as _app
from .cli_app import cli_store as _store

CLI_ACTOR = Actor("fieldsync-cli", ADMIN, frozenset(), username="fieldsync cli")


@click.group()
def patrol():
    """Patrol rounds: the missed-round pass, QR label sheets."""


@patrol.command("mark-missed")
@click.option("--now", type=click.DateTime(formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]),
              default=None, help="Judge overdue as of this UTC time (default: now).")
def mark_missed(now):
    """Plan rounds ahead, then mark rounds past their deadline without a result missed."""
    from server.services.patrol.missed import patrol_pass
    now = now.replace(tzinfo=UTC) if now else datetime.now(UTC)
    horizon = timedelta(days=_app().config["PATROL_HORIZON_DAYS"])
    done = patrol_pass(_store(), now, horizon)
    click.echo(f"planned {done['planned']} round(s); marked {done['missed']} round(s) missed")


@patrol.command()
@click.argument("route_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the PDF.")
@click.option("--version", type=click.IntRange(min=1), default=None,
              help="Route version (default: the newest).")
def labels(route_id, output: Path, version):
    """Write ROUTE_ID's QR labels (checkpoint name + code) as an A4 PDF."""
    from server.services.patrol.labels import route_labels_pdf
    from server.services.pdf_rendering import PdfRenderFailed
    try:
        pdf = route_labels_pdf(_store(), CLI_ACTOR, route_id, version)
    except PdfRenderFailed as exc:
        raise click.ClickException(str(exc)) from None
    try:
        output.write_bytes(pdf)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"wrote {output} ({len(pdf)} bytes)")
