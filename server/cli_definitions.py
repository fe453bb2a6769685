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


def _store():
    from server.extensions import STORE_KEY
    return click.get_current_context().obj.load_app().extensions[STORE_KEY]


@click.group()
def definitions():
    """Import and export checklist definitions as spreadsheets."""


@definitions.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="Publish the imported draft at once.")
def import_(path: Path, publish: bool):
    """Save FILE.xlsx as the draft of its definition (the next version)."""
    from checklists.xlsform import SpreadsheetInvalid, load_xlsx
    from server.services import definitions as service
    try:
        definition = load_xlsx(path.read_bytes())
    except SpreadsheetInvalid as exc:
        for problem in exc.problems:
            click.echo(f"  {problem.where}: {problem.message}", err=True)
        raise click.ClickException(f"{path.name}: {len(exc.problems)} problem(s), "
                                   f"nothing stored") from None
    by = "fieldsync definitions import"
    draft = service.save_draft(_store(), definition.id, definition.to_dict(), by=by)
    ref = f"{definition.id}@{draft['definition']['version']}"
    if publish:
        service.publish(_store(), definition.id, by=by)
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
    from checklists.xlsform import export_xlsx
    from server.services import definitions as service
    def_id, _, version = ref.partition("@")
    if not version.isdigit():
        raise click.BadParameter("give the version too, e.g. cs-supervision@1",
                                 param_hint="DEFINITION@VERSION")
    doc = service.get_version(_store(), def_id, int(version))
    output = output or Path(f"{def_id}@{version}.xlsx")
    output.write_bytes(export_xlsx(doc["definition"]))
    click.echo(f"{def_id}@{version} written to {output}")
