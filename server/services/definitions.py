"""Checklist definitions in the store: drafts, published versions, retirement.

The rules live in ``checklists`` (validation, lifecycle); this module keeps
them in the store:

* a **draft** is a server-private record (collection ``definition_drafts``,
  id = definition id): admins edit it in place, devices never see it;
* **publishing** turns the draft into an immutable ``definitions`` record
  ``<id>@<version>`` in the ``defs`` sync bucket, so every device pulls it;
* **retiring** changes only that record's status; results filled against a
  retired (or any older published) version are still accepted and scored
  against exactly that version.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Mapping

import orjson

import checklists
from checklists.lifecycle import (PUBLISHED, RETIRED, LifecycleError, check_transition,
                                  next_version)
from server.store import Put, Store
from server.store.base import Reader

from .errors import Conflict, Invalid, NotFound
from .paging import all_records, read_page

DEFS_BUCKET = "defs"
ALL = "all"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def record_id(def_id: str, version: int) -> str:
    return f"{def_id}@{version}"


def _validated(body: Mapping[str, Any]) -> checklists.Definition:
    """``body`` checked as a definition to publish (stored ones are read by ``parsed``)."""
    try:
        return checklists.load_definition(body, publishing=True)
    except checklists.DefinitionInvalid as exc:
        raise Invalid(exc.errors) from None


def validate(body: Mapping[str, Any]) -> dict:
    """Check a definition without storing it; ``Invalid`` lists every error with its path."""
    _validated(body)
    return {"valid": True, "errors": {}}


def _versions(reader: Reader, def_id: str) -> list[dict]:
    page = reader.list("definitions", "by_def", def_id, limit=10_000)
    return [r.doc for r in page.items]


def save_draft(store: Store, def_id: str, body: Mapping[str, Any], *, by: str) -> dict:
    """Create or replace the draft of ``def_id``; its version is the next one to publish."""
    if body.get("id") not in (None, def_id):
        raise Invalid({"id": [f"The body's id must be {def_id!r} (the id in the URL)."]})
    with store.transaction() as tx:
        version = next_version(d["definition"]["version"] for d in _versions(tx, def_id))
        definition = _validated({**body, "id": def_id, "version": version})
        draft = {"definition": definition.to_dict(), "status": "draft",
                 "updated_at": _now(), "updated_by": by}
        tx.commit([Put("definition_drafts", def_id, draft,
                       index={ALL: (ALL, def_id)})])
    return draft


def get_draft(reader: Reader, def_id: str) -> dict:
    record = reader.get("definition_drafts", def_id)
    if record is None:
        raise NotFound(f"no draft of definition {def_id!r}")
    return dict(record.doc)


def list_drafts(reader: Reader, *, cursor: str | None, limit: int):
    return read_page(reader, "definition_drafts", ALL, ALL, cursor=cursor, limit=limit)


def _put_published(doc: dict) -> Put:
    definition = doc["definition"]
    return Put("definitions", record_id(definition["id"], definition["version"]), doc,
               bucket=DEFS_BUCKET,
               index={"by_def": (definition["id"], f"{definition['version']:08d}"),
                      ALL: (ALL, f"{definition['id']}\x00{definition['version']:08d}")})


def publish(store: Store, def_id: str, *, by: str) -> dict:
    """Freeze the draft as the next published version and remove the draft."""
    from server.store import Delete
    with store.transaction() as tx:
        draft = get_draft(tx, def_id)
        definition = draft["definition"]
        if any(d["definition"]["version"] >= definition["version"] for d in _versions(tx, def_id)):
            raise Conflict(f"version {definition['version']} of {def_id!r} is already published")
        doc = {"definition": definition, "status": PUBLISHED,
               "published_at": _now(), "published_by": by}
        tx.commit([_put_published(doc), Delete("definition_drafts", def_id)])
    return doc


def install(store: Store, body: Mapping[str, Any], *, by: str) -> dict | None:
    """Publish ``body`` as given (id and version included) unless that version exists.

    Used to load the built-in templates: idempotent, so ``fieldsync demo``
    can run again on the same data directory.
    """
    definition = _validated(body).to_dict()
    with store.transaction() as tx:
        if tx.get("definitions", record_id(definition["id"], definition["version"])):
            return None
        doc = {"definition": definition, "status": PUBLISHED,
               "published_at": _now(), "published_by": by}
        tx.commit([_put_published(doc)])
    return doc


def get_version(reader: Reader, def_id: str, version: int) -> dict:
    record = reader.get("definitions", record_id(def_id, version))
    if record is None:
        raise NotFound(f"definition {def_id!r} has no published version {version}")
    return dict(record.doc)


def list_versions(reader: Reader, def_id: str) -> list[dict]:
    versions = _versions(reader, def_id)
    if not versions:
        raise NotFound(f"no published definition {def_id!r}")
    return versions


def list_published(reader: Reader, *, cursor: str | None, limit: int):
    return read_page(reader, "definitions", ALL, ALL, cursor=cursor, limit=limit)


def all_published(reader: Reader) -> list[dict]:
    """Every published or retired version's record, page after page (a page's choice
    lists must not stop at the first page of versions)."""
    return [record.doc for record in all_records(reader, "definitions", ALL, ALL)]


def retire(store: Store, def_id: str, version: int, *, by: str) -> dict:
    """Stop offering a version; results already filled against it stay valid."""
    with store.transaction() as tx:
        doc = get_version(tx, def_id, version)
        try:
            check_transition(doc["status"], RETIRED)
        except LifecycleError as exc:
            raise Conflict(str(exc)) from None
        doc.update(status=RETIRED, retired_at=_now(), retired_by=by)
        tx.commit([_put_published(doc)])
    return doc


@lru_cache(maxsize=256)
def _parse(body: bytes) -> checklists.Definition:
    return checklists.load_definition(orjson.loads(body))


def parsed(definition_doc: Mapping[str, Any]) -> checklists.Definition:
    """The model of a published definition document, parsed once per content.

    Parsing per scored result would dominate a push. The key is the content,
    not (id, version): two stores (or a restored backup) may hold different
    bodies under the same version.
    """
    global _last_parsed
    last = _last_parsed
    if last is not None and last[0] is definition_doc:
        return last[1]  # a push batch scores many results against one document object
    model = _parse(orjson.dumps(definition_doc, option=orjson.OPT_SORT_KEYS))
    _last_parsed = (definition_doc, model)  # holding the doc keeps its identity unique
    return model


# (document, model) of the last parse. Published documents are never mutated in
# place, so the same object means the same content; keying by content costs a
# canonical dump of the whole definition (~50 us for a 300-item handover).
_last_parsed: tuple[Mapping[str, Any], checklists.Definition] | None = None


def definition_for_result(reader: Reader, def_id: str, version: int) -> checklists.Definition:
    """The exact published (or retired) version a result was filled against."""
    return parsed(get_version(reader, def_id, version)["definition"])


def evaluate(reader: Reader, def_id: str, version: int, answers: Mapping[str, Any]) -> dict:
    """Validate ``answers`` against that version and score them (``AnswersInvalid`` if bad)."""
    definition = definition_for_result(reader, def_id, version)
    return checklists.evaluate(definition, answers).to_dict()


def preview(reader: Reader, def_id: str, version: int, answers: Mapping[str, Any]) -> dict:
    """Score answers without storing anything; ``Invalid`` names each wrong item."""
    try:
        return evaluate(reader, def_id, version, answers)
    except checklists.AnswersInvalid as exc:
        raise Invalid(exc.errors) from None
