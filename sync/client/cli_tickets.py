"""``fieldsync device tickets`` and ``fieldsync device ticket show|move|comment|edit``.

All offline: they read the pulled tickets and queue changes in the outbox
(photos in the photo queue); ``push`` or ``sync`` sends them. What the
server refuses (a stale state, a move your role may not make, a fix without
evidence) is listed by ``push`` and ``status`` with the reason.
"""
from __future__ import annotations

import json

import click

from checklists.workflow.tickets import STATES

from .cli_common import current_client


def _line(ticket: dict) -> str:
    status = ticket["status"]
    if ticket["local_status"] != status:
        status = f"{status} → {ticket['local_status']} (queued)"
    due = f"  due {ticket['due_at']}" if ticket.get("due_at") else ""
    return f"{ticket['id']}  [{status}]  {ticket.get('title', '')}{due}"


@click.command("tickets")
@click.option("--mine", is_flag=True, help="Only tickets assigned to you or that you answer for.")
@click.option("--json", "as_json", is_flag=True, help="Print them as JSON.")
def tickets(mine, as_json):
    """List the tickets pulled to this device."""
    found = current_client().tickets.list(mine=mine)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("No tickets on this device" + (" for you" if mine else "") + ".")
    for ticket in found:
        click.echo(_line(ticket))


@click.group("ticket")
def ticket():
    """Work one ticket offline: show, move, comment, edit."""


@ticket.command()
@click.argument("ticket_id")
def show(ticket_id):
    """Everything about a ticket, as JSON (with the changes queued for it)."""
    click.echo(json.dumps(current_client().tickets.show(ticket_id), ensure_ascii=False,
                          indent=2))


@ticket.command()
@click.argument("ticket_id")
@click.option("--to", "to", required=True, type=click.Choice(sorted(STATES)),
              help="The state to move to (fixed needs --note and --photo).")
@click.option("--note", default=None, help="What was done (a fix), or why (a dispute).")
@click.option("--photo", "photos", multiple=True, type=click.Path(dir_okay=False),
              help="An evidence photo (JPEG, PNG, WebP); repeat for several.")
def move(ticket_id, to, note, photos):
    """Queue a move of TICKET_ID from the state this device last saw."""
    mutation = current_client().tickets.move(ticket_id, to, note=note, photos=photos)
    click.echo(f"Queued change #{mutation}: {ticket_id} → {to}. Push to send it.")


@ticket.command()
@click.argument("ticket_id")
@click.argument("text")
@click.option("--photo", "photos", multiple=True, type=click.Path(dir_okay=False))
def comment(ticket_id, text, photos):
    """Queue a comment on TICKET_ID."""
    mutation = current_client().tickets.comment(ticket_id, text, photos)
    click.echo(f"Queued change #{mutation}: comment on {ticket_id}.")


def _assignment(ctx, param, values):
    out = {}
    for value in values:
        field, sep, text = value.partition("=")
        if not sep or not field:
            raise click.BadParameter(f"use FIELD=VALUE, not {value!r}", param=param)
        out[field] = text or None
    return out


@ticket.command()
@click.argument("ticket_id")
@click.option("--set", "values", multiple=True, callback=_assignment, metavar="FIELD=VALUE",
              help="e.g. work_notes=..., cause=..., written_explanation=... (repeat)")
def edit(ticket_id, values):
    """Queue an edit of TICKET_ID's fields (from the versions last pulled)."""
    mutation = current_client().tickets.edit(ticket_id, values)
    click.echo(f"Queued change #{mutation}: {', '.join(sorted(values))} of {ticket_id}.")
