"""``fieldsync definitions import/export``: checklists authored in spreadsheets.

Import reads an XLSForm-style ``.xlsx`` (see ``checklists.xlsform``), saves it
as the definition's draft and, with ``--publish``, publishes it — the same
service calls the API makes, so a workbook is validated exactly like a JSON
body. A refused workbook prints every problem at its sheet, row and column and
stores nothing.
"""
from __future__ import annotations

from pathlib import Path

import click

from .cli_app import cli_store as _store


@click.group()
def definitions():
    """Import and export checklist definitions as spreadsheets."""


@definitions.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="Publish the imported draft at once.")
def import_(path: Path, publish: bool):
    """Save FILE.xlsx as the draft of its definition (the next version)."""
    from server.services.definition_sheets import import_workbook
    from server.services.errors import Invalid
    try:
        stored = import_workbook(_store(), path.read_bytes(), by="fieldsync definitions import",
                                 publish=publish)
    except Invalid as exc:
        problems = exc.messages["workbook"]
        for where, messages in problems.items():
            for message in messages:
                click.echo(f"  {where}: {message}", err=True)
        raise click.ClickException(f"{path.name}: {sum(map(len, problems.values()))} "
                                   f"problem(s), nothing stored") from None
    ref = f"{stored['definition']['id']}@{stored['definition']['version']}"
    if publish:
        click.echo(f"{ref} published from {path.name}")
    else:
        click.echo(f"{ref} saved as a draft from {path.name}; "
                   f"publish it with --publish or the API")


@definitions.command("export")
@click.argument("ref", metavar="DEFINITION@VERSION")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write (default: DEFINITION@VERSION.xlsx).")
def export(ref: str, output: Path | None):
    """Write a published version as an .xlsx workbook."""
    from server.services.definition_sheets import export_workbook
    def_id, _, version = ref.partition("@")
    if not version.isdigit():
        raise click.BadParameter("give the version too, e.g. cs-supervision@1",
                                 param_hint="DEFINITION@VERSION")
    data = export_workbook(_store(), def_id, int(version))
    output = output or Path(f"{def_id}@{version}.xlsx")
    output.write_bytes(data)
    click.echo(f"{def_id}@{version} written to {output}")
