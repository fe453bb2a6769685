"""The monthly liability summary per department (seed 000 part 2: due by the 28th).

For each site in scope, the month's current results give their deductions
(after appeals: an adjusted deduction counts its new points, one adjusted
to nothing drops out); each is attributed to its responsible person and
that person's direct supervisor, and ``checklists.workflow.liability``
works out the shares and the flags. Supervisors see their sites, admins all.
"""
from __future__ import annotations

import csv
import io
from typing import Any

from checklists.actors import Actor
from checklists.workflow.liability import AttributedDeduction, Split, assess
from server.services.accounts.access import require_site
from server.services.accounts.sites import SITES
from server.services.accounts.users import USERS
from server.store import Store
from server.store.base import Reader

from .appeals import adjusted_points
from .errors import Forbidden
from .month_results import parse_month, results_in_month
from .responsibility import responsible_people

#: day of the month the departments' summaries are due (每月28日前汇总)
DUE_DAY = 28
NO_DEPARTMENT = "(未设部门)"
NOBODY = "(未指定责任人)"


def monthly_summary(store: Store, actor: Actor, *, month: str, site_ids: list[str],
                    split: Split, default_zone: str) -> dict[str, Any]:
    """The month's liability: people by department with their shares, and the flags."""
    if not actor.supervises:
        raise Forbidden("the liability summary is for supervisors and admins")
    first, _ = parse_month(month)
    for site_id in site_ids:
        require_site(actor, site_id)
    with store.snapshot() as snap:
        if not site_ids:
            site_ids = ([r.doc["id"] for r in snap.scan(SITES)] if actor.is_admin
                        else sorted(actor.site_ids))
        sites = [s for s in (snap.get_doc(SITES, sid) for sid in site_ids) if s]
        deductions = [d for site in sites
                      for d in _attributed(snap, site, month, default_zone)]
        found = assess(deductions, split)
        people = _people(snap, {p for p in found.people} | {
            d.supervisor_id for d in deductions})
    sanctioned = {f.person_id for f in found.sanctions}
    joint = {}
    for flag in found.joint:
        joint.setdefault(flag.supervisor_id, []).append(flag.item_id)
    departments: dict[str, list] = {}
    for pid, share in found.people.items():
        who = people.get(pid, {})
        row = {**share.to_dict(), "username": who.get("username"),
               "display_name": who.get("display_name") or NOBODY,
               "reports_to": who.get("reports_to"), "sanction": pid in sanctioned,
               "joint_liability_items": joint.get(pid, [])}
        departments.setdefault(who.get("department") or NO_DEPARTMENT, []).append(row)
    return {
        "month": month, "due_by": first.replace(day=DUE_DAY).isoformat(),
        "site_ids": [s["id"] for s in sites],
        "split": {"person": split.person, "supervisor": split.supervisor,
                  "always": split.always},
        "departments": [{"department": name, "people": sorted(
            rows, key=lambda r: (r["display_name"], r["person_id"] or ""))}
            for name, rows in sorted(departments.items())],
        "sanctions": [f.to_dict() for f in found.sanctions],
        "joint_liability": [f.to_dict() for f in found.joint],
    }


def _attributed(snap: Reader, site: dict, month: str, default_zone: str
                ) -> list[AttributedDeduction]:
    out = []
    supervisors: dict[str | None, str | None] = {None: None}
    for result in results_in_month(snap, site, month, default_zone):
        adjusted = adjusted_points(snap, result)
        for key, entry in responsible_people(snap, result).items():
            d = entry["deduction"]
            points = adjusted.get(key, d.points)
            if points <= 0:
                continue  # an appeal took the whole deduction back
            person = entry["person_id"]
            if person not in supervisors:
                supervisors[person] = (snap.get_doc(USERS, person) or {}).get("reports_to")
            out.append(AttributedDeduction(
                result_id=result["id"], site_id=site["id"], key=key, item_id=d.item_id,
                points=points, month=month,
                person_id=person, supervisor_id=supervisors[person]))
    return out


def _people(snap: Reader, ids: set) -> dict[str, dict]:
    found = snap.get_many(USERS, [i for i in ids if i])
    return {i: dict(r.doc) for i, r in found.items()}


CSV_HEADERS = ("部门", "责任人", "用户名", "直属上司", "扣分次数", "扣分合计", "本人承担",
               "作为直属上司承担", "合计承担", "行政处分", "连带责任项目", "依据(结果/扣分项)")


def summary_csv(summary: dict[str, Any]) -> bytes:
    """The summary as CSV for Excel: UTF-8 with a BOM (so Chinese headers read right)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS)
    names = {p["person_id"]: p["display_name"] for d in summary["departments"]
             for p in d["people"]}
    for department in summary["departments"]:
        for p in department["people"]:
            writer.writerow([
                department["department"], p["display_name"], p["username"] or "",
                names.get(p["reports_to"], p["reports_to"] or ""), p["deductions"],
                p["points_lost"], p["own_share"], p["supervisor_share"], p["total"],
                "是" if p["sanction"] else "", "; ".join(p["joint_liability_items"]),
                "; ".join(f"{e['result_id']}/{e['deduction']}" for e in p["evidence"])])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
