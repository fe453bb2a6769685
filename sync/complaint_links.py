"""Link a result's failed item to the complaint that caused it: the inspector names the
complaint in ``submit_result`` (``complaint_links``), a supervisor links it later
(``server.services.complaint_links``); both through :func:`link`, the rules being
``checklists.complaints.links``. A bad link refuses what carried it, naming the field.
"""
from __future__ import annotations

from checklists.complaints import ComplaintInvalid
from checklists.complaints.links import new_link
from checklists.workflow import Acting

from .errors import Rejected
from .placement import COMPLAINT_LINKS, RESULTS

#: server-private, written by ``server.services.complaints``; read here to check a link
COMPLAINTS = "complaints"


def link(records, acting: Acting, result_id: str, item: str, complaint_id: str,
         via: str) -> dict | None:
    """Store the link (None when it exists already); ``Rejected`` naming the field."""
    result = records.get(RESULTS, result_id)
    if result is None or not acting.actor.works_at(result["site_id"]):
        raise Rejected("invalid_reference", f"result {result_id} is no result at your sites",
                       errors={"result_id": ["No result with this id at a site you work at."]})
    try:
        doc = new_link(result, item, records.get(COMPLAINTS, complaint_id), complaint_id,
                       acting.stamp(), via)
    except ComplaintInvalid as err:
        raise Rejected("invalid_reference", str(err), errors=err.errors) from None
    if records.get(COMPLAINT_LINKS, doc["id"]) is not None:
        return None
    records.put(COMPLAINT_LINKS, doc["id"], doc)
    return doc


def link_submitted(ws, args: dict, acting: Acting) -> list[tuple[str, str]]:
    """The links a submission names for its own failed items; what it touched."""
    touched = []
    for n, entry in enumerate(args.get("complaint_links") or []):
        try:
            doc = link(ws, acting, args["result_id"], entry["item"], entry["complaint_id"],
                       "submit")
        except Rejected as refusal:
            messages = [f"{field}: {m}" for field, ms in
                        refusal.details.get("errors", {}).items() for m in ms]
            raise Rejected(refusal.code, refusal.message,
                           errors={"complaint_links": {str(n): messages}}) from None
        if doc is not None:
            touched.append((COMPLAINT_LINKS, doc["id"]))
    return touched
