"""A ticket's fields, comments and photos: how concurrent writers converge.

Tickets are changed concurrently (guards and engineers in the field,
supervisors in the office), so every rule converges without losing anything
(DESIGN §3):

* comments and photos are add-only, keyed by their ids (hashes for photos);
* scalar fields carry a per-field version (``fv``). An edit made from the
  current version applies. A stale edit is decided by role first (the owner
  role of a field beats the other role), otherwise by server arrival order
  (the later arrival wins); the losing value is appended to ``conflicts``.
* Successive edits from one origin (a device install, a user's browser)
  chain: a device that edits a field twice offline sends the same base
  version twice, and its second edit must not "lose" to its own first one.
"""
from __future__ import annotations

import copy

from .acting import Acting
from .errors import TicketRefused

# Which role class owns a field when two edits collide; None = shared (arrival order).
FIELD_OWNERS: dict[str, str | None] = {
    "title": "supervisor", "priority": "supervisor", "assignee": "supervisor",
    "due_at": "supervisor", "responsible": "supervisor", "direct_supervisor": "supervisor",
    "next_inspection_at": "supervisor",
    "work_notes": "field", "cause": "field", "measurements": "field",
    "written_explanation": "field",
    "description": None, "location": None,
}
EDITABLE_FIELDS = frozenset(FIELD_OWNERS)
#: only supervisors set who answers for a ticket and when the next inspection is
SUPERVISOR_FIELDS = frozenset({"responsible", "direct_supervisor", "next_inspection_at"})
#: the 书面说明 is the assignee's (or the responsible person's) to give
ASSIGNEE_FIELDS = frozenset({"written_explanation"})


def role_class(acting: Acting) -> str:
    return "supervisor" if acting.actor.supervises else "field"


def _writer(acting: Acting, base: int | None = None) -> dict:
    writer = {"by": acting.actor.user_id, "role": role_class(acting), "mutation": acting.ref,
              "origin": acting.origin}
    if base is not None:
        writer["base"] = base
    return writer


def new_ticket(args: dict, acting: Acting, *, extra: dict | None = None) -> dict:
    """The first version of a ticket (``create_ticket`` args, or a definition rule's).

    ``extra``: what the server adds beyond the arguments (a rule's source).
    """
    fields = {f: args[f] for f in EDITABLE_FIELDS if args.get(f) is not None}
    writer = _writer(acting, 0)
    return {
        "type": "ticket", "id": args["ticket_id"], "v": 1, "site_id": args["site_id"],
        "status": "open", **fields,
        "fv": {f: 1 for f in fields}, "fw": {f: dict(writer) for f in fields},
        "result_id": args.get("result_id"), "item": args.get("item"),
        "photos": list(args.get("photos") or []),
        "comments": [], "conflicts": [], "history": [],
        "created": acting.stamp(), "create_args": args, **(extra or {}),
    }


def same_creation(ticket: dict, args: dict) -> bool:
    """Whether a re-sent ``create_ticket`` is the one that created ``ticket``."""
    return ticket.get("create_args") == args


def check_edit_rights(ticket: dict, values: dict, acting: Acting) -> None:
    actor = acting.actor
    for field in sorted(values):
        if field in SUPERVISOR_FIELDS and not actor.supervises:
            raise TicketRefused("forbidden", f"only a supervisor may set {field}", field=field)
        if field in ASSIGNEE_FIELDS and actor.user_id not in (
                ticket.get("assignee"), ticket.get("responsible")):
            raise TicketRefused("forbidden", f"only the assignee or the responsible person "
                                             f"may give the {field}", field=field)


def edit(ticket: dict, values: dict, base_fv: dict, acting: Acting) -> dict:
    """Apply ``values`` (field -> value) edited from versions ``base_fv``."""
    unknown = sorted(set(values) - EDITABLE_FIELDS)
    if unknown:
        raise TicketRefused("invalid_args", f"fields cannot be edited: {', '.join(unknown)}",
                            field="set")
    missing = sorted(set(values) - set(base_fv))
    if missing:
        raise TicketRefused("invalid_args",
                            f"base_fv lacks the edited fields: {', '.join(missing)}",
                            field="base_fv")
    check_edit_rights(ticket, values, acting)
    out = copy.deepcopy(ticket)
    for field in sorted(values):
        current_v = out["fv"].get(field, 0)
        base = base_fv[field]
        if base > current_v:
            raise TicketRefused("invalid_base_version",
                                f"{field}: edited from version {base} but the ticket is at "
                                f"{current_v}", field=field, current=current_v)
        new_value, old_value = values[field], out.get(field)
        current_writer = out["fw"].get(field)
        editor = _writer(acting, base)
        if base < current_v and new_value != old_value and \
                not _chained(current_writer, editor):
            if stale_edit_wins(field, editor["role"], current_writer):
                out["conflicts"].append(_lost(field, old_value, current_writer,
                                              new_value, editor, acting))
            else:
                out["conflicts"].append(_lost(field, new_value, editor, old_value,
                                              current_writer, acting))
                continue
        if new_value == old_value:
            continue
        out[field] = new_value
        out["fv"][field] = current_v + 1
        out["fw"][field] = editor
    return out


def _chained(current_writer: dict | None, editor: dict) -> bool:
    """The current value is this origin's own earlier edit, made from no newer base.

    Then the origin had simply not heard back about its own edit yet: its
    new value follows on from it rather than competing with it.
    """
    if not current_writer or editor["origin"] is None:
        return False
    return current_writer.get("origin") == editor["origin"] and \
        editor["base"] >= current_writer.get("base", editor["base"] + 1)


def stale_edit_wins(field: str, editor_role: str, current_writer: dict | None) -> bool:
    """Role first: the owner role beats the other; otherwise the later arrival wins."""
    owner = FIELD_OWNERS[field]
    current_role = (current_writer or {}).get("role")
    if owner is not None and current_role is not None and editor_role != current_role:
        return editor_role == owner
    return True


def _lost(field, lost_value, lost_writer, kept_value, kept_writer, acting: Acting) -> dict:
    return {"field": field, "lost_value": lost_value, "lost_by": lost_writer,
            "kept_value": kept_value, "kept_by": kept_writer, "at": acting.at}


def add_comment(ticket: dict, comment: dict, acting: Acting) -> dict | None:
    """Add a comment; None when this exact comment is already there."""
    for existing in ticket["comments"]:
        if existing["id"] == comment["comment_id"]:
            if existing["text"] == comment["text"] and \
                    existing["photos"] == list(comment.get("photos") or []):
                return None
            raise TicketRefused("id_conflict",
                                f"comment {comment['comment_id']} exists with other content",
                                field="comment_id")
    out = copy.deepcopy(ticket)
    out["comments"].append({"id": comment["comment_id"], "text": comment["text"],
                            "photos": list(comment.get("photos") or []), **acting.stamp()})
    return out


def attach_photos(ticket: dict, hashes: list[str]) -> dict | None:
    """Add photos (add-only, by hash); None when every one is already attached."""
    new = [h for h in dict.fromkeys(hashes) if h not in ticket["photos"]]
    if not new:
        return None
    return {**ticket, "photos": [*ticket["photos"], *new]}


def bump(ticket: dict) -> dict:
    """The record version goes up by one for every stored change."""
    return {**ticket, "v": ticket["v"] + 1}
