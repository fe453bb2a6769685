"""Inspection result rules: insert-once versions, amendments as branches, media state.

A result is evidence, so it is never changed in place. ``submit_result``
inserts a record under its client-generated id exactly once: the same id
with the same content again is a duplicate (a retry, maybe through another
client after a reinstall), with other content it is an ``id_conflict``. A
correction is a *new* version (``amend_result``) naming the version it
supersedes. Amending a version that was already superseded is accepted as a
branch flagged ``needs_review`` -- two inspectors correcting the same result
offline both keep their work and a supervisor decides.

The only server-side changes to a stored result are bookkeeping around the
evidence, never the evidence itself: ``superseded_by`` links, the media
state once every referenced photo has arrived, its ``review``
(``checklists.workflow.review``) and, on an original, the ``rectification``
its re-inspections recorded (``sync.reinspections``).
"""
from __future__ import annotations

import copy
import hashlib
import re

import orjson

from .context import MutationContext
from .errors import Rejected

_SHA256 = re.compile(r"^[0-9a-f]{64}$")

# Fields of an amendment the new version takes over from the version it supersedes.
INHERITED = ("site_id", "checklist", "assignment_id")


def content_hash(args: dict) -> str:
    """Canonical hash of what the device sent: the identity of a submission."""
    return hashlib.sha256(orjson.dumps(args, option=orjson.OPT_SORT_KEYS)).hexdigest()


def photo_hashes(args: dict) -> list[str]:
    """The distinct sha256s a submission references, in first-mention order.

    Evidence is listed in ``photos`` and may also be cited inside the answers
    (``{"cs.01": {"value": "fail", "photos": [sha]}}``, defects too): a result
    is only ``media: complete`` once every photo it cites anywhere has arrived.
    """
    found = [p["sha256"] for p in args.get("photos") or []]
    answers = args.get("answers")
    if _may_cite(answers):
        _cited_in(answers, found)
    return list(dict.fromkeys(found))


def _may_cite(answers) -> bool:
    """False when no ``photos`` key can be anywhere in ``answers``: nothing to walk.

    WHY: most answers cite no photo, and walking every answer in Python cost
    ~10 us a result, twice per push (prefetch, then the rules); encoding them
    is ~1 us and a key ``photos`` always encodes as ``"photos"``. A text that
    merely contains the word, or answers orjson cannot encode, are walked.
    """
    try:
        return b'"photos"' in orjson.dumps(answers)
    except TypeError:  # orjson.JSONEncodeError: not plain JSON, walk it
        return True


def _cited_in(value, found: list[str]) -> None:
    """Collect hashes listed under any ``photos`` key, however deep (leaves are skipped)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "photos" and isinstance(inner, list):
                found.extend(h for h in inner if isinstance(h, str) and _SHA256.match(h))
            elif isinstance(inner, (dict, list)):
                _cited_in(inner, found)
    elif isinstance(value, list):
        for inner in value:
            if isinstance(inner, (dict, list)):
                _cited_in(inner, found)


def check_insert_once(existing: dict | None, args: dict) -> bool:
    """True when ``existing`` is this very submission (a duplicate); raise if it clashes."""
    if existing is None:
        return False
    if existing.get("content_hash") == content_hash(args):
        return True
    raise Rejected("id_conflict",
                   f"result {args['result_id']} already exists with different content")


def new_result(args: dict, score: dict | None, missing: list[str],
               ctx: MutationContext, *, base: dict | None = None,
               refused: dict[str, str] | None = None) -> dict:
    """The stored document of a submission, or of an amendment of ``base``.

    ``refused``: photos it cites that the server already refused, with why.
    """
    inherited = {k: base.get(k) for k in INHERITED} if base else \
        {k: args.get(k) for k in INHERITED}
    return {
        "type": "result", "id": args["result_id"], "v": 1, **inherited,
        "answers": args["answers"], "score": score,
        "photos": args.get("photos") or [], "gps": args.get("gps"),
        "started_at": args.get("started_at"), "finished_at": args.get("finished_at"),
        "note": args.get("note"),
        "supersedes": base["id"] if base else None,
        "root_id": base.get("root_id", base["id"]) if base else args["result_id"],
        "amend_reason": args.get("reason") if base else None,
        "superseded_by": [],
        "needs_review": bool(base and base.get("superseded_by")),
        "media": "pending" if missing else "complete", "missing_photos": list(missing),
        **({"refused_photos": dict(refused)} if refused else {}),
        "submitted": ctx.stamp(), "content_hash": content_hash(args),
    }


def link_superseded(base: dict, new_id: str) -> dict:
    """The superseded version with a link to the version that replaces it."""
    out = copy.deepcopy(base)
    out["superseded_by"].append(new_id)
    out["v"] += 1
    return out


def mark_photo_complete(result: dict, sha256: str, *, refused: str | None = None) -> dict | None:
    """The result once ``sha256`` has arrived, or None if that changes nothing.

    A photo the server refused as an image still arrived (its bytes are kept);
    ``refused_photos`` says which and why, so nobody mistakes it for evidence
    that was checked.
    """
    waiting = sha256 in result.get("missing_photos", ())
    unmarked = refused is not None and sha256 not in result.get("refused_photos", {})
    if not (waiting or unmarked):
        return None
    out = copy.deepcopy(result)
    out["missing_photos"] = [h for h in out.get("missing_photos", []) if h != sha256]
    out["media"] = "pending" if out["missing_photos"] else "complete"
    if refused is not None:
        out.setdefault("refused_photos", {})[sha256] = refused
    out["v"] += 1
    return out
