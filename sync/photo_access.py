"""Evidence-scoped photo dedup: knowing a hash is not having the photo.

Photos are content-addressed, so the server stores each one once. Deduping
blindly would let anyone who learnt a sha256 (from a report, a log, a shared
screenshot of a result) cite it in a result at their own site, see it
``media: complete`` and then download it -- a photo of another site's
defect, or of a resident's flat. So a photo counts as *resolved* for a result
only if:

* its submitter **holds** it -- they (from any of their devices) sent its
  full bytes once, which the server verified against the hash; or
* it is already **resolved for another result at the same site** -- the
  people of that site can see it anyway.

Otherwise the result waits (``missing_photos``) and the device uploads the
bytes, which proves possession: the server hashes them and then keeps the one
copy it has. ``photo_refs[sha]`` records the records citing a photo (results,
and patrol rounds under ``rounds``: ``CITING``) and its ``holders``. Photo queries, ``HEAD`` and dedup skip follow the same rule,
so a hash probe from another site learns nothing (it is "absent").
"""
from __future__ import annotations

from typing import Callable, Iterable

from .patrol_records import ROUNDS
from .placement import PHOTO_REFS, RESULTS

Load = Callable[[str, str], "dict | None"]
#: the collections whose records cite photos, and where a photo's ref lists their ids
CITING = ((RESULTS, "results"), (ROUNDS, "rounds"))
#: a citing record's ``type`` -> its collection
COLLECTION_OF_TYPE = {"result": RESULTS, "patrol_round": ROUNDS}


def cited_by(ref: dict | None) -> list[tuple[str, str]]:
    """``(collection, id)`` of every record citing the photo."""
    return [(collection, id_) for collection, key in CITING for id_ in (ref or {}).get(key, ())]


def with_citation(ref: dict | None, sha256: str, key: str, record_id: str) -> dict | None:
    """The photo's ref also citing ``record_id`` under ``key``; None if it already does."""
    ref = dict(ref or {"sha256": sha256, "results": []})
    if record_id in ref.get(key, ()):
        return None
    ref[key] = [*ref.get(key, ()), record_id]
    return ref


def holders(ref: dict | None) -> list[str]:
    return list((ref or {}).get("holders", ()))


def with_holder(ref: dict | None, sha256: str, user_id: str) -> dict:
    """The photo's ref with ``user_id`` among its holders."""
    ref = dict(ref or {"sha256": sha256, "results": []})
    if user_id not in ref.get("holders", ()):
        ref["holders"] = [*ref.get("holders", ()), user_id]
    return ref


def with_ticket(ref: dict | None, sha256: str, ticket_id: str, user_id: str) -> dict | None:
    """The ref with ``user_id``'s citation of the photo on a ticket; None if already there.

    A ticket's photo is shown at the ticket's site only once its citer holds
    it (``ticket_citations``), the rule results follow.
    """
    ref = dict(ref or {"sha256": sha256, "results": []})
    citation = {"ticket": ticket_id, "by": user_id}
    if citation in ref.get("tickets", ()):
        return None
    ref["tickets"] = [*ref.get("tickets", ()), citation]
    return ref


def ticket_citations(ref: dict | None) -> list[str]:
    """The tickets whose citation of the photo counts: made by someone who sent its bytes."""
    held = set(holders(ref))
    return list(dict.fromkeys(c["ticket"] for c in (ref or {}).get("tickets", ())
                              if c["by"] in held))


def resolved_at(citing: Iterable[dict], sha256: str) -> set[str]:
    """The sites where one of ``citing`` (results citing the photo) has it resolved."""
    return {r["site_id"] for r in citing if sha256 not in r.get("missing_photos", ())}


def may_use(load: Load, sha256: str, user_id: str, site_ids: Iterable[str]) -> bool:
    """Whether ``user_id`` may count the (complete) photo as theirs at one of ``site_ids``."""
    ref = load(PHOTO_REFS, sha256)
    if ref is None:
        return False
    if user_id in holders(ref):
        return True
    citing = (load(collection, id_) for collection, id_ in cited_by(ref))
    return not resolved_at((r for r in citing if r is not None), sha256).isdisjoint(site_ids)


def usable(load: Load, complete_among: Callable[[list[str]], "set[str]"], hashes: list[str],
           user_id: str, site_ids: Iterable[str]) -> set[str]:
    """Which of ``hashes`` are here (``complete_among``) and ``user_id``'s to cite."""
    return {h for h in (complete_among(hashes) if hashes else ())
            if may_use(load, h, user_id, site_ids)}


def resolvable(ref: dict, sha256: str, citing: list[dict]) -> list[dict]:
    """Which of ``citing`` (every result citing the now-complete photo) it resolves."""
    held = set(holders(ref))
    first = [r for r in citing if r.get("submitted", {}).get("by") in held]
    sites = resolved_at(citing, sha256) | {r["site_id"] for r in first}
    return first + [r for r in citing if r not in first and r["site_id"] in sites]
