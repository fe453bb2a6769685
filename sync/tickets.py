"""Ticket rules: pure functions from (ticket, mutation) to the new ticket.

Tickets are the one record type several writers change concurrently (guards
and engineers in the field, supervisors in the office), so every rule here
is chosen to converge without losing anything:

* comments are an add-only set keyed by the client-generated comment id;
* status moves only along ``TRANSITIONS``; the mutation names the ``from``
  state it saw, so a move made on stale information is refused rather than
  silently applied on top of someone else's move;
* scalar fields carry a per-field version (``fv``). An edit made from the
  current version applies. A stale edit is decided by role first (the owner
  role of a field beats the other role) and otherwise by server arrival
  order (the later arrival wins). Either way the losing value is appended to
  ``conflicts`` so a supervisor can see and restore it.

The functions never mutate their input: they return a new document, which
keeps the push planner's working set trivially consistent.
"""
from __future__ import annotations

import copy

from .context import MutationContext
from .errors import Rejected

TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress", "closed"}),
    "in_progress": frozenset({"done", "closed"}),
    "done": frozenset({"verified", "reopened", "closed"}),
    "reopened": frozenset({"in_progress", "closed"}),
    "verified": frozenset({"closed", "reopened"}),
    "closed": frozenset(),
}
STATES = frozenset(TRANSITIONS)
SUPERVISOR_ONLY_TARGETS = frozenset({"verified", "closed"})

# Which role class owns a field when two edits collide; None = shared (arrival order).
FIELD_OWNERS: dict[str, str | None] = {
    "title": "supervisor", "priority": "supervisor", "assignee": "supervisor",
    "due_at": "supervisor",
    "work_notes": "field", "cause": "field", "measurements": "field",
    "description": None,
}
EDITABLE_FIELDS = frozenset(FIELD_OWNERS)


def role_class(ctx: MutationContext) -> str:
    return "supervisor" if ctx.actor.supervises else "field"


def new_ticket(args: dict, ctx: MutationContext) -> dict:
    """The first version of a ticket created by ``create_ticket``."""
    fields = {f: args[f] for f in EDITABLE_FIELDS if args.get(f) is not None}
    writer = {"by": ctx.actor.user_id, "role": role_class(ctx), "mutation": ctx.ref}
    return {
        "type": "ticket", "id": args["ticket_id"], "v": 1, "site_id": args["site_id"],
        "status": "open", **fields,
        "fv": {f: 1 for f in fields}, "fw": {f: dict(writer) for f in fields},
        "result_id": args.get("result_id"), "item": args.get("item"),
        "photos": list(args.get("photos") or []),
        "comments": [], "conflicts": [], "history": [],
        "created": ctx.stamp(), "create_args": args,
    }


def same_creation(ticket: dict, args: dict) -> bool:
    """Whether a re-sent ``create_ticket`` is the one that created ``ticket``."""
    return ticket.get("create_args") == args


def edit(ticket: dict, values: dict, base_fv: dict, ctx: MutationContext) -> dict:
    """Apply ``values`` (field -> value) edited from versions ``base_fv``."""
    unknown = sorted(set(values) - EDITABLE_FIELDS)
    if unknown:
        raise Rejected("invalid_args", f"fields cannot be edited: {', '.join(unknown)}")
    missing = sorted(set(values) - set(base_fv))
    if missing:
        raise Rejected("invalid_args", f"base_fv lacks the edited fields: {', '.join(missing)}")
    out = copy.deepcopy(ticket)
    editor = {"by": ctx.actor.user_id, "role": role_class(ctx), "mutation": ctx.ref}
    for field in sorted(values):
        current_v = out["fv"].get(field, 0)
        base = base_fv[field]
        if base > current_v:
            raise Rejected("invalid_base_version",
                           f"{field}: edited from version {base} but the ticket is at "
                           f"{current_v}", field=field, current=current_v)
        new_value, old_value = values[field], out.get(field)
        if base < current_v and new_value != old_value:
            if stale_edit_wins(field, editor["role"], out["fw"].get(field)):
                out["conflicts"].append(_lost(field, old_value, out["fw"].get(field),
                                              new_value, editor, ctx))
            else:
                out["conflicts"].append(_lost(field, new_value, editor, old_value,
                                              out["fw"].get(field), ctx))
                continue
        if new_value == old_value:
            continue
        out[field] = new_value
        out["fv"][field] = current_v + 1
        out["fw"][field] = dict(editor)
    return out


def stale_edit_wins(field: str, editor_role: str, current_writer: dict | None) -> bool:
    """Role first: the owner role beats the other; otherwise the later arrival wins."""
    owner = FIELD_OWNERS[field]
    current_role = (current_writer or {}).get("role")
    if owner is not None and current_role is not None and editor_role != current_role:
        return editor_role == owner
    return True


def _lost(field, lost_value, lost_writer, kept_value, kept_writer, ctx) -> dict:
    return {"field": field, "lost_value": lost_value, "lost_by": lost_writer,
            "kept_value": kept_value, "kept_by": kept_writer, "at": ctx.received_at}


def move(ticket: dict, from_state: str, to_state: str, ctx: MutationContext) -> dict | None:
    """Move along the state machine; None when the ticket is already in ``to_state``."""
    current = ticket["status"]
    if current == to_state:
        return None
    if current != from_state:
        raise Rejected("invalid_transition",
                       f"ticket is {current}, not {from_state}", current=current)
    if to_state not in TRANSITIONS.get(from_state, ()):
        raise Rejected("invalid_transition", f"cannot move from {from_state} to {to_state}",
                       current=current)
    if to_state in SUPERVISOR_ONLY_TARGETS and not ctx.actor.supervises:
        raise Rejected("forbidden", f"only a supervisor may move a ticket to {to_state}",
                       current=current)
    out = copy.deepcopy(ticket)
    out["status"] = to_state
    out["history"].append({"from": from_state, "to": to_state, **ctx.stamp()})
    return out


def add_comment(ticket: dict, comment: dict, ctx: MutationContext) -> dict | None:
    """Add a comment; None when this exact comment is already there."""
    for existing in ticket["comments"]:
        if existing["id"] == comment["comment_id"]:
            if existing["text"] == comment["text"] and \
                    existing["photos"] == list(comment.get("photos") or []):
                return None
            raise Rejected("id_conflict",
                           f"comment {comment['comment_id']} exists with other content")
    out = copy.deepcopy(ticket)
    out["comments"].append({"id": comment["comment_id"], "text": comment["text"],
                            "photos": list(comment.get("photos") or []), **ctx.stamp()})
    return out


def bump(ticket: dict) -> dict:
    """The record version goes up by one for every stored change."""
    return {**ticket, "v": ticket["v"] + 1}
