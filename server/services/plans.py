"""Inspection plans: create, list and retire plans; generate and advance their occurrences.

Plans are server-private records; their occurrences are written where the
sync core places them (``sync.placement``: the assignee's user bucket or
the site's bucket), so the assignee's device pulls them and a push of the
fulfilling result closes them (``sync.plan_link``). ``refresh`` is the job
that keeps occurrences generated ahead and their stored state current; it is
idempotent (occurrence ids are deterministic), so running it twice or on two
servers changes nothing more.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from checklists import plans
from checklists.actors import Actor
from checklists.patrol.recurrence import zone
from checklists.plans.matching import closed_segment, summary
from checklists.plans.occurrences import DEFAULT_HORIZON, iso, parse_time
from checklists.plans.templates import TEMPLATES, template_plan
from server.services.accounts import users
from server.services.accounts.access import require_site
from server.services.accounts.records import new_id, to_text
from server.store import Delete, Put, Store
from sync.placement import OCCURRENCES, place
from sync.plan_link import PLAN_SITES

from . import definitions
from .errors import Forbidden, Invalid, NotFound
from .paging import MAX_LIMIT, all_records, read_range
from .scoped import known_site, scoped_doc

PLANS = "plans"
#: occurrences that close before a new plan existed are not generated for it
_LOOKBACK = timedelta(days=62)
#: the longest window of occurrences one listing reads
MAX_WINDOW = timedelta(days=400)


def occurrence_put(doc: dict) -> Put:
    p = place(OCCURRENCES, doc)
    return Put(OCCURRENCES, doc["id"], doc, p.bucket, p.index)


def _plan_put(doc: dict) -> Put:
    return Put(PLANS, doc["id"], doc, None, {"site": (doc["site_id"], doc["created_at"]),
                                             "all": ("all", doc["created_at"])})


def _require_planner(actor: Actor, site_id: str) -> None:
    if not actor.supervises:
        raise Forbidden("only a supervisor or admin plans inspections")
    require_site(actor, site_id)


def list_templates() -> list[dict]:
    return [{"key": key, **value} for key, value in TEMPLATES.items()]


def create_plan(store: Store, actor: Actor, body: dict, now: datetime) -> dict:
    """Create a plan from ``body`` (``template`` fills what the body leaves out) and
    generate its occurrences; ``Invalid`` names each bad field, nothing is stored then."""
    body = dict(body)
    key = body.pop("template", None)
    if key is not None:
        if key not in TEMPLATES:
            raise Invalid({"template": [f"Unknown template; one of {', '.join(TEMPLATES)}."]})
        defaults = template_plan(key)
        if body.get("assignee_user_id"):
            defaults.pop("assignee_role")
        body = defaults | {k: v for k, v in body.items() if v is not None}
    site_id = body.get("site_id")
    if not isinstance(site_id, str):
        raise Invalid({"site_id": ["Missing data for required field."]})
    _require_planner(actor, site_id)
    site = known_site(store, site_id)
    body.setdefault("dtstart", _first_of_month(now, site["timezone"]))
    doc = {**body, "id": new_id(), "version": 1, "timezone": site["timezone"]}
    try:
        plan = plans.load_plan(doc)
    except plans.PlanInvalid as err:
        raise Invalid(err.errors) from None
    _check_references(store, plan)
    stored = {**plan.to_doc(), "created_at": to_text(now), "created_by": actor.user_id}
    with store.transaction() as tx:
        ops = [_plan_put(stored), _site_summary_put(tx, site_id, add=stored)]
        ops += [occurrence_put(o) for o in _new_occurrences(tx, stored, now, plans.generate(
            plan, now - _LOOKBACK, _LOOKBACK + DEFAULT_HORIZON))]
        tx.commit(ops)
    return stored


def _first_of_month(now: datetime, timezone: str) -> str:
    local = now.astimezone(zone(timezone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0,
                         tzinfo=None).isoformat(timespec="minutes")


def _check_references(store: Store, plan: plans.Plan) -> None:
    errors = {}
    try:
        definitions.list_versions(store, plan.checklist_id)
    except NotFound:
        errors["checklist_id"] = ["No published checklist with this id."]
    if plan.assignee_user_id is not None:
        user = store.get_doc(users.USERS, plan.assignee_user_id)
        if user is None or not users.actor_of(user).works_at(plan.site_id):
            errors["assignee_user_id"] = ["No user with this id works at the plan's site."]
    if errors:
        raise Invalid(errors)


def _site_summary_put(tx, site_id: str, *, add: dict | None = None,
                      remove: str | None = None) -> Put:
    """The site's plan summary (what a push matches results against) after a change."""
    current = tx.get_doc(PLAN_SITES, site_id) or {"id": site_id, "plans": []}
    kept = [p for p in current["plans"] if p["id"] not in (remove, (add or {}).get("id"))]
    if add is not None:
        kept.append(summary(add))
    return Put(PLAN_SITES, site_id, {"id": site_id, "plans": kept}, None)


def _new_occurrences(tx, plan_doc: dict, now: datetime, generated: list[dict]) -> list[dict]:
    """The generated occurrences not stored yet (and not closed before the plan existed),
    each in its state at ``now``."""
    created = parse_time(plan_doc["created_at"])
    fresh = [o for o in generated if parse_time(o["closes_at"]) > created]
    stored = tx.get_many(OCCURRENCES, [o["id"] for o in fresh])
    return [{**o, "status": plans.state_at(o, now)} for o in fresh if o["id"] not in stored]


def get_plan(reader, actor: Actor, plan_id: str) -> dict:
    return scoped_doc(reader, actor, PLANS, plan_id, "plan")


def list_plans(store: Store, actor: Actor, site_id: str) -> list[dict]:
    require_site(actor, site_id)
    return [dict(r.doc) for r in all_records(store, PLANS, "site", site_id)]


def retire_plan(store: Store, actor: Actor, plan_id: str, now: datetime) -> dict:
    """Stop a plan: its upcoming occurrences are cancelled, the rest kept as history."""
    with store.transaction() as tx:
        doc = get_plan(tx, actor, plan_id)
        _require_planner(actor, doc["site_id"])
        if not doc["active"]:
            return doc
        doc = {**doc, "active": False, "retired_at": to_text(now), "retired_by": actor.user_id}
        ops = [_plan_put(doc), _site_summary_put(tx, doc["site_id"], remove=plan_id)]
        for rec in all_records(tx, OCCURRENCES, "plan", plan_id):
            changed = plans.cancelled(dict(rec.doc), now)
            if changed is not None:
                ops.append(occurrence_put(changed))
        tx.commit(ops)
    return doc


#: what an edit may change; the site and the checklist stay (results already match them)
EDITABLE = frozenset({"name", "rrule", "dtstart", "assignee_user_id", "assignee_role",
                      "due_offset", "due_weekday", "due_time", "grace", "feedback_days",
                      "active"})


def update_plan(store: Store, actor: Actor, plan_id: str, changes: dict, now: datetime) -> dict:
    """Edit a plan from ``now`` on: its occurrences not yet started are replaced by the
    edited plan's (a new ``series``); those started, done, overdue or missed stay as they
    are. ``Invalid`` names each bad field and nothing is stored then."""
    unknown = sorted(set(changes) - EDITABLE)
    if unknown:
        raise Invalid({k: ["Cannot be changed; retire the plan and create another."]
                       for k in unknown})
    with store.transaction() as tx:
        doc = get_plan(tx, actor, plan_id)
        _require_planner(actor, doc["site_id"])
        plan = _edited(tx, doc, changes)
        cut = iso(now)
        stored = {**doc, **plan.to_doc(), "series_since": cut,
                  "segments": closed_segment(doc, cut), "updated_at": to_text(now),
                  "updated_by": actor.user_id}
        if plan.active:
            stored.pop("retired_at", None)
        ops = [_plan_put(stored), _site_summary_put(
            tx, doc["site_id"], **({"add": stored} if plan.active else {"remove": plan_id}))]
        ops += _replace_upcoming(tx, plan, now)
        tx.commit(ops)
    return stored


def _edited(tx, doc: dict, changes: dict) -> plans.Plan:
    """The plan after ``changes`` (one assignee: naming a person drops the role and the
    other way round), checked field by field and against the store."""
    changes = dict(changes)
    for given, other in (("assignee_user_id", "assignee_role"),
                         ("assignee_role", "assignee_user_id")):
        if changes.get(given) is not None:
            changes.setdefault(other, None)
    fields = set(plans.PlanSchema().fields) - {"type"}
    body = {**{k: v for k, v in doc.items() if k in fields}, **changes,
            "version": doc["version"] + 1, "series": doc.get("series", 0) + 1}
    try:
        plan = plans.load_plan(body)
    except plans.PlanInvalid as err:
        raise Invalid(err.errors) from None
    _check_references(tx, plan)
    return plan


def _replace_upcoming(tx, plan: plans.Plan, now: datetime) -> list:
    """Occurrences of the plan starting after ``now``: the earlier series' go (cancelled if
    the plan is no longer active, else deleted: nothing was done on them), the edited
    plan's come. A done one (a result named it early) stays."""
    ops = []
    page_cursor = None
    while True:
        page = read_range(tx, OCCURRENCES, "plan", plan.id, sort_of=lambda o: o["start"],
                          start=iso(now), cursor=page_cursor, limit=MAX_LIMIT)
        for rec in page.items:
            occ = dict(rec.doc)
            if occ["status"] != plans.UPCOMING or plans.state_at(occ, now) != plans.UPCOMING:
                continue
            if plan.active:
                ops.append(Delete(OCCURRENCES, occ["id"]))
            else:
                ops.append(occurrence_put(plans.cancelled(occ, now)))
        page_cursor = page.next_cursor
        if page_cursor is None:
            break
    if plan.active:
        ops += [occurrence_put(o) for o in plans.generate(plan, now, DEFAULT_HORIZON)
                if parse_time(o["start"]) > now]
    return ops


def refresh(store: Store, now: datetime,
            horizon: timedelta = DEFAULT_HORIZON) -> dict:
    """Generate every active plan's occurrences up to ``now + horizon`` and store each open
    occurrence's state at ``now``; returns counts. Idempotent."""
    counts = {"plans": 0, "generated": 0, "advanced": 0}
    with store.transaction() as tx:
        ops = []
        for rec in tx.scan(PLANS):
            doc = dict(rec.doc)
            if not doc["active"]:
                continue
            counts["plans"] += 1
            plan = plans.plan_from_doc(doc)
            new = _new_occurrences(tx, doc, now, plans.generate(plan, now, horizon))
            counts["generated"] += len(new)
            ops += [occurrence_put(o) for o in new]
            for occ in all_records(tx, OCCURRENCES, "plan", doc["id"]):
                changed = plans.advanced(dict(occ.doc), now)
                if changed is not None:
                    counts["advanced"] += 1
                    ops.append(occurrence_put(changed))
        if ops:
            tx.commit(ops)
    return counts


def list_occurrences(store: Store, actor: Actor, site_id: str, now: datetime, *,
                     state: str | None = None, mine: bool = False,
                     start_from: datetime | None = None,
                     start_to: datetime | None = None) -> list[dict]:
    """The occurrences of a site starting in ``[start_from, start_to)`` (default: from
    :data:`_LOOKBACK` before ``now`` to the generation horizon after it) by start, each
    with its state and clock at ``now``. Only that window is read."""
    require_site(actor, site_id)
    start, end = _window(now, start_from, start_to)
    out, cursor = [], None
    while True:
        page = page_occurrences(store, actor, site_id, now, state=state, mine=mine,
                                start_from=start, start_to=end, cursor=cursor, limit=MAX_LIMIT)
        out += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return out


def page_occurrences(store: Store, actor: Actor, site_id: str, now: datetime, *,
                     state: str | None = None, mine: bool = False,
                     start_from: datetime | None = None, start_to: datetime | None = None,
                     cursor: str | None = None, limit: int = 50) -> dict:
    """One page of :func:`list_occurrences`: a keyset read of the window by start. State
    and ``mine`` depend on the clock and the reader, so they filter the page read: a page
    may hold fewer than ``limit`` (follow ``next_cursor``)."""
    require_site(actor, site_id)
    start, end = _window(now, start_from, start_to)
    page = read_range(store, OCCURRENCES, "site", site_id, sort_of=lambda o: o["start"],
                      start=iso(start), end=iso(end), cursor=cursor, limit=limit)
    items = []
    for rec in page.items:
        occ = dict(rec.doc)
        if mine and not plans.assigned_to(occ, actor.user_id, actor.role):
            continue
        occ["state"] = plans.state_at(occ, now)
        if state is None or occ["state"] == state:
            occ["seconds_left"] = plans.clock_left(occ, now)
            items.append(occ)
    return {"items": items, "next_cursor": page.next_cursor}


def _window(now: datetime, start_from: datetime | None,
            start_to: datetime | None) -> tuple[datetime, datetime]:
    start = start_from or now - _LOOKBACK
    end = start_to or now + DEFAULT_HORIZON
    if end <= start:
        raise Invalid({"to": ["The end of the window must come after its start."]},
                      location="query")
    if end - start > MAX_WINDOW:
        raise Invalid({"to": [f"A window spans at most {MAX_WINDOW.days} days."]},
                      location="query")
    return start, end
