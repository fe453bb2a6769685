"""``fieldsync liability summary``: the month's liability per department, from the shell.

The operator at the server's shell acts as an admin (every site), as the
other maintenance commands do.
"""
from __future__ import annotations

import click

from .cli_app import cli_app as _app
from .cli_app import cli_store as _store


@click.group()
def liability():
    """Deductions attributed to people: the monthly summary."""


@liability.command("summary")
@click.option("--month", required=True, metavar="YYYY-MM", help="Calendar month, e.g. 2026-11.")
@click.option("--site", "site_codes", multiple=True, help="Site code; repeat for several "
              "(default: every site).")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write the summary as CSV (UTF-8 with BOM, for Excel); '-' for stdout.")
def liability_summary(month, site_codes, csv_path):
    """Shares of the month's deductions by department and person, sanctions and joint
    liability (due by the 28th)."""
    from checklists.actors import ADMIN, Actor
    from server.services import liability as service
    from server.services.workflow_settings import liability_split

    from .cli_accounts import _site_ids
    app = _app()
    summary = service.monthly_summary(
        _store(), Actor("fieldsync-cli", ADMIN, ()), month=month,
        site_ids=_site_ids(site_codes), split=liability_split(app.config),
        default_zone=app.config["DEFAULT_TIMEZONE"])
    if csv_path == "-":
        click.echo(service.summary_csv(summary).decode("utf-8"), nl=False)
        return
    if csv_path:
        with open(csv_path, "wb") as out:
            out.write(service.summary_csv(summary))
    click.echo(f"{summary['month']} (due by {summary['due_by']}), split "
               f"{summary['split']['person']:g}/{summary['split']['supervisor']:g}")
    for department in summary["departments"]:
        click.echo(department["department"])
        for p in department["people"]:
            flags = " 行政处分" if p["sanction"] else ""
            if p["joint_liability_items"]:
                flags += " 连带责任: " + ",".join(p["joint_liability_items"])
            click.echo(f"  {p['display_name']:<16} {p['deductions']:>3} deductions "
                       f"{p['points_lost']:>7g} points  bears {p['total']:g}{flags}")
