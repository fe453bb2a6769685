"""Working tickets offline: what an engineer does on site between syncs.

The device knows tickets from its pulls (``site:<id>`` buckets). Every
change is queued in the outbox as the same mutation a push sends
(``move_ticket``, ``comment_ticket``, ``edit_ticket``), photos through the
photo queue, so nothing needs the network until ``push``. A move names the
state the device last saw -- the pulled one, or the target of a move it
queued since -- and the server's state machine decides; an edit names the
field versions it was made from (successive edits of one device chain on
the server, they do not conflict with each other).
"""
from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Iterable

from .errors import InvalidInput

if TYPE_CHECKING:
    from .device import DeviceClient

TICKETS = "tickets"
_TICKET_MUTATIONS = ("move_ticket", "comment_ticket", "edit_ticket", "attach_ticket_photos")


class TicketDesk:
    def __init__(self, client: "DeviceClient"):
        self.client = client

    def _me(self) -> str | None:
        return (self.client.session.user or {}).get("id")

    def list(self, *, mine: bool = False) -> list[dict]:
        """Pulled tickets (with what is queued for each), optionally only yours."""
        me = self._me()
        out = []
        for record in self.client.pulled.records(TICKETS):
            ticket = record.get("data")
            if not ticket:
                continue
            if mine and me not in (ticket.get("assignee"), ticket.get("responsible")):
                continue
            out.append(self._local(ticket))
        return out

    def show(self, ticket_id: str) -> dict:
        return self._local(self._pulled(ticket_id))

    def _pulled(self, ticket_id: str) -> dict:
        ticket = self.client.pulled.record(TICKETS, ticket_id)
        if ticket is None:
            raise InvalidInput(f"ticket {ticket_id} is not on this device "
                               f"(run `fieldsync device pull`; `tickets` lists them)")
        return ticket

    def _queued(self, ticket_id: str) -> list[dict]:
        return [m for m in self.client.outbox.pending()
                if m["name"] in _TICKET_MUTATIONS and m["args"].get("ticket_id") == ticket_id]

    def _local(self, ticket: dict) -> dict:
        """The ticket as this device will have made it: its queued changes listed."""
        queued = self._queued(ticket["id"])
        moves = [m["args"]["to"] for m in queued if m["name"] == "move_ticket"]
        return {**ticket, "local_status": moves[-1] if moves else ticket["status"],
                "queued": [{"id": m["id"], "name": m["name"]} for m in queued]}

    def _photos(self, paths: Iterable[str]) -> list[str]:
        described = [(p, self.client.photos.describe(p)) for p in paths]
        for path, info in described:  # photos first: a queued change never lacks its files
            self.client.photos.add(path, info)
        return [info["sha256"] for _, info in described]

    def move(self, ticket_id: str, to: str, *, note: str | None = None,
             photos: Iterable[str] = ()) -> int:
        """Queue a move from the state this device last saw; return the mutation id."""
        ticket = self.show(ticket_id)
        args = {"ticket_id": ticket_id, "from": ticket["local_status"], "to": to}
        if note:
            args["note"] = note
        hashes = self._photos(photos)
        if hashes:
            args["photos"] = hashes
        return self.client.outbox.append("move_ticket", args)

    def comment(self, ticket_id: str, text: str, photos: Iterable[str] = ()) -> int:
        self._pulled(ticket_id)
        args = {"ticket_id": ticket_id, "comment_id": f"k-{uuid.uuid4().hex}", "text": text}
        hashes = self._photos(photos)
        if hashes:
            args["photos"] = hashes
        return self.client.outbox.append("comment_ticket", args)

    def edit(self, ticket_id: str, values: dict) -> int:
        """Queue an edit of ``values`` from the field versions this device last pulled."""
        if not values:
            raise InvalidInput("name at least one field to set (--set FIELD=VALUE)")
        fv = self._pulled(ticket_id).get("fv") or {}
        return self.client.outbox.append("edit_ticket", {
            "ticket_id": ticket_id, "set": values,
            "base_fv": {field: fv.get(field, 0) for field in values}})
